// Writes the full export: one read-only REPEATABLE READ transaction sees one consistent moment
// of every table (a child row never points at a parent the archive lacks), counts the rows for
// the manifest, then pages each table through a cursor so only one page and one part are in
// memory at a time, whatever the size of the data.

import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import tar from 'tar-stream';
import type { Clock } from '../clock.js';
import { queryRows, type Database, type Executor } from '../storage/database.js';
import { FORMAT, FORMAT_VERSION, MANIFEST_FILE, PART_BYTES, currentSchemaVersion, manifestTable, partPath, type Manifest } from './archive-format.js';
import { EXCLUDED, OPTIONAL, exportedTables, quoteIdent, type CatalogTable } from './table-catalog.js';
import { archiveLinesQuery } from './value-encoding.js';

export interface ExportOptions {
  /** Include the raw OCPP message log (large). */
  includeMessageLog: boolean;
}

export interface ExportSummary {
  tables: Record<string, number>;
}

/** Rows fetched per page adapt to the rows' size, so a page of large rows (message log frames) stays near this. */
const PAGE_BYTES = 2 * 1024 * 1024;
const PAGE_ROWS = { first: 1000, min: 10, max: 5000 };
const CURSOR = 'export_rows';

/** Adds one file to the tar and resolves once the archive stream has taken it (backpressure). */
function addFile(pack: tar.Pack, name: string, data: Buffer, mtime: Date): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ name, size: data.length, mtime }, data, (error) => (error ? reject(error) : resolve()));
  });
}

async function countRows(tx: Executor, table: CatalogTable): Promise<number> {
  const [row] = await queryRows<{ n: string }>(tx, sql.raw(`select count(*)::text as n from ${quoteIdent(table.name)}`));
  return Number(row!.n);
}

/** Streams one table's rows, as NDJSON parts of about PART_BYTES, into the archive. */
async function writeTable(tx: Executor, pack: tar.Pack, table: CatalogTable, mtime: Date): Promise<number> {
  await tx.execute(sql.raw(`declare ${CURSOR} no scroll cursor for ${archiveLinesQuery(table)}`));
  let rows = 0;
  let part = 0;
  let lines: string[] = [];
  let bytes = 0;
  const flush = async () => {
    if (lines.length === 0) return;
    part += 1;
    await addFile(pack, partPath(table.name, part), Buffer.from(lines.join(''), 'utf8'), mtime);
    lines = [];
    bytes = 0;
  };
  let pageRows = PAGE_ROWS.first;
  for (;;) {
    const page = await queryRows<{ line: string }>(tx, sql.raw(`fetch forward ${pageRows} from ${CURSOR}`));
    if (page.length === 0) break;
    let pageBytes = 0;
    for (const { line } of page) {
      const size = Buffer.byteLength(line) + 1;
      lines.push(`${line}\n`);
      bytes += size;
      pageBytes += size;
      if (bytes >= PART_BYTES) await flush();
    }
    rows += page.length;
    pageRows = Math.min(PAGE_ROWS.max, Math.max(PAGE_ROWS.min, Math.round(PAGE_BYTES / (pageBytes / page.length))));
  }
  await flush();
  await tx.execute(sql.raw(`close ${CURSOR}`));
  return rows;
}

/**
 * Writes the archive (.tar.gz) to `output`. Resolves when it is complete; on a failure the
 * output is destroyed, so a reader sees a broken archive rather than a short one.
 */
export async function writeArchive(db: Database, output: Writable, options: ExportOptions & { clock: Clock }): Promise<ExportSummary> {
  const pack = tar.pack();
  const gzip = createGzip();
  const piping = pipeline(pack, gzip, output);
  piping.catch(() => undefined); // awaited below; a failure of the transaction is the one reported
  const tables = exportedTables({ includeOptional: options.includeMessageLog });
  const exportedAt = options.clock.now();
  try {
    const summary = await db.transaction(
      async (tx) => {
        const counts = new Map<string, number>();
        for (const table of tables) counts.set(table.name, await countRows(tx, table));
        const manifest: Manifest = {
          format: FORMAT,
          formatVersion: FORMAT_VERSION,
          schemaVersion: currentSchemaVersion(),
          exportedAt: exportedAt.toISOString(),
          includesMessageLog: options.includeMessageLog,
          excludedTables: { ...EXCLUDED, ...(options.includeMessageLog ? {} : OPTIONAL) },
          tables: tables.map((table) => manifestTable(table, counts.get(table.name)!)),
        };
        await addFile(pack, MANIFEST_FILE, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), exportedAt);
        const written: Record<string, number> = {};
        for (const table of tables) {
          written[table.name] = await writeTable(tx, pack, table, exportedAt);
          // The snapshot cannot change under us; a difference would be a bug worth stopping for.
          if (written[table.name] !== counts.get(table.name)) throw new Error(`Table ${table.name}: counted ${counts.get(table.name)} rows, wrote ${written[table.name]}`);
        }
        return { tables: written };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    pack.finalize();
    await piping;
    return summary;
  } catch (error) {
    pack.destroy(error as Error);
    output.destroy(error as Error);
    await piping.catch(() => undefined);
    throw error;
  }
}

// Reads an archive back into an empty instance, all or nothing: one transaction checks that the
// instance holds no data, checks the manifest against our schema, inserts every table's rows in
// batches as they stream in (parents first, as the manifest orders them), checks the row counts
// and moves each id sequence past the imported ids. Any failure rolls everything back.

import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import tar from 'tar-stream';
import { queryRows, type Database, type Executor } from '../storage/database.js';
import { InvalidArchiveError, MANIFEST_FILE, checkManifest, currentSchemaVersion, parsePartPath, type ManifestTable } from './archive-format.js';
import { EXCLUDED, SEEDED, allTables, exportedTables, quoteIdent, type CatalogTable } from './table-catalog.js';
import { insertArchiveLines } from './value-encoding.js';

/** Thrown when the instance already holds data: an import never merges. */
export class InstanceNotEmptyError extends Error {
  override name = 'InstanceNotEmptyError';
  constructor(readonly tables: string[]) {
    super(`This instance already holds data (${tables.join(', ')}); an archive is imported only into a new, empty instance`);
  }
}

export interface ImportSummary {
  schemaVersion: string;
  exportedAt: string;
  tables: Record<string, number>;
}

const BATCH_ROWS = 1000;
const BATCH_BYTES = 1024 * 1024;
const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;
const LINE_MAX_BYTES = 64 * 1024 * 1024;
const SERIAL_TYPES = new Set(['serial', 'bigserial', 'smallserial']);

/** SQLSTATE classes that mean the archive's data is wrong (bad value, broken key), not our failure. */
function dataProblem(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause ?? (error as { code?: unknown; message?: unknown });
  const code = typeof cause.code === 'string' ? cause.code : '';
  return /^(22|23)/.test(code) || code === '42804' ? String(cause.message) : undefined;
}

/**
 * Locks every importable table against writes until the import ends (reads go on), so neither a
 * second import nor a station that connects meanwhile can slip rows in; returns those that hold data.
 */
async function lockAndFindData(tx: Executor): Promise<string[]> {
  const tables = exportedTables({ includeOptional: true });
  await tx.execute(sql.raw(`lock table ${tables.map((table) => quoteIdent(table.name)).join(', ')} in share row exclusive mode`));
  const found: string[] = [];
  for (const table of tables) {
    // The rows the migrations made (the platform tenant) are in every instance: not data.
    const seeded = SEEDED[table.name];
    const beyondSeeded = seeded ? ` where not (${seeded.where})` : '';
    const [row] = await queryRows<{ any: boolean }>(tx, sql.raw(`select exists (select 1 from ${quoteIdent(table.name)}${beyondSeeded}) as any`));
    if (row!.any) found.push(table.name);
  }
  return found;
}

/** Moves every id sequence of the table past the largest imported id, so new rows get fresh ids. */
async function resetSequences(tx: Executor, table: CatalogTable): Promise<void> {
  for (const column of table.columns.filter((candidate) => SERIAL_TYPES.has(candidate.sqlType.toLowerCase()) || candidate.identity)) {
    const name = quoteIdent(column.name);
    await tx.execute(
      sql`select setval(s, coalesce((select max(${sql.raw(name)}) from ${sql.raw(quoteIdent(table.name))}), 0) + 1, false)
          from (select pg_get_serial_sequence(${quoteIdent(table.name)}, ${column.name}) as s) q where s is not null`,
    );
  }
}

const unreadable = (error: unknown) =>
  error instanceof InvalidArchiveError ? error : new InvalidArchiveError(`The archive is not a readable .tar.gz: ${error instanceof Error ? error.message : String(error)}`);

/** The entry's bytes; a failure to read them (a cut or damaged archive) is the archive's fault. */
async function* bytesOf(entry: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const chunks = entry[Symbol.asyncIterator]();
  for (;;) {
    let item: IteratorResult<Buffer>;
    try {
      item = await chunks.next();
    } catch (error) {
      throw unreadable(error);
    }
    if (item.done) return;
    yield item.value;
  }
}

/** Reads one part's rows and inserts them in batches; returns how many there were. */
async function importPart(tx: Executor, table: CatalogTable, path: string, entry: AsyncIterable<Buffer>): Promise<number> {
  const known = new Set(table.columns.map((column) => column.name));
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let lineNumber = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  const insert = async () => {
    if (batch.length === 0) return;
    try {
      await tx.execute(insertArchiveLines(table, batch, { overwrite: table.name in SEEDED }));
    } catch (error) {
      const problem = dataProblem(error);
      if (problem) throw new InvalidArchiveError(`${path} (lines ${lineNumber - batch.length + 1}–${lineNumber}): ${problem}`);
      throw error;
    }
    batch = [];
    batchBytes = 0;
  };
  const take = async (line: string) => {
    lineNumber += 1;
    if (line.trim() === '') throw new InvalidArchiveError(`${path} line ${lineNumber} is empty`);
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new InvalidArchiveError(`${path} line ${lineNumber} is not valid JSON`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new InvalidArchiveError(`${path} line ${lineNumber} is not a JSON object`);
    const unknown = Object.keys(row).find((key) => !known.has(key));
    if (unknown !== undefined) throw new InvalidArchiveError(`${path} line ${lineNumber} has column ${unknown}, which table ${table.name} does not have`);
    batch.push(line);
    batchBytes += line.length;
    if (batch.length >= BATCH_ROWS || batchBytes >= BATCH_BYTES) await insert();
  };
  for await (const chunk of bytesOf(entry)) {
    pending += decoder.write(chunk);
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      await take(line);
    }
    if (pending.length > LINE_MAX_BYTES) throw new InvalidArchiveError(`${path} line ${lineNumber + 1} is longer than ${LINE_MAX_BYTES} bytes`);
  }
  pending += decoder.end();
  if (pending !== '') await take(pending); // a last line without its newline
  await insert();
  return lineNumber;
}

async function readSmall(entry: AsyncIterable<Buffer>, limit: number, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of bytesOf(entry)) {
    size += chunk.length;
    if (size > limit) throw new InvalidArchiveError(`${name} is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

type ArchiveEntry = tar.Extract extends AsyncIterable<infer Entry> ? Entry : never;
type Entries = () => Promise<IteratorResult<ArchiveEntry>>;

async function readManifest(next: Entries) {
  const first = await next();
  if (first.done || first.value.header.name !== MANIFEST_FILE) throw new InvalidArchiveError(`The archive must begin with ${MANIFEST_FILE}`);
  let value: unknown;
  try {
    value = JSON.parse(await readSmall(first.value as AsyncIterable<Buffer>, MANIFEST_MAX_BYTES, MANIFEST_FILE));
  } catch (error) {
    throw error instanceof InvalidArchiveError ? error : new InvalidArchiveError(`${MANIFEST_FILE} is not valid JSON`);
  }
  return checkManifest(value, { schemaVersion: currentSchemaVersion(), tables: allTables(), excluded: EXCLUDED });
}

/** Imports the parts that follow the manifest, each table's in order, tables in the manifest's order; returns rows per table. */
async function importParts(tx: Executor, next: Entries, tables: { entry: ManifestTable; table: CatalogTable }[]): Promise<Map<string, number>> {
  const imported = new Map<string, number>(tables.map(({ entry }) => [entry.name, 0]));
  let position = 0; // index into `tables` of the table being read
  let lastPart = 0;
  for (let item = await next(); !item.done; item = await next()) {
    const { header } = item.value;
    if (header.type === 'directory') {
      item.value.resume();
      continue;
    }
    const part = header.type === 'file' ? parsePartPath(header.name) : undefined;
    if (!part) throw new InvalidArchiveError(`The archive holds ${header.name}, which is not a table part (tables/<table>/<NNNNNN>.ndjson)`);
    while (position < tables.length && tables[position]!.entry.name !== part.table) {
      position += 1;
      lastPart = 0;
    }
    const current = tables[position];
    if (!current) throw new InvalidArchiveError(`${header.name}: table ${part.table} is not in the manifest, or its parts come out of the manifest's order`);
    if (part.part !== lastPart + 1) throw new InvalidArchiveError(`${header.name}: expected part ${lastPart + 1} of table ${part.table}`);
    lastPart = part.part;
    imported.set(part.table, imported.get(part.table)! + (await importPart(tx, current.table, header.name, item.value as AsyncIterable<Buffer>)));
  }
  const short = tables.find(({ entry }) => imported.get(entry.name) !== entry.rows);
  if (short) {
    throw new InvalidArchiveError(
      `Table ${short.entry.name}: the manifest announces ${short.entry.rows} rows, the archive holds ${imported.get(short.entry.name)}; it is incomplete or altered`,
    );
  }
  return imported;
}

/**
 * Imports the archive (.tar.gz) read from `input` into an empty instance. `input` is never
 * destroyed (it may be an HTTP request still to be answered): on a failure the rest of it is
 * read and discarded.
 */
export async function importArchive(db: Database, input: Readable): Promise<ImportSummary> {
  const source = new PassThrough();
  input.pipe(source);
  input.once('error', (error) => source.destroy(error));
  input.once('close', () => input.readableEnded || source.destroy(new Error('the upload ended early')));
  const extract = tar.extract();
  const feeding = pipeline(source, createGunzip(), extract);
  feeding.catch(() => undefined); // awaited below; keeps an early failure from being unhandled meanwhile
  const entries = extract[Symbol.asyncIterator]();
  const next: Entries = async () => {
    try {
      return await entries.next();
    } catch (error) {
      throw unreadable(error);
    }
  };
  try {
    return await db.transaction(async (tx) => {
      const occupied = await lockAndFindData(tx);
      if (occupied.length > 0) throw new InstanceNotEmptyError(occupied);
      const { manifest, tables } = await readManifest(next);
      const imported = await importParts(tx, next, tables);
      try {
        await feeding; // the gzip trailer is checked only now
      } catch (error) {
        throw unreadable(error);
      }
      for (const { table } of tables) await resetSequences(tx, table);
      return { schemaVersion: manifest.schemaVersion, exportedAt: manifest.exportedAt, tables: Object.fromEntries(imported) };
    });
  } catch (error) {
    input.unpipe(source);
    input.resume();
    extract.destroy();
    await feeding.catch(() => undefined);
    throw error;
  }
}

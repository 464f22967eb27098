// The archive's layout and manifest (docs/export-format.md): a gzip-compressed tar holding
// manifest.json first, then each table's rows as NDJSON in numbered parts, tables in
// foreign-key order.

import { readFileSync } from 'node:fs';
import type { CatalogTable } from './table-catalog.js';

export const FORMAT = 'ocpp-csms-export';
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** A part is closed once it holds this many bytes (or more, by at most one row). */
export const PART_BYTES = 4 * 1024 * 1024;

export interface ManifestTable {
  name: string;
  rows: number;
  columns: { name: string; type: string }[];
  primaryKey: string[];
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  /** The last database migration of the exporting instance; an archive imports only into the same one. */
  schemaVersion: string;
  exportedAt: string;
  /** Set when the raw OCPP message log is in the archive. */
  includesMessageLog: boolean;
  /** Tables left out on purpose, with the reason. */
  excludedTables: Record<string, string>;
  tables: ManifestTable[];
}

/** tables/<table>/<part>.ndjson, parts numbered from 1 with six digits so they sort by name. */
export const partPath = (table: string, part: number) => `tables/${table}/${String(part).padStart(6, '0')}.ndjson`;

const PART_PATTERN = /^tables\/([^/]+)\/(\d{6})\.ndjson$/;

export function parsePartPath(path: string): { table: string; part: number } | undefined {
  const match = PART_PATTERN.exec(path);
  return match ? { table: match[1]!, part: Number(match[2]) } : undefined;
}

/** The tag of the newest migration this code ships (its schema version). */
export function currentSchemaVersion(): string {
  const journal = JSON.parse(readFileSync(new URL('../storage/migrations/meta/_journal.json', import.meta.url), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.at(-1)!.tag;
}

export const manifestTable = (table: CatalogTable, rows: number): ManifestTable => ({
  name: table.name,
  rows,
  columns: table.columns.map((column) => ({ name: column.name, type: column.sqlType })),
  primaryKey: table.primaryKey,
});

/** Thrown for an archive that cannot be imported here: the message says what is wrong. */
export class InvalidArchiveError extends Error {
  override name = 'InvalidArchiveError';
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a manifest against this instance's schema: same format and schema version, every
 * table known and exportable, the same columns, and an order that satisfies the foreign keys.
 * Returns the tables to import, in the manifest's order, paired with our description.
 */
export function checkManifest(
  value: unknown,
  ours: { schemaVersion: string; tables: CatalogTable[]; excluded: Record<string, string> },
): { manifest: Manifest; tables: { entry: ManifestTable; table: CatalogTable }[] } {
  if (!isRecord(value) || value['format'] !== FORMAT) throw new InvalidArchiveError(`manifest.json is not a ${FORMAT} manifest`);
  if (value['formatVersion'] !== FORMAT_VERSION) {
    throw new InvalidArchiveError(`The archive has format version ${String(value['formatVersion'])}; this instance reads version ${FORMAT_VERSION}`);
  }
  if (value['schemaVersion'] !== ours.schemaVersion) {
    throw new InvalidArchiveError(
      `The archive was exported at schema version ${String(value['schemaVersion'])}, this instance is at ${ours.schemaVersion}: ` +
        'import it into an instance of the version that exported it, then upgrade that instance',
    );
  }
  if (!Array.isArray(value['tables'])) throw new InvalidArchiveError('manifest.json has no list of tables');
  const byName = new Map(ours.tables.map((table) => [table.name, table]));
  const seen = new Set<string>();
  const tables = value['tables'].map((entry: unknown) => {
    if (!isRecord(entry) || typeof entry['name'] !== 'string' || !Number.isSafeInteger(entry['rows']) || (entry['rows'] as number) < 0 || !Array.isArray(entry['columns'])) {
      throw new InvalidArchiveError('manifest.json has a table entry without name, rows and columns');
    }
    const name = entry['name'];
    if (name in ours.excluded) throw new InvalidArchiveError(`Table ${name} is never imported: ${ours.excluded[name]}`);
    const table = byName.get(name);
    if (!table) throw new InvalidArchiveError(`The archive holds table ${name}, which this instance does not have`);
    if (seen.has(name)) throw new InvalidArchiveError(`manifest.json lists table ${name} twice`);
    const missingParent = table.parents.find((parent) => byName.has(parent) && !(parent in ours.excluded) && !seen.has(parent));
    if (missingParent) throw new InvalidArchiveError(`Table ${name} comes before ${missingParent}, which it references; parents must come first`);
    seen.add(name);
    const theirs = (entry['columns'] as unknown[]).map((column) => (isRecord(column) ? column['name'] : undefined));
    const wanted = table.columns.map((column) => column.name);
    if (theirs.length !== wanted.length || !wanted.every((column) => theirs.includes(column))) {
      throw new InvalidArchiveError(`Table ${name} has columns ${theirs.join(', ')}; this instance has ${wanted.join(', ')}`);
    }
    return { entry: entry as unknown as ManifestTable, table };
  });
  return { manifest: value as unknown as Manifest, tables };
}

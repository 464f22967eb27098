// Which tables a full export holds, read from the drizzle schema rather than listed by hand, so a
// table another capability adds is exported without anyone remembering to: every table is in,
// unless EXCLUDED names it with the reason. Also the order that satisfies the foreign keys
// (parents before children), for writing and for importing.

import { is } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import { PLATFORM_TENANT_ID } from '../capabilities/tenants/tables.js';
import * as schema from '../storage/schema.js';

/** Tables left out of every archive, and why (docs/export-format.md repeats this list). */
export const EXCLUDED: Readonly<Record<string, string>> = {
  user_sessions: 'dashboard log-ins: short-lived, and carrying them over would keep people logged in on another instance',
  users: "the instance's own dashboard accounts (with password hashes); each instance creates its administrator from ADMIN_EMAIL/ADMIN_PASSWORD",
  api_keys: "the instance's own API keys (hashes only, the secrets are never stored); each instance has its BOOTSTRAP_API_KEY or its generated key",
  audit_log: "the instance's own record of what its users and keys did (neither is exported); an import would be recorded into the very table it fills",
};

/**
 * Rows every instance holds from its migrations, before anyone adds data: they do not make an
 * instance "not empty", and the archive's copy overwrites them (same primary key) on import.
 * `where` (SQL) selects them.
 */
export const SEEDED: Readonly<Record<string, { where: string; why: string }>> = {
  tenants: { where: `id = ${PLATFORM_TENANT_ID}`, why: "the platform's own tenant, made by the migration that introduced tenants" },
};

/** Tables exported only when asked for, because they are large. */
export const OPTIONAL: Readonly<Record<string, string>> = {
  ocpp_messages: 'the raw OCPP message log: every frame in and out, by far the largest table',
};

export interface CatalogColumn {
  /** The database column name (snake_case), as in the SQL migrations. */
  name: string;
  /** PostgreSQL type as drizzle declares it, e.g. "timestamp with time zone", "bigserial", "text[]". */
  sqlType: string;
  /** Computed by the database (GENERATED ALWAYS AS): exported for readers, never inserted. */
  generated: boolean;
  /** GENERATED ALWAYS AS IDENTITY: inserting a value needs OVERRIDING SYSTEM VALUE. */
  identity: boolean;
}

export interface CatalogTable {
  name: string;
  columns: CatalogColumn[];
  /** Primary key columns: rows are written in this order, so archives of the same data are alike. */
  primaryKey: string[];
  /** Tables this one references by foreign key. */
  parents: string[];
}

const casing = new CasingCache('snake_case');

function describe(table: PgTable): CatalogTable {
  const config = getTableConfig(table);
  const columns = config.columns.map((column) => ({
    name: casing.getColumnCasing(column),
    sqlType: column.getSQLType(),
    generated: column.generated !== undefined,
    identity: column.generatedIdentity !== undefined,
  }));
  const primaryKey = config.columns.filter((column) => column.primary).map((column) => casing.getColumnCasing(column));
  for (const key of config.primaryKeys) primaryKey.push(...key.columns.map((column) => casing.getColumnCasing(column)));
  const parents = config.foreignKeys
    .map((key) => getTableConfig(key.reference().foreignTable).name)
    .filter((parent) => parent !== config.name);
  return { name: config.name, columns, primaryKey, parents: [...new Set(parents)] };
}

/** Orders tables so each comes after the tables it references; ties keep alphabetical order. */
export function foreignKeyOrder(tables: CatalogTable[]): CatalogTable[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const placed = new Set<string>();
  const ordered: CatalogTable[] = [];
  const visit = (table: CatalogTable, path: string[]) => {
    if (placed.has(table.name)) return;
    if (path.includes(table.name)) throw new Error(`Foreign keys form a cycle: ${[...path, table.name].join(' → ')}`);
    for (const parent of table.parents) {
      const parentTable = byName.get(parent);
      if (parentTable) visit(parentTable, [...path, table.name]);
    }
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, []);
  return ordered;
}

/** Every table of the schema, in foreign-key order. */
export function allTables(): CatalogTable[] {
  const tables = (Object.values(schema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .map(describe);
  return foreignKeyOrder(tables);
}

export interface ExportSelection {
  /** Include the tables of OPTIONAL (the message log). */
  includeOptional: boolean;
}

/** The tables an archive holds, in foreign-key order. */
export function exportedTables(selection: ExportSelection): CatalogTable[] {
  return allTables().filter((table) => !(table.name in EXCLUDED) && (selection.includeOptional || !(table.name in OPTIONAL)));
}

/** Double-quotes an identifier for SQL. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

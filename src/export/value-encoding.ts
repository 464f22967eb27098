// The archive's JSON encoding of PostgreSQL values, as SQL: the database renders each row as
// one JSON object on export and parses it back on import, so no value passes through a lossy
// JavaScript type (a Date has milliseconds, a number 53 bits). docs/export-format.md documents
// the same table for readers without our code.

import { sql, type SQL } from 'drizzle-orm';
import { quoteIdent, type CatalogColumn, type CatalogTable } from './table-catalog.js';

/** timestamptz in UTC with microseconds, e.g. 2026-03-01T12:00:00.123456Z. */
const UTC_INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const LOCAL_TIMESTAMP = `'YYYY-MM-DD"T"HH24:MI:SS.US'`;

type Kind = 'instant' | 'timestamp' | 'date' | 'exact-number' | 'bytes' | 'as-is';

function kindOf(sqlType: string): Kind {
  const type = sqlType.toLowerCase();
  if (type.endsWith('[]')) return 'as-is'; // JSON array of the elements
  if (type.startsWith('timestamp')) return type.includes('with time zone') ? 'instant' : 'timestamp';
  if (type === 'date') return 'date';
  if (/^(bigint|bigserial|int8|numeric|decimal)\b/.test(type)) return 'exact-number';
  if (type === 'bytea') return 'bytes';
  return 'as-is'; // text, enums, integers, booleans, floats (non-finite ones as strings), json, jsonb
}

/** The SQL expression that renders a column for the archive (aliased to its name). */
function exportExpression(column: CatalogColumn): string {
  const name = quoteIdent(column.name);
  switch (kindOf(column.sqlType)) {
    case 'instant':
      return `to_char(${name} at time zone 'UTC', ${UTC_INSTANT}) as ${name}`;
    case 'timestamp':
      return `to_char(${name}, ${LOCAL_TIMESTAMP}) as ${name}`;
    case 'date':
      return `to_char(${name}, 'YYYY-MM-DD') as ${name}`;
    case 'exact-number':
      return `${name}::text as ${name}`;
    case 'bytes':
      return `encode(${name}, 'base64') as ${name}`;
    case 'as-is':
      return name;
  }
}

/** serial types are column defaults, not types: the record definition needs the plain integer type. */
function recordType(sqlType: string): string {
  const type = sqlType.toLowerCase();
  if (type === 'serial') return 'integer';
  if (type === 'bigserial') return 'bigint';
  if (type === 'smallserial') return 'smallint';
  if (type === 'bytea') return 'text';
  return sqlType;
}

/** One column of `json_to_recordset(...) as r(<definition>)`: the archive's JSON value parsed as the column's type. */
const recordDefinition = (column: CatalogColumn) => `${quoteIdent(column.name)} ${recordType(column.sqlType)}`;

/** The value inserted from the parsed record `r`. */
function importExpression(column: CatalogColumn): string {
  const value = `r.${quoteIdent(column.name)}`;
  return kindOf(column.sqlType) === 'bytes' ? `decode(${value}, 'base64')` : value;
}

/** A query whose rows are the table's rows as archive lines (column `line`), ordered by the stored primary key. */
export function archiveLinesQuery(table: CatalogTable): string {
  const select = table.columns.map(exportExpression).join(', ');
  // Ordered by the stored key (not its rendering: "10" sorts before "9"), rendered per row.
  const order = table.primaryKey.length > 0 ? ` order by ${table.primaryKey.map((column) => `stored.${quoteIdent(column)}`).join(', ')}` : '';
  return `select row_to_json(r)::text as line from ${quoteIdent(table.name)} as stored cross join lateral (select ${select}) r${order}`;
}

/** Overwrites a row already there with the same primary key (the migrations' seeded rows) instead of failing. */
function overwriteClause(table: CatalogTable, columns: CatalogColumn[]): string {
  const changed = columns.filter((column) => !table.primaryKey.includes(column.name)).map((column) => quoteIdent(column.name));
  const set = changed.length > 0 ? `do update set ${changed.map((name) => `${name} = excluded.${name}`).join(', ')}` : 'do nothing';
  return ` on conflict (${table.primaryKey.map(quoteIdent).join(', ')}) ${set}`;
}

/**
 * Inserts archive lines (JSON objects) into the table; generated columns are left to the
 * database. With `overwrite`, a line whose primary key is taken replaces that row.
 */
export function insertArchiveLines(table: CatalogTable, lines: string[], options: { overwrite?: boolean } = {}): SQL {
  const columns = table.columns.filter((column) => !column.generated);
  const overriding = columns.some((column) => column.identity) ? ' overriding system value' : '';
  const into = `insert into ${quoteIdent(table.name)} (${columns.map((column) => quoteIdent(column.name)).join(', ')})${overriding}`;
  const values = `select ${columns.map(importExpression).join(', ')} from json_to_recordset(`;
  const record = `::json) as r(${columns.map(recordDefinition).join(', ')})`;
  const conflict = options.overwrite && table.primaryKey.length > 0 ? overwriteClause(table, columns) : '';
  return sql`${sql.raw(`${into} ${values}`)}${`[${lines.join(',')}]`}${sql.raw(`${record}${conflict}`)}`;
}

// The archive's JSON encoding of PostgreSQL values, as SQL: the database renders each row as
// one JSON object on export and parses it back on import, so no value passes through a lossy
// JavaScript type (a Date has milliseconds, a number 53 bits). docs/export-format.md documents
// the same table for readers without our code.

import { quoteIdent, type CatalogColumn } from './table-catalog.js';

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
export function exportExpression(column: CatalogColumn): string {
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
export const recordDefinition = (column: CatalogColumn) => `${quoteIdent(column.name)} ${recordType(column.sqlType)}`;

/** The value inserted from the parsed record `r`. */
export function importExpression(column: CatalogColumn): string {
  const value = `r.${quoteIdent(column.name)}`;
  return kindOf(column.sqlType) === 'bytes' ? `decode(${value}, 'base64')` : value;
}

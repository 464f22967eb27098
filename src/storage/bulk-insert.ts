// Inserts any number of rows with one statement of fixed shape: the rows travel as one JSON
// parameter and json_to_recordset turns them back into rows inside the database. Encoding is a
// single native JSON.stringify (escaping values one by one in JavaScript costs far more), the
// statement text is the same whatever the row count, and the parsing happens in the database
// process rather than on the event loop.

import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './database.js';

interface ColumnPlan {
  key: string;
  /** `"station_id"`: the column in the table. */
  column: string;
  /** `"stationId" text`: the field of the JSON record and its type. */
  field: string;
}

const plans = new WeakMap<PgTable, ColumnPlan[]>();

function planFor(table: PgTable): ColumnPlan[] {
  let plan = plans.get(table);
  if (plan) return plan;
  plan = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const type = column.getSQLType().replace(/^bigserial$/, 'bigint').replace(/^serial$/, 'integer');
    // Columns declared without an explicit name take the key, written snake_case in the database.
    const name = column.name === key ? toSnakeCase(key) : column.name;
    return { key, column: `"${name}"`, field: `"${key}" ${type}` };
  });
  plans.set(table, plan);
  return plan;
}

/**
 * Inserts `rows` (objects keyed like the table's columns; Dates and nested JSON as they are).
 * Columns no row sets are left to their defaults; in the others, an undefined value stores null.
 */
export async function bulkInsert<T extends PgTable>(
  db: Executor,
  table: T,
  rows: readonly T['$inferInsert'][],
  options: { onConflictDoNothing?: boolean } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const columns = planFor(table).filter((column) => rows.some((row) => (row as Record<string, unknown>)[column.key] !== undefined));
  const targets = sql.raw(columns.map((column) => column.column).join(', '));
  const fields = sql.raw(columns.map((column) => column.field).join(', '));
  const picks = sql.raw(columns.map((column) => `"${column.key}"`).join(', '));
  const conflict: SQL = options.onConflictDoNothing ? sql` on conflict do nothing` : sql``;
  await db.execute(
    sql`insert into ${table} (${targets}) select ${picks} from json_to_recordset(${JSON.stringify(rows)}::json) as r(${fields})${conflict}`,
  );
}

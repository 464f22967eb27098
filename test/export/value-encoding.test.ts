// The archive's JSON encoding on the real database, for the column types later tables will
// bring (exact money amounts, binary certificates, dates, arrays, JSON scalars): each value is
// written as docs/export-format.md says and reads back to exactly the stored value.

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../src/storage/database.js';
import type { CatalogTable } from '../../src/export/table-catalog.js';
import { archiveLinesQuery, insertArchiveLines } from '../../src/export/value-encoding.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Types as drizzle's getSQLType() names them.
const COLUMNS: [string, string][] = [
  ['id', 'bigserial'],
  ['price', 'numeric(12, 4)'],
  ['big', 'bigint'],
  ['small', 'integer'],
  ['ratio', 'double precision'],
  ['at', 'timestamp (6) with time zone'],
  ['local_at', 'timestamp'],
  ['day', 'date'],
  ['blob', 'bytea'],
  ['doc', 'jsonb'],
  ['tags', 'text[]'],
  ['counts', 'integer[]'],
  ['flag', 'boolean'],
  ['label', 'varchar(20)'],
  ['uid', 'uuid'],
];

const table = (name: string): CatalogTable => ({
  name,
  columns: COLUMNS.map(([column, sqlType]) => ({ name: column, sqlType, generated: false, identity: false })),
  primaryKey: ['id'],
  parents: [],
});

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const db = server.server.storage.db;
  for (const name of ['probe_source', 'probe_copy']) {
    await db.execute(sql.raw(`create table ${name} (${COLUMNS.map(([column, type]) => `${column} ${type}`).join(', ')}, primary key (id))`));
  }
  await db.execute(
    sql.raw(`insert into probe_source values
      (10, 12345678.1234, 9007199254740993, -7, 0.1, '2026-03-29 01:30:00.123456+01', '2026-03-29 02:30:00.5', '2026-02-28',
       '\\xdeadbeef', '"just a string"', '{"a,b","quote\\"d", null}', '{1,2,3}', true, 'Grüße ✓', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
      (9, -0.0001, -1, 0, 'NaN', '1999-12-31 23:59:59.999999Z', null, null, '\\x', '{"nested": {"n": 1.5, "s": [true, null]}}', '{}', null, false, '', null),
      (11, null, null, null, '-Infinity', null, null, null, null, null, null, null, null, null, null)`),
  );
});
afterAll(() => server?.close());

it('writes each type as documented and reads it back unchanged', async () => {
  const db = server.server.storage.db;
  const lines = await db.transaction(async (tx) => {
    await tx.execute(sql`set local time zone 'America/New_York'`); // the encoding must not depend on the session's zone
    return (await queryRows<{ line: string }>(tx, sql.raw(archiveLinesQuery(table('probe_source'))))).map((row) => row.line);
  });
  const rows = lines.map((line) => JSON.parse(line));
  expect(rows.map((row) => row.id)).toEqual(['9', '10', '11']); // by the stored key, not its text
  expect(rows[1]).toEqual({
    id: '10',
    price: '12345678.1234',
    big: '9007199254740993', // beyond a double's exact range
    small: -7,
    ratio: 0.1,
    at: '2026-03-29T00:30:00.123456Z',
    local_at: '2026-03-29T02:30:00.500000',
    day: '2026-02-28',
    blob: Buffer.from('deadbeef', 'hex').toString('base64'),
    doc: 'just a string',
    tags: ['a,b', 'quote"d', null],
    counts: [1, 2, 3],
    flag: true,
    label: 'Grüße ✓',
    uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  });
  expect(rows[0]).toMatchObject({ price: '-0.0001', ratio: 'NaN', at: '1999-12-31T23:59:59.999999Z', blob: '', doc: { nested: { n: 1.5, s: [true, null] } }, tags: [] });
  expect(rows[2]).toMatchObject({ price: null, ratio: '-Infinity', doc: null, blob: null });

  await db.execute(insertArchiveLines(table('probe_copy'), lines));
  const differences = await queryRows(db, sql.raw('(select * from probe_source except select * from probe_copy) union all (select * from probe_copy except select * from probe_source)'));
  expect(differences).toEqual([]);
});

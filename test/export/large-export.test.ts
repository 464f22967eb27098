// A larger data set (thousands of sessions, tens of thousands of meter values) goes through the
// archive in several parts per table, streamed, and comes back whole.

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_API_KEY, startTestServer, type TestServer } from '../support/test-server.js';
import { downloadArchive, openArchive, readAll, uploadArchive } from './archive-helpers.js';

const SESSIONS = 1200;
const SAMPLES_PER_SESSION = 16;
const TIMEOUT = 300_000;

let source: TestServer;
let target: TestServer;
beforeAll(async () => {
  source = await startTestServer();
  target = await startTestServer();
  expect((await source.api('POST', '/api/v1/stations', { id: 'BULK-1' })).status).toBe(201);
  // A year of sessions, made in the database directly: the OCPP path is not what is tested here.
  await source.server.storage.db.execute(sql`
    insert into transactions (station_id, connector_id, id_tag, id_tag_status, started_at, start_received_at, meter_start_wh,
                              stopped_at, stop_received_at, meter_stop_wh, stop_reason, stopped_by, energy_wh)
    select 'BULK-1', 1 + n % 2, 'TAG-' || (n % 50), 'Accepted', t, t, n * 10000, t + interval '2 hours', t + interval '2 hours',
           n * 10000 + 7300, 'Local', 'station', 7300
    from generate_series(1, ${SESSIONS}) n, lateral (select timestamptz '2025-01-01T00:00:00Z' + n * interval '4 hours 17 minutes 0.123456 seconds' as t) s`);
  await source.server.storage.db.execute(sql`
    insert into meter_values (station_id, connector_id, transaction_id, sampled_at, received_at, source, context, measurand, value, unit, raw_value)
    select x.station_id, x.connector_id, x.id, x.started_at + k * interval '6 minutes', x.started_at + k * interval '6 minutes',
           'MeterValues', 'Sample.Periodic', 'Energy.Active.Import.Register', x.meter_start_wh + k * 365.5, 'Wh', (x.meter_start_wh + k * 365.5)::text
    from transactions x, generate_series(1, ${SAMPLES_PER_SESSION}) k`);
}, TIMEOUT);

it('ends the export and frees its database connection when the client goes away', async () => {
  const aborted = new AbortController();
  const response = await fetch(`${source.url}/api/v1/exports/archive`, { headers: { authorization: `Bearer ${TEST_API_KEY}` }, signal: aborted.signal });
  const reader = response.body!.getReader();
  await reader.read();
  aborted.abort();
  await reader.read().catch(() => undefined);
  // On the embedded database the export held the only connection; this write needs it back.
  expect((await source.api('POST', '/api/v1/id-tags', { idTag: 'AFTER-ABORT' })).status).toBe(201);
}, TIMEOUT);
afterAll(async () => {
  await source?.close();
  await target?.close();
});

it('writes each large table in parts of bounded size and imports them all', async () => {
  const archive = await downloadArchive(source, '');
  const files = await openArchive(archive);
  const parts = files.filter(([name]) => name.startsWith('tables/meter_values/'));
  expect(parts.length).toBeGreaterThanOrEqual(2);
  expect(parts.map(([name]) => name)).toEqual(parts.map((_, index) => `tables/meter_values/${String(index + 1).padStart(6, '0')}.ndjson`));
  for (const [, content] of parts.slice(0, -1)) expect(content.length).toBeLessThan(4 * 1024 * 1024 + 4096);
  const lines = parts.reduce((sum, [, content]) => sum + content.toString('utf8').trimEnd().split('\n').length, 0);
  expect(lines).toBe(SESSIONS * SAMPLES_PER_SESSION);

  const imported = await uploadArchive(target, archive);
  expect(imported.status).toBe(200);
  expect(imported.body.imported.tables).toMatchObject({ transactions: SESSIONS, meter_values: SESSIONS * SAMPLES_PER_SESSION });
  const paths = [
    '/api/v1/sessions?limit=1000',
    '/api/v1/sessions?limit=1000&offset=1000', // the rest
    '/api/v1/sessions/1/meter-values',
    `/api/v1/sessions/${SESSIONS}/meter-values`,
    '/api/v1/overview?since=2025-01-01T00:00:00Z',
  ];
  expect(await readAll(target, paths)).toEqual(await readAll(source, paths));
  // Compared as text: a deep comparison of megabyte Buffers goes byte by byte and takes minutes.
  const asText = (archiveFiles: [string, Buffer][]) => archiveFiles.slice(1).map(([name, content]) => [name, content.toString('utf8')]);
  expect(asText(await openArchive(await downloadArchive(target, '')))).toEqual(asText(files));
}, TIMEOUT);

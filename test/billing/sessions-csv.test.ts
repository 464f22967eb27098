// GET /api/v1/exports/sessions.csv: a header row, then one row per session started in
// [from, to), oldest first, with its rated cost; more sessions than one page.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/api/csv.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { TEST_API_KEY, startTestServer, type TestServer } from '../support/test-server.js';
import { ratedSession, runSession } from './session-driver.js';

let server: TestServer;
let client: OcppTestClient;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'CSV-CARD' })).status).toBe(201);
  const tariff = await server.api('POST', '/api/v1/tariffs', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 20, step_size: 1 }] }] });
  expect((await server.api('POST', '/api/v1/stations', { id: 'CSV-ST', tariffId: tariff.body.id })).status).toBe(201);
  client = await OcppTestClient.connect(server.ocppUrl('CSV-ST'));
  await boot(client);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function csv(query: string): Promise<{ status: number; type: string | null; rows: string[][] }> {
  const response = await fetch(`${server.url}/api/v1/exports/sessions.csv${query}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  return { status: response.status, type: response.headers.get('content-type'), rows: parseCsv(await response.text()).map((row) => row.cells) };
}

describe('sessions CSV', () => {
  it('streams a header and one row per session in the range, with its cost', async () => {
    const ids: number[] = [];
    for (let day = 1; day <= 3; day++) {
      const start = `2026-05-0${day}T10:00:00Z`;
      ids.push(await runSession(client, { idTag: 'CSV-CARD', start, meterStartWh: day * 100_000, stop: `2026-05-0${day}T11:00:00Z`, meterStopWh: day * 100_000 + 1234 * day }));
    }
    for (const id of ids) await ratedSession(server, id);

    const all = await csv('?from=2026-05-01&to=2026-05-04');
    expect(all.status).toBe(200);
    expect(all.type).toContain('text/csv');
    const [header, ...rows] = all.rows;
    expect(header!.slice(0, 13)).toEqual(['id', 'stationId', 'connectorId', 'idTag', 'startedAt', 'stoppedAt', 'meterStartWh', 'meterStopWh', 'energyWh', 'stopReason', 'currency', 'totalExclTax', 'total']);
    expect(rows.map((row) => Number(row[0]))).toEqual(ids);
    const column = (name: string) => header!.indexOf(name);
    expect(rows[1]![column('startedAt')]).toBe('2026-05-02T10:00:00.000Z');
    expect(rows[1]![column('energyWh')]).toBe('2468');
    expect(rows[1]![column('currency')]).toBe('EUR');
    expect(rows[1]![column('totalExclTax')]).toBe('0.62'); // 2.468 kWh × 0.25 = 0.617
    expect(rows[1]![column('total')]).toBe('0.74'); // 0.62 × 1.2 = 0.744
    expect(rows[1]![column('stopReason')]).toBe('EVDisconnected');

    const middle = await csv('?from=2026-05-02T00:00:00Z&to=2026-05-03T00:00:00Z');
    expect(middle.rows.slice(1).map((row) => Number(row[0]))).toEqual([ids[1]]);
    const bad = await server.api('GET', '/api/v1/exports/sessions.csv?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('from');
  });

  it('pages through more sessions than one page holds', async () => {
    const { transactions } = await import('../../src/storage/schema.js');
    const db = server.server.storage.db;
    const base = Date.parse('2025-01-01T00:00:00Z');
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      stationId: 'CSV-ST',
      connectorId: 2,
      idTag: 'CSV-CARD',
      idTagStatus: 'Accepted',
      startedAt: new Date(base + i * 60_000),
      startReceivedAt: new Date(base + i * 60_000),
      meterStartWh: i,
    }));
    await db.insert(transactions).values(rows);
    const exported = await csv('?from=2025-01-01&to=2025-02-01');
    expect(exported.rows).toHaveLength(1 + 1203);
    expect(exported.rows.slice(1).map((row) => Number(row[6]))).toEqual(rows.map((row) => row.meterStartWh));
  });
});

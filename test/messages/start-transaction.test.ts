// StartTransaction: ids from the database, retransmissions, tags that may not charge,
// reservations, late and implausible timestamps, and a connector whose last session never stopped.

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactions } from '../../src/storage/schema.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
const clients: OcppTestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  for (const tag of [{ idTag: 'START-OK' }, { idTag: 'START-BLOCKED', status: 'Blocked' }, { idTag: 'START-OTHER' }]) {
    expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
  }
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

async function station(id: string): Promise<OcppTestClient> {
  const client = await OcppTestClient.connect(server.ocppUrl(id));
  clients.push(client);
  expect((await boot(client)).status).toBe('Accepted');
  return client;
}

const rowsOf = (stationId: string) => server.server.storage.db.select().from(transactions).where(eq(transactions.stationId, stationId));
const session = async (id: number) => {
  const response = await server.api('GET', `/api/v1/sessions/${id}`);
  expect(response.status).toBe(200);
  return response.body;
};
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('StartTransaction', () => {
  it('hands out transactionIds from the database, increasing integers', async () => {
    const a = await station('START-IDS-A');
    const b = await station('START-IDS-B');
    const ids: number[] = [];
    ids.push((await a.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 0, timestamp: minutesAgo(5) })).transactionId);
    ids.push((await b.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 0, timestamp: minutesAgo(5) })).transactionId);
    ids.push((await a.call('StartTransaction', { connectorId: 2, idTag: 'START-OTHER', meterStart: 10, timestamp: minutesAgo(4) })).transactionId);
    for (const id of ids) {
      expect(Number.isInteger(id)).toBe(true);
      expect(id).toBeGreaterThan(0);
    }
    expect(ids[1]).toBeGreaterThan(ids[0]!);
    expect(ids[2]).toBeGreaterThan(ids[1]!);
    const stored = [...(await rowsOf('START-IDS-A')), ...(await rowsOf('START-IDS-B'))].map((row) => row.id).sort((x, y) => x - y);
    expect(stored).toEqual(ids);
  });

  it('records the start with the station’s timestamp, meterStart and an Accepted answer', async () => {
    const client = await station('START-BASIC');
    const timestamp = minutesAgo(2);
    const before = Date.now();
    const answer = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 12_345, timestamp });
    expect(answer.idTagInfo).toEqual({ status: 'Accepted' });
    const body = await session(answer.transactionId);
    expect(body).toMatchObject({
      id: answer.transactionId,
      stationId: 'START-BASIC',
      connectorId: 1,
      idTag: 'START-OK',
      idTagStatus: 'Accepted',
      reservationId: null,
      startedAt: timestamp,
      meterStartWh: 12_345,
      stoppedAt: null,
      active: true,
      flags: [],
    });
    expect(Date.parse(body.startReceivedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('answers a retransmission with the same transactionId and stores no second row', async () => {
    const client = await station('START-RETX');
    const request = { connectorId: 1, idTag: 'START-OK', meterStart: 777, timestamp: minutesAgo(3) };
    const first = await client.call('StartTransaction', request);
    const second = await client.call('StartTransaction', request);
    const third = await client.call('StartTransaction', { ...request });
    expect(second.transactionId).toBe(first.transactionId);
    expect(third.transactionId).toBe(first.transactionId);
    expect(second.idTagInfo.status).toBe('Accepted');
    const rows = await rowsOf('START-RETX');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.transactionId, stoppedAt: null, flags: [] });
  });

  it('a start that differs in any identity field is a new transaction', async () => {
    const client = await station('START-DIFF');
    const timestamp = minutesAgo(10);
    const first = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 100, timestamp });
    const otherMeter = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 101, timestamp });
    expect(otherMeter.transactionId).not.toBe(first.transactionId);
    expect(await rowsOf('START-DIFF')).toHaveLength(2);
  });

  it('records a start with a blocked tag, answers Blocked and flags it', async () => {
    const client = await station('START-BLK');
    const answer = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-BLOCKED', meterStart: 0, timestamp: minutesAgo(1) });
    expect(answer.idTagInfo.status).toBe('Blocked');
    expect(answer.transactionId).toBeGreaterThan(0);
    const body = await session(answer.transactionId);
    expect(body).toMatchObject({ idTag: 'START-BLOCKED', idTagStatus: 'Blocked', active: true });
    expect(body.flags).toEqual(['id_tag_not_accepted']);
  });

  it('records a start with an unknown tag as Invalid and flags it', async () => {
    const client = await station('START-UNK');
    const answer = await client.call('StartTransaction', { connectorId: 1, idTag: 'WHO-IS-THIS', meterStart: 0, timestamp: minutesAgo(1) });
    expect(answer.idTagInfo.status).toBe('Invalid');
    const body = await session(answer.transactionId);
    expect(body).toMatchObject({ idTagStatus: 'Invalid', flags: ['id_tag_not_accepted'] });
  });

  it('accepts a tag in another letter case and keeps it as sent', async () => {
    const client = await station('START-CASE');
    const answer = await client.call('StartTransaction', { connectorId: 1, idTag: 'start-ok', meterStart: 0, timestamp: minutesAgo(1) });
    expect(answer.idTagInfo.status).toBe('Accepted');
    expect(await session(answer.transactionId)).toMatchObject({ idTag: 'start-ok', idTagStatus: 'Accepted', flags: [] });
  });

  it('keeps the reservationId', async () => {
    const client = await station('START-RES');
    const answer = await client.call('StartTransaction', { connectorId: 2, idTag: 'START-OK', meterStart: 0, timestamp: minutesAgo(1), reservationId: 4711 });
    expect((await session(answer.transactionId)).reservationId).toBe(4711);
  });

  it('accepts a start queued offline hours ago; the station’s timestamp is the start', async () => {
    const client = await station('START-LATE');
    const hoursAgo = new Date(Date.now() - 5 * 3600_000).toISOString();
    const answer = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 2_000, timestamp: hoursAgo });
    expect(answer.idTagInfo.status).toBe('Accepted');
    const body = await session(answer.transactionId);
    expect(body.startedAt).toBe(hoursAgo);
    expect(Date.parse(body.startReceivedAt) - Date.parse(hoursAgo)).toBeGreaterThan(4.9 * 3600_000);
    expect(body.flags).toEqual([]);

    // The rest of the offline queue, in order: samples and the stop, also hours late.
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: answer.transactionId,
      meterValue: [{ timestamp: new Date(Date.now() - 4.5 * 3600_000).toISOString(), sampledValue: [{ value: '5000' }] }],
    });
    const stoppedAt = new Date(Date.now() - 4 * 3600_000).toISOString();
    expect(await client.call('StopTransaction', { transactionId: answer.transactionId, meterStop: 9_000, timestamp: stoppedAt })).toEqual({});
    expect(await session(answer.transactionId)).toMatchObject({ startedAt: hoursAgo, stoppedAt, energyWh: 7_000, active: false, flags: [] });
  });

  it('flags an implausible timestamp (1970) but does not refuse the start, and keeps the receive time', async () => {
    const client = await station('START-1970');
    const before = Date.now();
    const answer = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 0, timestamp: '1970-01-01T00:00:12Z' });
    expect(answer.idTagInfo.status).toBe('Accepted');
    const body = await session(answer.transactionId);
    expect(body.startedAt).toBe('1970-01-01T00:00:12.000Z');
    expect(body.flags).toEqual(['implausible_start_timestamp']);
    expect(Date.parse(body.startReceivedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('flags a timestamp days ahead of the server clock', async () => {
    const client = await station('START-FUTURE');
    const answer = await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'START-OK',
      meterStart: 0,
      timestamp: new Date(Date.now() + 3 * 24 * 3600_000).toISOString(),
    });
    expect(answer.idTagInfo.status).toBe('Accepted');
    expect((await session(answer.transactionId)).flags).toEqual(['implausible_start_timestamp']);
  });

  it('keeps the raw text of a timestamp without a time zone', async () => {
    const client = await station('START-NAIVE');
    const naive = new Date(Date.now() - 60 * 60_000).toISOString().slice(0, 19); // no zone
    const answer = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 0, timestamp: naive });
    const body = await session(answer.transactionId);
    expect(body.startedAtRaw).toBe(naive);
    expect(body.startedAt).toBe(`${naive}.000Z`);
  });

  it('a new start on a connector whose last session never stopped closes the old one from its last meter value', async () => {
    const client = await station('START-STALE');
    const t0 = Date.now() - 3 * 3600_000;
    const iso = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    const old = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 1_000, timestamp: iso(0) });
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: old.transactionId,
      meterValue: [
        { timestamp: iso(15), sampledValue: [{ value: '2500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] },
        { timestamp: iso(30), sampledValue: [{ value: '4200', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] },
      ],
    });
    // A session on another connector is not touched.
    const neighbour = await client.call('StartTransaction', { connectorId: 2, idTag: 'START-OTHER', meterStart: 0, timestamp: iso(5) });

    // The link was lost: no StopTransaction; the next session starts on connector 1.
    const fresh = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OTHER', meterStart: 4_300, timestamp: iso(90) });
    expect(fresh.idTagInfo.status).toBe('Accepted');
    expect(fresh.transactionId).toBeGreaterThan(old.transactionId);

    const closed = await session(old.transactionId);
    expect(closed).toMatchObject({
      active: false,
      stoppedAt: iso(30),
      meterStartWh: 1_000,
      meterStopWh: 4_200,
      energyWh: 3_200,
      stoppedBy: 'backend',
    });
    expect(closed.flags).toEqual(['closed_by_new_start']);
    expect(await session(fresh.transactionId)).toMatchObject({ active: true, meterStartWh: 4_300, flags: [] });
    expect(await session(neighbour.transactionId)).toMatchObject({ active: true, stoppedAt: null });

    const open = await server.api('GET', '/api/v1/sessions?stationId=START-STALE&active=true');
    expect((open.body as { id: number }[]).map((row) => row.id).sort()).toEqual([neighbour.transactionId, fresh.transactionId].sort());
  });

  it('a stale session without any meter value is closed at its start with meterStop = meterStart', async () => {
    const client = await station('START-STALE-2');
    const old = await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 800, timestamp: minutesAgo(60) });
    await client.call('StartTransaction', { connectorId: 1, idTag: 'START-OK', meterStart: 900, timestamp: minutesAgo(10) });
    const closed = await session(old.transactionId);
    expect(closed).toMatchObject({ active: false, stoppedBy: 'backend', meterStopWh: 800, energyWh: 0, flags: ['closed_by_new_start'] });
    expect(closed.stoppedAt).toBe(closed.startedAt);
  });

  it('a retransmitted start does not close the session it started', async () => {
    const client = await station('START-RETX-2');
    const request = { connectorId: 1, idTag: 'START-OK', meterStart: 0, timestamp: minutesAgo(20) };
    const first = await client.call('StartTransaction', request);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: first.transactionId,
      meterValue: [{ timestamp: minutesAgo(10), sampledValue: [{ value: '1000' }] }],
    });
    const again = await client.call('StartTransaction', request);
    expect(again.transactionId).toBe(first.transactionId);
    expect(await session(first.transactionId)).toMatchObject({ active: true, flags: [] });
  });
});

// Transactions a station started while offline (on its local list or cache) and delivers late:
// recorded whatever the tag's standing now, answered with that standing, flagged when the tag
// is refused, billed from the station's own meter values; StopTransactionOnInvalidId decides
// whether the station goes on charging, and the flags say which.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcppTestClient } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { FakeStation, eventually } from './fake-station.js';

let server: TestServer;
const closers: Array<{ close(): Promise<unknown> }> = [];

beforeAll(async () => {
  server = await startTestServer();
  for (const tag of [{ idTag: 'OFF-OK' }, { idTag: 'OFF-BLOCKED', status: 'Blocked' }, { idTag: 'OFF-LAPSED', expiryDate: new Date(Date.now() - 3_600_000).toISOString() }]) {
    expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
  }
});
afterAll(async () => {
  await Promise.all(closers.map((closer) => closer.close()));
  await server.close();
});

async function station(id: string): Promise<OcppTestClient> {
  const fake = await FakeStation.connect(server, id);
  closers.push(fake);
  return fake.client;
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const session = async (id: number) => (await server.api('GET', `/api/v1/sessions/${id}`)).body;

describe('offline transactions delivered late', () => {
  it('records a start with a tag blocked since, answers Blocked, flags it, and bills it when the station stops it', async () => {
    const client = await station('OFF-1');
    const request = { connectorId: 1, idTag: 'off-blocked', meterStart: 10_000, timestamp: hoursAgo(3) };
    const answer = await client.call('StartTransaction', request);
    expect(answer.idTagInfo).toEqual({ status: 'Blocked' });
    expect(answer.transactionId).toBeGreaterThan(0);
    expect(await session(answer.transactionId)).toMatchObject({
      idTag: 'off-blocked',
      idTagStatus: 'Blocked',
      startedAt: request.timestamp,
      active: true,
      flags: ['id_tag_not_accepted', 'offline_start_not_accepted'],
    });

    // The station's queue goes on: a retransmission gets the same transaction, then the stop.
    expect(await client.call('StartTransaction', request)).toEqual(answer);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: answer.transactionId,
      meterValue: [{ timestamp: hoursAgo(2.5), sampledValue: [{ value: '13000' }] }],
    });
    // StopTransactionOnInvalidId (the default, true): the station stopped it on our answer.
    expect(await client.call('StopTransaction', { transactionId: answer.transactionId, meterStop: 14_500, timestamp: hoursAgo(2), reason: 'DeAuthorized' })).toEqual({});
    expect(await session(answer.transactionId)).toMatchObject({
      active: false,
      stopReason: 'DeAuthorized',
      energyWh: 4_500,
      flags: ['id_tag_not_accepted', 'offline_start_not_accepted'],
    });
    const { body: sessions } = await server.api('GET', '/api/v1/sessions?stationId=OFF-1');
    expect(sessions).toHaveLength(1);
  });

  it('does the same for a tag that is unknown or expired now', async () => {
    const client = await station('OFF-2');
    const unknown = await client.call('StartTransaction', { connectorId: 1, idTag: 'NEVER-REGISTERED', meterStart: 0, timestamp: hoursAgo(6) });
    expect(unknown.idTagInfo).toEqual({ status: 'Invalid' });
    expect((await session(unknown.transactionId)).flags).toEqual(['id_tag_not_accepted', 'offline_start_not_accepted']);
    const lapsed = await client.call('StartTransaction', { connectorId: 2, idTag: 'OFF-LAPSED', meterStart: 0, timestamp: hoursAgo(2) });
    expect(lapsed.idTagInfo.status).toBe('Expired');
    expect((await session(lapsed.transactionId)).flags).toEqual(['id_tag_not_accepted', 'offline_start_not_accepted']);
  });

  it('does not flag a late start whose tag may charge, nor a refused start that was not late', async () => {
    const client = await station('OFF-3');
    const late = await client.call('StartTransaction', { connectorId: 1, idTag: 'OFF-OK', meterStart: 0, timestamp: hoursAgo(8) });
    expect(late.idTagInfo).toEqual({ status: 'Accepted' });
    expect((await session(late.transactionId)).flags).toEqual([]);
    const now = await client.call('StartTransaction', { connectorId: 2, idTag: 'OFF-BLOCKED', meterStart: 0, timestamp: new Date(Date.now() - 30_000).toISOString() });
    expect((await session(now.transactionId)).flags).toEqual(['id_tag_not_accepted']);
    // A clock that was never set is implausible, not late.
    const unset = await client.call('StartTransaction', { connectorId: 3, idTag: 'OFF-BLOCKED', meterStart: 0, timestamp: '1970-01-01T00:01:00Z' });
    expect((await session(unset.transactionId)).flags).toEqual(['id_tag_not_accepted', 'implausible_start_timestamp']);
  });

  it('flags a refused start at a station whose StopTransactionOnInvalidId is false: it charges on, and is billed', async () => {
    const fake = await FakeStation.connect(server, 'OFF-KEEPS-CHARGING', { keys: { StopTransactionOnInvalidId: 'false' } });
    closers.push(fake);
    // The station's settings are read when it boots (the local list synchronisation).
    await eventually(async () => (await server.api('GET', '/api/v1/stations/OFF-KEEPS-CHARGING/local-list')).body.settings?.stopTransactionOnInvalidId === false, 'the station’s settings');

    const answer = await fake.client.call('StartTransaction', { connectorId: 1, idTag: 'OFF-BLOCKED', meterStart: 0, timestamp: hoursAgo(1) });
    expect(answer.idTagInfo.status).toBe('Blocked');
    expect((await session(answer.transactionId)).flags).toEqual(['id_tag_not_accepted', 'offline_start_not_accepted', 'charging_on_invalid_id']);
    await fake.client.call('StopTransaction', { transactionId: answer.transactionId, meterStop: 22_000, timestamp: new Date().toISOString(), reason: 'EVDisconnected' });
    expect(await session(answer.transactionId)).toMatchObject({ active: false, energyWh: 22_000, stopReason: 'EVDisconnected' });
  });
});

// Heartbeat and StatusNotification: the time, each connector's current status with its error
// and vendor details, the history of every notification, late and retransmitted notifications,
// and status being advisory to the transaction lifecycle.

import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusNotifications } from '../../src/storage/schema.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
const clients: OcppTestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  await server.api('POST', '/api/v1/id-tags', { idTag: 'STATUS-CARD' });
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

async function history(stationId: string, connectorId: number) {
  return server.server.storage.db
    .select()
    .from(statusNotifications)
    .where(and(eq(statusNotifications.stationId, stationId), eq(statusNotifications.connectorId, connectorId)))
    .orderBy(asc(statusNotifications.id));
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('Heartbeat', () => {
  it('returns the current time as an ISO 8601 timestamp', async () => {
    const client = await station('HB-1');
    const before = Date.now();
    const answer = await client.call('Heartbeat', {});
    expect(Object.keys(answer)).toEqual(['currentTime']);
    expect(answer.currentTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const time = Date.parse(answer.currentTime);
    expect(time).toBeGreaterThanOrEqual(before - 1000);
    expect(time).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

describe('StatusNotification', () => {
  it('keeps the status of connector 0 and of each connector with error code, info and vendor details', async () => {
    const client = await station('ST-1');
    const at = minutesAgo(1);
    expect(await client.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError', timestamp: at })).toEqual({});
    await client.call('StatusNotification', {
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
      info: 'RCD tripped',
      vendorId: 'com.acme',
      vendorErrorCode: 'E-042',
      timestamp: at,
    });
    await client.call('StatusNotification', { connectorId: 2, status: 'Preparing', errorCode: 'NoError', info: 'cable plugged', timestamp: at });

    const { body } = await server.api('GET', '/api/v1/stations/ST-1');
    expect(body.connectors).toEqual([
      { connectorId: 0, status: 'Available', errorCode: 'NoError', info: null, vendorId: null, vendorErrorCode: null, statusAt: at },
      { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure', info: 'RCD tripped', vendorId: 'com.acme', vendorErrorCode: 'E-042', statusAt: at },
      { connectorId: 2, status: 'Preparing', errorCode: 'NoError', info: 'cable plugged', vendorId: null, vendorErrorCode: null, statusAt: at },
    ]);
    // Also in the station list.
    const list = await server.api('GET', '/api/v1/stations');
    const listed = (list.body as { id: string; connectors: unknown[] }[]).find((entry) => entry.id === 'ST-1');
    expect(listed?.connectors).toHaveLength(3);
  });

  it('moves the status forward and clears the previous error details', async () => {
    const client = await station('ST-2');
    await client.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'HighTemperature', vendorErrorCode: 'T1', timestamp: minutesAgo(3) });
    await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: minutesAgo(2) });
    const { body } = await server.api('GET', '/api/v1/stations/ST-2');
    expect(body.connectors).toEqual([expect.objectContaining({ connectorId: 1, status: 'Available', errorCode: 'NoError', vendorErrorCode: null })]);
    expect((await history('ST-2', 1)).map((row) => row.status)).toEqual(['Faulted', 'Available']);
  });

  it('a late notification with an older timestamp does not overwrite a newer status, but is in the history', async () => {
    const client = await station('ST-3');
    const newer = minutesAgo(1);
    const older = minutesAgo(30);
    await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError', timestamp: newer });
    // From the offline queue, delivered after the newer one.
    expect(await client.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'OverCurrentFailure', timestamp: older })).toEqual({});

    const { body } = await server.api('GET', '/api/v1/stations/ST-3');
    expect(body.connectors).toEqual([expect.objectContaining({ connectorId: 1, status: 'Charging', errorCode: 'NoError', statusAt: newer })]);
    const rows = await history('ST-3', 1);
    expect(rows.map((row) => [row.status, row.errorCode, row.timestamp?.toISOString()])).toEqual([
      ['Charging', 'NoError', newer],
      ['Faulted', 'OverCurrentFailure', older],
    ]);
  });

  it('stores a retransmitted identical notification once', async () => {
    const client = await station('ST-4');
    const notification = { connectorId: 1, status: 'SuspendedEV', errorCode: 'NoError', info: 'car full', timestamp: minutesAgo(5) };
    expect(await client.call('StatusNotification', notification)).toEqual({});
    expect(await client.call('StatusNotification', notification)).toEqual({});
    expect(await client.call('StatusNotification', notification)).toEqual({});
    const rows = await history('ST-4', 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'SuspendedEV', info: 'car full' });
    const { body } = await server.api('GET', '/api/v1/stations/ST-4');
    expect(body.connectors).toEqual([expect.objectContaining({ connectorId: 1, status: 'SuspendedEV' })]);
  });

  it('without a timestamp uses the receive time and keeps each notification', async () => {
    const client = await station('ST-5');
    const before = Date.now();
    await client.call('StatusNotification', { connectorId: 1, status: 'Unavailable', errorCode: 'NoError' });
    await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    const { body } = await server.api('GET', '/api/v1/stations/ST-5');
    expect(body.connectors[0]).toMatchObject({ connectorId: 1, status: 'Available' });
    expect(Date.parse(body.connectors[0].statusAt)).toBeGreaterThanOrEqual(before - 1000);
    const rows = await history('ST-5', 1);
    expect(rows.map((row) => row.status)).toEqual(['Unavailable', 'Available']);
    expect(rows.every((row) => row.timestamp === null)).toBe(true);
  });

  it('keeps the raw text of a timestamp without a time zone, read as UTC', async () => {
    const client = await station('ST-6');
    await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: '2024-05-01 10:00:00' });
    const [row] = await history('ST-6', 1);
    expect(row?.timestamp?.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(row?.timestampRaw).toBe('2024-05-01 10:00:00');
  });
});

describe('status is advisory: the transaction lifecycle comes from Start/Stop', () => {
  it('"Charging" before StartTransaction and no "Finishing" do not break the session', async () => {
    const client = await station('ST-LIFE');
    const t0 = Date.now() - 60 * 60_000;
    const iso = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    await client.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError', timestamp: iso(0) });
    await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError', timestamp: iso(1) });
    // Charging alone starts no session.
    expect((await server.api('GET', '/api/v1/sessions?stationId=ST-LIFE')).body).toEqual([]);

    const start = await client.call('StartTransaction', { connectorId: 1, idTag: 'STATUS-CARD', meterStart: 500, timestamp: iso(2) });
    expect(start.idTagInfo.status).toBe('Accepted');
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: iso(20), sampledValue: [{ value: '3500' }] }],
    });
    const stop = await client.call('StopTransaction', { transactionId: start.transactionId, meterStop: 6500, timestamp: iso(40), reason: 'EVDisconnected' });
    expect(stop).toEqual({});
    // Straight to Available: no Finishing.
    await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: iso(41) });

    const session = await server.api('GET', `/api/v1/sessions/${start.transactionId}`);
    expect(session.body).toMatchObject({
      stationId: 'ST-LIFE',
      connectorId: 1,
      startedAt: iso(2),
      stoppedAt: iso(40),
      meterStartWh: 500,
      meterStopWh: 6500,
      energyWh: 6000,
      stopReason: 'EVDisconnected',
      stoppedBy: 'station',
      active: false,
      flags: [],
    });
    const sessions = await server.api('GET', '/api/v1/sessions?stationId=ST-LIFE');
    expect(sessions.body).toHaveLength(1);
    const { body } = await server.api('GET', '/api/v1/stations/ST-LIFE');
    expect(body.connectors).toEqual([expect.objectContaining({ connectorId: 1, status: 'Available' })]);
  });

  it('a session stays open while the connector reports Finishing or a fault', async () => {
    const client = await station('ST-LIFE-2');
    const start = await client.call('StartTransaction', { connectorId: 1, idTag: 'STATUS-CARD', meterStart: 0, timestamp: minutesAgo(10) });
    await client.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'EVCommunicationError', timestamp: minutesAgo(9) });
    await client.call('StatusNotification', { connectorId: 1, status: 'Finishing', errorCode: 'NoError', timestamp: minutesAgo(8) });
    const session = await server.api('GET', `/api/v1/sessions/${start.transactionId}`);
    expect(session.body).toMatchObject({ active: true, stoppedAt: null, energyWh: null });
  });
});

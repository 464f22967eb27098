// A session that never gets a StopTransaction: once its connector has reported Available for
// OCPP_ABANDONED_SESSION_MINUTES after the start, it is finalised from its last meter value.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { finalizeAbandonedSessions } from '../../src/capabilities/transactions/abandoned-sessions.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const T0 = new Date('2025-03-10T08:00:00.000Z');
const clock = manualClock(T0);
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

let server: TestServer;
const clients: OcppTestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ OCPP_ABANDONED_SESSION_MINUTES: '15' }, { clock });
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'ABANDON-CARD' })).status).toBe(201);
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

async function session(id: number) {
  const response = await server.api('GET', `/api/v1/sessions/${id}`);
  expect(response.status).toBe(200);
  return response.body;
}

const finalize = () => finalizeAbandonedSessions(server.server.services);

describe('a session that never gets a StopTransaction', () => {
  // The scenarios share one clock, so they run in this order within one test.
  it('is finalised from its last meter value after the connector was Available long enough', async () => {
    clock.set(at(0));
    const abandoned = await station('ABANDON-1');
    const busy = await station('ABANDON-BUSY');
    const early = await station('ABANDON-EARLY');

    // ABANDON-1: start, two samples, then the connector reports Available (no stop, no Finishing).
    await abandoned.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    const tx = (await abandoned.call('StartTransaction', { connectorId: 1, idTag: 'ABANDON-CARD', meterStart: 1_000, timestamp: iso(0) })).transactionId as number;
    clock.set(at(5));
    await abandoned.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [{ timestamp: iso(5), sampledValue: [{ value: '3000' }] }] });
    clock.set(at(10));
    await abandoned.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [{ timestamp: iso(10), sampledValue: [{ value: '4500' }] }] });
    clock.set(at(12));
    await abandoned.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    // Connector 0 Available says nothing about connector 1's session.
    await abandoned.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' });

    // ABANDON-BUSY: still charging, never Available.
    const busyTx = (await busy.call('StartTransaction', { connectorId: 1, idTag: 'ABANDON-CARD', meterStart: 0, timestamp: iso(1) })).transactionId as number;
    await busy.call('StatusNotification', { connectorId: 1, status: 'SuspendedEV', errorCode: 'NoError', timestamp: iso(12) });

    // ABANDON-EARLY: Available was reported before the session started, nothing since.
    await early.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: iso(0) });
    const earlyTx = (await early.call('StartTransaction', { connectorId: 1, idTag: 'ABANDON-CARD', meterStart: 0, timestamp: iso(2) })).transactionId as number;

    // 8 minutes of Available: too soon.
    clock.set(at(20));
    expect(await finalize()).toBe(0);
    expect((await session(tx)).active).toBe(true);

    // 16 minutes of Available: finalised.
    clock.set(at(28));
    expect(await finalize()).toBe(1);
    const closed = await session(tx);
    expect(closed).toMatchObject({
      active: false,
      stoppedAt: iso(10),
      meterStartWh: 1_000,
      meterStopWh: 4_500,
      energyWh: 3_500,
      stoppedBy: 'backend',
      stopReason: 'Other',
      stopReceivedAt: iso(28),
    });
    expect(closed.flags).toEqual(['finalized_without_stop']);
    expect(await session(busyTx)).toMatchObject({ active: true, stoppedAt: null });
    expect(await session(earlyTx)).toMatchObject({ active: true, stoppedAt: null });

    // Running again changes nothing.
    clock.set(at(90));
    expect(await finalize()).toBe(0);
    expect(await session(tx)).toEqual(closed);

    // The real stop arrives later after all: it replaces the backend's values.
    clock.set(at(95));
    expect(await abandoned.call('StopTransaction', { transactionId: tx, meterStop: 4_600, timestamp: iso(11), reason: 'EVDisconnected' })).toEqual({});
    const stopped = await session(tx);
    expect(stopped).toMatchObject({ stoppedBy: 'station', stoppedAt: iso(11), meterStopWh: 4_600, energyWh: 3_600, stopReason: 'EVDisconnected' });
    expect(stopped.flags).toEqual(['stop_after_backend_close']);
  });

  it('a session without any meter value is finalised at its start with no energy', async () => {
    clock.set(at(200));
    const client = await station('ABANDON-EMPTY');
    const tx = (await client.call('StartTransaction', { connectorId: 2, idTag: 'ABANDON-CARD', meterStart: 7_000, timestamp: iso(200) })).transactionId as number;
    clock.set(at(201));
    await client.call('StatusNotification', { connectorId: 2, status: 'Available', errorCode: 'NoError', timestamp: iso(201) });
    clock.set(at(230));
    expect(await finalize()).toBe(1);
    expect(await session(tx)).toMatchObject({
      active: false,
      stoppedAt: iso(200),
      meterStopWh: 7_000,
      energyWh: 0,
      stoppedBy: 'backend',
      flags: ['finalized_without_stop'],
    });
  });
});

// BootNotification and the registration policies: what each answer is, what is kept, and what a
// station that is not (yet) accepted may do.

import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stationEvents, transactions } from '../../src/storage/schema.js';
import { OcppTestClient, boot, type OcppClientOptions } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const HEARTBEAT = '321';
const RETRY = '47';

function harness(env: Record<string, string>) {
  const state: { server: TestServer; clients: OcppTestClient[] } = { server: undefined as unknown as TestServer, clients: [] };
  beforeAll(async () => {
    state.server = await startTestServer({ OCPP_HEARTBEAT_INTERVAL: HEARTBEAT, OCPP_BOOT_RETRY_INTERVAL: RETRY, ...env });
  });
  afterAll(async () => {
    await Promise.all(state.clients.map((client) => client.close()));
    await state.server.close();
  });
  const connect = async (stationId: string, options?: OcppClientOptions) => {
    const client = await OcppTestClient.connect(state.server.ocppUrl(stationId), options);
    state.clients.push(client);
    return client;
  };
  return { state, connect };
}

async function bootEvents(server: TestServer, stationId: string) {
  return server.server.storage.db
    .select()
    .from(stationEvents)
    .where(and(eq(stationEvents.stationId, stationId), eq(stationEvents.kind, 'BootNotification')));
}

const IDENTITY = {
  chargePointVendor: 'ACME Power',
  chargePointModel: 'Wallbox X2',
  chargePointSerialNumber: 'CP-SN-0001',
  chargeBoxSerialNumber: 'CB-SN-0002',
  firmwareVersion: '1.4.7-rc2',
  iccid: '8949000000000000001',
  imsi: '262010000000001',
  meterType: 'EMH eHZ',
  meterSerialNumber: 'MTR-77',
};

describe('BootNotification with OCPP_UNKNOWN_STATIONS=accept', () => {
  const { state, connect } = harness({ OCPP_UNKNOWN_STATIONS: 'accept' });

  it('answers Accepted with the heartbeat interval and the current time, and keeps the identity', async () => {
    const client = await connect('BOOT-ACC-1');
    const before = Date.now();
    const answer = await client.call('BootNotification', IDENTITY);
    expect(answer.status).toBe('Accepted');
    expect(answer.interval).toBe(Number(HEARTBEAT));
    const now = Date.parse(answer.currentTime);
    expect(Number.isNaN(now)).toBe(false);
    expect(now).toBeGreaterThanOrEqual(before - 1000);
    expect(now).toBeLessThanOrEqual(Date.now() + 1000);

    const station = await state.server.api('GET', '/api/v1/stations/BOOT-ACC-1');
    expect(station.status).toBe(200);
    expect(station.body).toMatchObject({
      id: 'BOOT-ACC-1',
      registration: 'accepted',
      online: true,
      vendor: 'ACME Power',
      model: 'Wallbox X2',
      serialNumber: 'CP-SN-0001',
      chargeBoxSerialNumber: 'CB-SN-0002',
      firmwareVersion: '1.4.7-rc2',
      iccid: '8949000000000000001',
      imsi: '262010000000001',
      meterType: 'EMH eHZ',
      meterSerialNumber: 'MTR-77',
    });
    expect(station.body.lastBootAt).not.toBeNull();
  });

  it('a later boot with a new firmware version updates the identity', async () => {
    const client = await connect('BOOT-ACC-2');
    await client.call('BootNotification', IDENTITY);
    await client.call('BootNotification', { ...IDENTITY, firmwareVersion: '1.5.0' });
    const station = await state.server.api('GET', '/api/v1/stations/BOOT-ACC-2');
    expect(station.body.firmwareVersion).toBe('1.5.0');
    expect(station.body.vendor).toBe('ACME Power');
  });

  it('serves a station that offers no sub-protocol as OCPP 1.6', async () => {
    const client = await connect('BOOT-ACC-NOPROTO', { protocols: null });
    expect(client.socket.protocol).toBe('');
    expect((await client.call('BootNotification', IDENTITY)).status).toBe('Accepted');
    expect((await state.server.api('GET', '/api/v1/stations/BOOT-ACC-NOPROTO')).body.vendor).toBe('ACME Power');
  });

  it('answers the next boot of a station rejected through the API Rejected', async () => {
    const client = await connect('BOOT-ACC-LATER-REJECTED');
    expect((await boot(client)).status).toBe('Accepted');
    const rejected = await state.server.api('POST', '/api/v1/stations/BOOT-ACC-LATER-REJECTED/reject');
    expect(rejected.status).toBe(200);
    expect(rejected.body.registration).toBe('rejected');
    const answer = await boot(client);
    expect(answer.status).toBe('Rejected');
    expect(answer.interval).toBe(Number(RETRY));
    expect(client.calls).toEqual([]); // no TriggerMessage for a rejection
  });

  it('answers every one of repeated boots and records each in station_events', async () => {
    const client = await connect('BOOT-ACC-LOOP');
    for (let i = 0; i < 4; i++) {
      const answer = await client.call('BootNotification', { ...IDENTITY, firmwareVersion: `loop-${i}` });
      expect(answer.status).toBe('Accepted');
    }
    const events = await bootEvents(state.server, 'BOOT-ACC-LOOP');
    expect(events).toHaveLength(4);
    expect(events.map((event) => (event.payload as { firmwareVersion: string }).firmwareVersion).sort()).toEqual([
      'loop-0',
      'loop-1',
      'loop-2',
      'loop-3',
    ]);
    const viaApi = await state.server.api('GET', '/api/v1/stations/BOOT-ACC-LOOP/events?kind=BootNotification');
    expect(viaApi.status).toBe(200);
    expect(viaApi.body).toHaveLength(4);
  });
});

describe('BootNotification with OCPP_UNKNOWN_STATIONS=pending', () => {
  const { state, connect } = harness({ OCPP_UNKNOWN_STATIONS: 'pending' });

  beforeAll(async () => {
    await state.server.api('POST', '/api/v1/id-tags', { idTag: 'PENDING-CARD' });
  });

  it('answers an unknown station Pending with the boot retry interval', async () => {
    const client = await connect('BOOT-PEND-1');
    const answer = await client.call('BootNotification', IDENTITY);
    expect(answer.status).toBe('Pending');
    expect(answer.interval).toBe(Number(RETRY));
    expect(Number.isNaN(Date.parse(answer.currentTime))).toBe(false);
    const station = await state.server.api('GET', '/api/v1/stations/BOOT-PEND-1');
    expect(station.body.registration).toBe('pending');
    // The identity is kept whatever the answer.
    expect(station.body).toMatchObject({ vendor: 'ACME Power', model: 'Wallbox X2', serialNumber: 'CP-SN-0001' });
  });

  it('accepts a pre-registered station', async () => {
    const created = await state.server.api('POST', '/api/v1/stations', { id: 'BOOT-PEND-PRE' });
    expect(created.status).toBe(201);
    const client = await connect('BOOT-PEND-PRE');
    const answer = await boot(client);
    expect(answer.status).toBe('Accepted');
    expect(answer.interval).toBe(Number(HEARTBEAT));
  });

  it('lets a pending station heartbeat and report status, but not charge', async () => {
    const client = await connect('BOOT-PEND-2');
    expect((await boot(client)).status).toBe('Pending');

    const heartbeat = await client.call('Heartbeat', {});
    expect(Number.isNaN(Date.parse(heartbeat.currentTime))).toBe(false);

    expect(await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' })).toEqual({});
    const station = await state.server.api('GET', '/api/v1/stations/BOOT-PEND-2');
    expect(station.body.connectors).toEqual([expect.objectContaining({ connectorId: 1, status: 'Available', errorCode: 'NoError' })]);

    // A known, valid card is still Invalid at a station that is not accepted.
    const authorize = await client.call('Authorize', { idTag: 'PENDING-CARD' });
    expect(authorize.idTagInfo.status).toBe('Invalid');

    const start = await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'PENDING-CARD',
      meterStart: 100,
      timestamp: new Date().toISOString(),
    });
    expect(start.idTagInfo.status).toBe('Invalid');
    expect(Number.isInteger(start.transactionId)).toBe(true);
    const session = await state.server.api('GET', `/api/v1/sessions/${start.transactionId}`);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ stationId: 'BOOT-PEND-2', connectorId: 1, idTag: 'PENDING-CARD', idTagStatus: 'Invalid', active: true });
    expect(session.body.flags).toContain('station_not_accepted');
    expect(session.body.flags).toContain('id_tag_not_accepted');

    // Its stop is applied too (never lost), and the tag is still Invalid here.
    const stop = await client.call('StopTransaction', {
      transactionId: start.transactionId,
      idTag: 'PENDING-CARD',
      meterStop: 600,
      timestamp: new Date(Date.now() + 1000).toISOString(),
    });
    expect(stop).toEqual({ idTagInfo: { status: 'Invalid' } });
    const stopped = await state.server.api('GET', `/api/v1/sessions/${start.transactionId}`);
    expect(stopped.body).toMatchObject({ active: false, meterStopWh: 600, energyWh: 500, stoppedBy: 'station' });
  });

  it('after POST /accept triggers a BootNotification and answers the next boot Accepted', async () => {
    const client = await connect('BOOT-PEND-3', {
      onCall: (action) => (action === 'TriggerMessage' ? { status: 'Accepted' } : {}),
    });
    expect((await boot(client)).status).toBe('Pending');
    expect((await client.call('Authorize', { idTag: 'PENDING-CARD' })).idTagInfo.status).toBe('Invalid');

    const trigger = client.waitFor((frame) => frame[0] === 2 && frame[2] === 'TriggerMessage');
    const accepted = await state.server.api('POST', '/api/v1/stations/BOOT-PEND-3/accept');
    expect(accepted.status).toBe(200);
    expect(accepted.body.registration).toBe('accepted');
    const frame = await trigger;
    expect(frame[3]).toEqual({ requestedMessage: 'BootNotification' });
    expect(client.calls.filter((call) => call.action === 'TriggerMessage')).toHaveLength(1);

    const answer = await boot(client);
    expect(answer.status).toBe('Accepted');
    expect(answer.interval).toBe(Number(HEARTBEAT));
    expect((await client.call('Authorize', { idTag: 'PENDING-CARD' })).idTagInfo.status).toBe('Accepted');
    const start = await client.call('StartTransaction', { connectorId: 1, idTag: 'PENDING-CARD', meterStart: 0, timestamp: new Date().toISOString() });
    expect(start.idTagInfo.status).toBe('Accepted');
    const [row] = await state.server.server.storage.db.select().from(transactions).where(eq(transactions.id, start.transactionId));
    expect(row?.flags).toEqual([]);
  });

  it('answers a station that boots again and again each time, and records every boot', async () => {
    const client = await connect('BOOT-PEND-LOOP');
    for (let i = 0; i < 3; i++) expect((await boot(client)).status).toBe('Pending');
    expect(await bootEvents(state.server, 'BOOT-PEND-LOOP')).toHaveLength(3);
  });
});

describe('BootNotification with OCPP_UNKNOWN_STATIONS=reject', () => {
  const { state, connect } = harness({ OCPP_UNKNOWN_STATIONS: 'reject' });

  it('answers an unknown station Rejected with the boot retry interval, every time, and records each boot', async () => {
    const client = await connect('BOOT-REJ-1');
    for (let i = 0; i < 3; i++) {
      const answer = await client.call('BootNotification', IDENTITY);
      expect(answer.status).toBe('Rejected');
      expect(answer.interval).toBe(Number(RETRY));
    }
    const station = await state.server.api('GET', '/api/v1/stations/BOOT-REJ-1');
    expect(station.body).toMatchObject({ registration: 'rejected', vendor: 'ACME Power', model: 'Wallbox X2' });
    expect(await bootEvents(state.server, 'BOOT-REJ-1')).toHaveLength(3);
  });

  it('accepts a pre-registered station', async () => {
    expect((await state.server.api('POST', '/api/v1/stations', { id: 'BOOT-REJ-PRE' })).status).toBe(201);
    const client = await connect('BOOT-REJ-PRE');
    const answer = await boot(client);
    expect(answer.status).toBe('Accepted');
    expect(answer.interval).toBe(Number(HEARTBEAT));
  });

  it('accepts a rejected station after POST /accept', async () => {
    const client = await connect('BOOT-REJ-2', { onCall: () => ({ status: 'Accepted' }) });
    expect((await boot(client)).status).toBe('Rejected');
    const trigger = client.waitFor((frame) => frame[0] === 2 && frame[2] === 'TriggerMessage');
    expect((await state.server.api('POST', '/api/v1/stations/BOOT-REJ-2/accept')).status).toBe(200);
    expect((await trigger)[3]).toEqual({ requestedMessage: 'BootNotification' });
    expect((await boot(client)).status).toBe('Accepted');
  });
});

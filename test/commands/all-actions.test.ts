// Each of the 19 Central-System-initiated actions of OCPP 1.6 (all six feature profiles) end to
// end: through the command API, validated, over a real socket to a station that answers, its
// answer validated, returned and recorded. And a station that drops the link mid-call.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTRAL_SYSTEM_ACTIONS } from '../../src/protocol/v16/actions.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
const schedule = { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] };

/** Action → [request, the station's answer]. */
const EXCHANGES: Record<string, [object, object]> = {
  // Core
  ChangeAvailability: [{ connectorId: 1, type: 'Inoperative' }, { status: 'Scheduled' }],
  ChangeConfiguration: [{ key: 'MeterValueSampleInterval', value: '60' }, { status: 'Accepted' }],
  ClearCache: [{}, { status: 'Accepted' }],
  DataTransfer: [{ vendorId: 'com.example', messageId: 'ping', data: 'hello' }, { status: 'Accepted', data: 'pong' }],
  GetConfiguration: [{ key: ['MeterValueSampleInterval'] }, { configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '60' }] }],
  RemoteStartTransaction: [{ connectorId: 1, idTag: 'ALL-CARD' }, { status: 'Accepted' }],
  RemoteStopTransaction: [{ transactionId: 42 }, { status: 'Accepted' }],
  Reset: [{ type: 'Hard' }, { status: 'Accepted' }],
  UnlockConnector: [{ connectorId: 1 }, { status: 'Unlocked' }],
  // Firmware Management
  GetDiagnostics: [{ location: 'ftp://diagnostics.example.test/upload/', retries: 2 }, { fileName: 'diag-2026.zip' }],
  UpdateFirmware: [{ location: 'https://firmware.example.test/fw-2.1.bin', retrieveDate: inAnHour }, {}],
  // Local Auth List Management
  GetLocalListVersion: [{}, { listVersion: 3 }],
  SendLocalList: [{ listVersion: 4, updateType: 'Full', localAuthorizationList: [{ idTag: 'ALL-CARD', idTagInfo: { status: 'Accepted' } }] }, { status: 'Accepted' }],
  // Reservation
  ReserveNow: [{ connectorId: 1, expiryDate: inAnHour, idTag: 'ALL-CARD', reservationId: 7 }, { status: 'Accepted' }],
  CancelReservation: [{ reservationId: 7 }, { status: 'Accepted' }],
  // Smart Charging
  SetChargingProfile: [
    {
      connectorId: 1,
      csChargingProfiles: { chargingProfileId: 5, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute', chargingSchedule: schedule },
    },
    { status: 'Accepted' },
  ],
  GetCompositeSchedule: [
    { connectorId: 1, duration: 3600, chargingRateUnit: 'A' },
    { status: 'Accepted', connectorId: 1, scheduleStart: '2026-05-01T10:00:00.000Z', chargingSchedule: { duration: 3600, ...schedule } },
  ],
  ClearChargingProfile: [{ id: 5 }, { status: 'Accepted' }],
  // Remote Trigger
  TriggerMessage: [{ requestedMessage: 'StatusNotification', connectorId: 1 }, { status: 'Accepted' }],
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ OCPP_CALL_TIMEOUT: '2' });
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'ALL-CARD' })).status).toBe(201);
});
afterAll(() => server.close());

describe('every Central-System-initiated action of OCPP 1.6', () => {
  it('covers the 19 actions of the six feature profiles', () => {
    const actions = Object.keys(EXCHANGES);
    expect(actions).toHaveLength(19);
    for (const action of actions) expect(CENTRAL_SYSTEM_ACTIONS).toContain(action);
  });

  it('sends each through the API to a real station and returns, and records, its answer', async () => {
    // The station answers every action (also the system's own calls after boot) with the table's answer.
    const client = await OcppTestClient.connect(server.ocppUrl('ALL-1'), { onCall: (action) => EXCHANGES[action]?.[1] ?? {} });
    await boot(client);
    for (const [action, [request, answer]] of Object.entries(EXCHANGES)) {
      const result = await server.api('POST', `/api/v1/stations/ALL-1/commands/${action}`, request);
      expect(result.status, `${action}: ${JSON.stringify(result.body)}`).toBe(200);
      expect(result.body, action).toEqual({ response: answer });
      expect(client.calls, action).toContainEqual({ action, payload: request });
    }
    const history = (await server.api('GET', '/api/v1/stations/ALL-1/commands?limit=200')).body.filter((row: any) => row.requestedBy === 'bootstrap');
    expect(history.map((row: any) => row.action).reverse()).toEqual(Object.keys(EXCHANGES));
    for (const row of history) {
      expect(row, row.action).toMatchObject({ outcome: 'answered', request: EXCHANGES[row.action]![0], response: EXCHANGES[row.action]![1], errorCode: null });
      expect(row.latencyMs).toBeGreaterThanOrEqual(0);
    }
    await client.close();
  });

  it('answers 409 when the station goes offline mid-call, and records it', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('ALL-DROP'), {
      onCall: (action) => {
        if (action !== 'UnlockConnector') return EXCHANGES[action]?.[1] ?? {};
        // The CALL arrived; the link drops before any answer.
        setTimeout(() => client.socket.terminate(), 50);
        return undefined;
      },
    });
    await boot(client);
    const dropped = await server.api('POST', '/api/v1/stations/ALL-DROP/commands/UnlockConnector', { connectorId: 1 });
    expect(dropped.status).toBe(409);
    expect(dropped.body.detail).toContain('ALL-DROP');
    expect(client.calls).toContainEqual({ action: 'UnlockConnector', payload: { connectorId: 1 } });
    const history = (await server.api('GET', '/api/v1/stations/ALL-DROP/commands?action=UnlockConnector')).body;
    expect(history[0]).toMatchObject({ outcome: 'offline', requestedBy: 'bootstrap' });
    // And the next command finds it offline at once.
    expect((await server.api('POST', '/api/v1/stations/ALL-DROP/commands/Reset', { type: 'Soft' })).status).toBe(409);
  });
});

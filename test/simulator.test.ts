import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcError } from '../src/protocol/ocpp-j/rpc-error.js';
import { schemas16 } from '../src/protocol/v16/schemas.js';
import {
  NotAcceptedError,
  PROFILE_NAMES,
  runFleet,
  startStation,
  type ChargePoint,
  type SessionInfo,
  type StationOptions,
  type StopInfo,
} from '../src/simulator/index.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const run = promisify(execFile);
const TAG = 'SIM-CARD';

const ocppBase = (server: TestServer) => `${server.url.replace(/^http/, 'ws')}/ocpp`;

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function nextStart(station: ChargePoint): Promise<SessionInfo> {
  return new Promise((resolve) => {
    const remove = station.addHooks({ onSessionStarted: (session) => (remove(), resolve(session)) });
  });
}

function nextStop(station: ChargePoint): Promise<StopInfo> {
  return new Promise((resolve) => {
    const remove = station.addHooks({ onSessionStopped: (stop) => (remove(), resolve(stop)) });
  });
}

describe('charge point simulator against the real central system', () => {
  let server: TestServer;
  const stations: ChargePoint[] = [];
  const start = async (options: Omit<StationOptions, 'url'>) => {
    const station = await startStation({ url: ocppBase(server), idTag: TAG, meterIntervalMs: 60, speed: 30, ...options });
    stations.push(station);
    return station;
  };

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.api('POST', '/api/v1/id-tags', { idTag: TAG })).status).toBe(201);
  });
  afterAll(async () => {
    await Promise.all(stations.map((station) => station.close()));
    await server.close();
  });

  it.each(PROFILE_NAMES)('profile %s runs a whole session and the central system gets its energy right', async (name) => {
    const id = `SIM ${name}#1`; // needs URL encoding
    const acknowledged: string[] = [];
    const statuses: string[] = [];
    const station = await start({
      id,
      profile: name,
      hooks: {
        onAcknowledged: ({ action }) => void acknowledged.push(action),
        onCallSent: ({ action, request }) => void (action === 'StatusNotification' && request.connectorId === 1 && statuses.push(request.status)),
      },
    });
    expect(station.registration).toBe('Accepted');

    const session = await station.startSession(1);
    await until(() => acknowledged.filter((action) => action === 'MeterValues').length >= 3, 5000, 'three MeterValues');
    const stop = await station.stopSession(1);
    expect(stop.energyWh).toBeGreaterThan(0);

    const { body: sessions } = await server.api('GET', `/api/v1/sessions?stationId=${encodeURIComponent(id)}`);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      id: session.transactionId,
      stationId: id,
      connectorId: 1,
      active: false,
      meterStartWh: stop.meterStartWh,
      meterStopWh: stop.meterStopWh,
      energyWh: stop.meterStopWh - stop.meterStartWh,
      stoppedBy: 'station',
    });
    expect(sessions[0].flags).not.toContain('meter_reset');
    expect(sessions[0].flags).not.toContain('implausible_energy');

    // The periodic readings were linked to the session (for the legacy unit: by connector and time).
    const { body: readings } = await server.api('GET', `/api/v1/sessions/${session.transactionId}/meter-values`);
    const registers = readings.filter((row: { measurand: string; source: string }) => row.measurand === 'Energy.Active.Import.Register' && row.source === 'MeterValues');
    expect(registers.length).toBeGreaterThanOrEqual(3);
    for (const row of registers) {
      expect(row.unit).toBe('Wh');
      expect(row.value).toBeGreaterThanOrEqual(stop.meterStartWh);
      expect(row.value).toBeLessThanOrEqual(stop.meterStopWh);
    }

    // Status is advisory, but a tidy brand walks the whole way; the legacy unit skips Finishing.
    const walk = station.profile.quirks.noFinishing ? ['Available', 'Preparing', 'Charging', 'Available'] : ['Available', 'Preparing', 'Charging', 'Finishing', 'Available'];
    expect(statuses).toEqual(walk);

    const { body: detail } = await server.api('GET', `/api/v1/stations/${encodeURIComponent(id)}`);
    expect(detail).toMatchObject({ vendor: station.profile.vendor, model: station.profile.model, online: true });
    const connector1 = detail.connectors.find((connector: { connectorId: number }) => connector.connectorId === 1);
    expect(connector1.status).toBe('Available');
    expect(detail.connectors).toHaveLength(station.profile.connectors + 1);
  });

  it('sends heartbeats at the interval it is given', async () => {
    let beats = 0;
    await start({ id: 'SIM-HB', profile: 'wallbox', heartbeatIntervalMs: 30, hooks: { onAcknowledged: ({ action }) => void (action === 'Heartbeat' && beats++) } });
    await until(() => beats >= 3, 3000, 'three heartbeats');
  });

  it('reconnects after a lost link and sends its transaction messages again', async () => {
    const id = 'SIM-RECONNECT';
    let connects = 0;
    const stops: number[] = [];
    const station = await start({
      id,
      profile: 'wallbox',
      reconnectDelayMs: 50,
      hooks: {
        onConnected: () => void connects++,
        onAcknowledged: ({ action, request }) => void (action === 'StopTransaction' && stops.push(request.transactionId)),
      },
    });
    const session = await station.startSession(1);
    // The central system's side of the socket dies without a close frame.
    server.server.registry.get(id)!.connection.socket.terminate();
    await until(() => !station.isOnline, 2000, 'the station to notice');
    const stop = await station.stopSession(1); // waits for the reconnect, then goes through
    expect(connects).toBe(2);
    expect(stops).toEqual([session.transactionId]);
    const { body } = await server.api('GET', `/api/v1/sessions/${session.transactionId}`);
    expect(body).toMatchObject({ active: false, energyWh: stop.energyWh });

    // kill() is a power cut: no close frame, no reconnect.
    station.kill();
    await until(() => !server.server.caller.isOnline(id), 3000, 'the central system to see the station gone');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(connects).toBe(2);
  });

  it('authenticates with its Basic-auth password', async () => {
    const id = 'SIM-SECURE';
    expect((await server.api('POST', '/api/v1/stations', { id, password: 'correct-horse-1' })).status).toBe(201);
    await expect(startStation({ url: ocppBase(server), id, profile: 'wallbox', password: 'wrong-password' })).rejects.toMatchObject({
      name: 'ConnectError',
      statusCode: 401,
    });
    const station = await start({ id, profile: 'wallbox', password: 'correct-horse-1' });
    expect(station.registration).toBe('Accepted');
  });

  it('answers RemoteStart/RemoteStopTransaction and the session shows up', async () => {
    const id = 'SIM-REMOTE';
    const station = await start({ id, profile: 'pedestal' });
    const started = nextStart(station);
    const answer = await server.server.caller.call(id, 'RemoteStartTransaction', { idTag: TAG, connectorId: 2 });
    expect(answer).toEqual({ status: 'Accepted' });
    const session = await started;
    expect(session).toMatchObject({ connectorId: 2, idTag: TAG, remote: true });
    const { body: active } = await server.api('GET', `/api/v1/sessions?stationId=${id}&active=true`);
    expect(active.map((row: { id: number }) => row.id)).toEqual([session.transactionId]);

    // A busy connector refuses a second remote start.
    expect(await server.server.caller.call(id, 'RemoteStartTransaction', { idTag: TAG, connectorId: 2 })).toEqual({ status: 'Rejected' });

    const stopped = nextStop(station);
    expect(await server.server.caller.call(id, 'RemoteStopTransaction', { transactionId: session.transactionId })).toEqual({ status: 'Accepted' });
    const stop = await stopped;
    expect(stop.reason).toBe('Remote');
    const { body: done } = await server.api('GET', `/api/v1/sessions/${session.transactionId}`);
    expect(done).toMatchObject({ active: false, stopReason: 'Remote', energyWh: stop.energyWh });
    expect(await server.server.caller.call(id, 'RemoteStopTransaction', { transactionId: session.transactionId })).toEqual({ status: 'Rejected' });
  });

  it('answers every remote call it supports with a schema-valid answer', async () => {
    const id = 'SIM-REMOTE-ALL';
    const station = await start({ id, profile: 'dc-fast', rebootDelayMs: 20 });
    const call = server.server.caller.call.bind(server.server.caller); // validates our answers against the schema

    const all = await call(id, 'GetConfiguration', {});
    expect(all.configurationKey?.find((entry) => entry.key === 'NumberOfConnectors')).toEqual({ key: 'NumberOfConnectors', readonly: true, value: '2' });
    expect(await call(id, 'GetConfiguration', { key: ['HeartbeatInterval', 'NoSuchKey'] })).toEqual({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
      unknownKey: ['NoSuchKey'],
    });
    expect(await call(id, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '120' })).toEqual({ status: 'Accepted' });
    expect(await call(id, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: 'often' })).toEqual({ status: 'Rejected' });
    expect(await call(id, 'ChangeConfiguration', { key: 'NumberOfConnectors', value: '4' })).toEqual({ status: 'Rejected' });
    expect(await call(id, 'ChangeConfiguration', { key: 'NoSuchKey', value: '1' })).toEqual({ status: 'NotSupported' });

    expect(await call(id, 'ChangeAvailability', { connectorId: 2, type: 'Inoperative' })).toEqual({ status: 'Accepted' });
    await until(() => station.connectorStatuses()[1] === 'Unavailable');
    expect(await call(id, 'RemoteStartTransaction', { idTag: TAG, connectorId: 2 })).toEqual({ status: 'Rejected' });
    expect(await call(id, 'ChangeAvailability', { connectorId: 2, type: 'Operative' })).toEqual({ status: 'Accepted' });
    expect(await call(id, 'ChangeAvailability', { connectorId: 9, type: 'Operative' })).toEqual({ status: 'Rejected' });

    for (const requestedMessage of ['BootNotification', 'StatusNotification', 'Heartbeat', 'MeterValues', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification'] as const) {
      expect(await call(id, 'TriggerMessage', { requestedMessage })).toEqual({ status: 'Accepted' });
    }
    expect(await call(id, 'TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 7 })).toEqual({ status: 'Rejected' });

    expect(await call(id, 'UnlockConnector', { connectorId: 1 })).toEqual({ status: 'Unlocked' });
    expect(await call(id, 'UnlockConnector', { connectorId: 5 })).toEqual({ status: 'NotSupported' });
    expect(await call(id, 'ClearCache', {})).toEqual({ status: 'Accepted' });
    expect(await call(id, 'DataTransfer', { vendorId: 'SimRapid', messageId: 'echo', data: 'x' })).toEqual({ status: 'Accepted', data: 'x' });
    expect(await call(id, 'DataTransfer', { vendorId: 'Other' })).toEqual({ status: 'UnknownVendorId' });

    // The central system pushes its own list after the boot; wait for it, so the calls below do not interleave with it.
    const localList = async () => (await server.api('GET', `/api/v1/stations/${id}/local-list`)).body;
    await until(async () => (await localList()).syncStatus === 'in_sync', 5000, 'the local list synchronisation');
    const pushed = (await localList()).version as number;
    expect(await call(id, 'GetLocalListVersion', {})).toEqual({ listVersion: pushed });
    expect(
      await call(id, 'SendLocalList', { listVersion: pushed + 3, updateType: 'Full', localAuthorizationList: [{ idTag: TAG, idTagInfo: { status: 'Accepted' } }] }),
    ).toEqual({ status: 'Accepted' });
    expect(await call(id, 'GetLocalListVersion', {})).toEqual({ listVersion: pushed + 3 });

    const expiryDate = new Date(Date.now() + 3_600_000).toISOString();
    expect(await call(id, 'ReserveNow', { connectorId: 1, expiryDate, idTag: 'SOMEONE', reservationId: 7 })).toEqual({ status: 'Accepted' });
    await until(() => station.connectorStatuses()[0] === 'Reserved');
    expect(await call(id, 'ReserveNow', { connectorId: 1, expiryDate, idTag: 'OTHER', reservationId: 8 })).toEqual({ status: 'Occupied' });
    expect(await call(id, 'ReserveNow', { connectorId: 0, expiryDate, idTag: 'OTHER', reservationId: 9 })).toEqual({ status: 'Rejected' });
    expect(await call(id, 'CancelReservation', { reservationId: 7 })).toEqual({ status: 'Accepted' });
    expect(await call(id, 'CancelReservation', { reservationId: 7 })).toEqual({ status: 'Rejected' });

    const profile = {
      chargingProfileId: 11,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile' as const,
      chargingProfileKind: 'Relative' as const,
      chargingSchedule: { chargingRateUnit: 'W' as const, chargingSchedulePeriod: [{ startPeriod: 0, limit: 50_000 }] },
    };
    expect(await call(id, 'SetChargingProfile', { connectorId: 1, csChargingProfiles: profile })).toEqual({ status: 'Accepted' });
    expect(await call(id, 'SetChargingProfile', { connectorId: 1, csChargingProfiles: { ...profile, chargingProfileId: 12, chargingProfilePurpose: 'TxProfile' } })).toEqual({
      status: 'Rejected',
    });
    const schedule = await call(id, 'GetCompositeSchedule', { connectorId: 1, duration: 3600 });
    expect(schedule).toMatchObject({ status: 'Accepted', connectorId: 1, chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 50_000 }] } });
    expect(await call(id, 'ClearChargingProfile', { id: 11 })).toEqual({ status: 'Accepted' });
    expect(await call(id, 'ClearChargingProfile', { id: 11 })).toEqual({ status: 'Unknown' });

    const diagnostics = await call(id, 'GetDiagnostics', { location: 'ftp://example.test/upload' });
    expect(diagnostics.fileName).toMatch(/^SIM-REMOTE-ALL-/);
    expect(await call(id, 'UpdateFirmware', { location: 'https://example.test/fw.bin', retrieveDate: new Date().toISOString() })).toEqual({});
    await until(async () => {
      const { body } = await server.api('GET', `/api/v1/stations/${id}`);
      return body.maintenance.firmwareStatus === 'Installed' && body.maintenance.diagnosticsStatus === 'Uploaded';
    }, 5000, 'diagnostics and firmware status notifications');

    // Unknown actions and those of the Security extension get the CALLERROR the spec names.
    const connection = server.server.registry.get(id)!.connection;
    await expect(connection.call('MakeCoffee', {})).rejects.toMatchObject({ code: 'NotImplemented' });
    await expect(connection.call('GetLog', { log: {}, logType: 'DiagnosticsLog', requestId: 1 })).rejects.toMatchObject({ code: 'NotSupported' });
    await expect(connection.call('Reset', { type: 'Sideways' })).rejects.toBeInstanceOf(RpcError);

    // Reset: the station stops its session, goes down and boots again.
    const session = await station.startSession(1);
    const booted = new Promise<void>((resolve) => {
      const remove = station.addHooks({ onAcknowledged: ({ action }) => void (action === 'BootNotification' && (remove(), resolve())) });
    });
    expect(await call(id, 'Reset', { type: 'Soft' })).toEqual({ status: 'Accepted' });
    await booted;
    await station.waitForRegistration('Accepted', 5000);
    const { body: reset } = await server.api('GET', `/api/v1/sessions/${session.transactionId}`);
    expect(reset).toMatchObject({ active: false, stopReason: 'SoftReset' });
  });

  it('reports a fractional current limit in GetCompositeSchedule (a multiple of 0.1 for the schema)', async () => {
    const id = 'SIM-AMPS';
    await start({ id, profile: 'pedestal' });
    // 22 kW over 3 × 230 V is 31.9 A: a valid multipleOf 0.1 that binary floating point divides inexactly.
    const schedule = await server.server.caller.call(id, 'GetCompositeSchedule', { connectorId: 1, duration: 600, chargingRateUnit: 'A' });
    expect(schedule.chargingSchedule?.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 31.9 }]);
  });

  it('builds only schema-valid requests for the tidy profiles', async () => {
    const sent: Array<[string, unknown]> = [];
    const station = await start({ id: 'SIM-SCHEMA', profile: 'dc-fast', hooks: { onCallSent: ({ action, request }) => void sent.push([action, request]) } });
    await station.startSession(2);
    await station.sendMeterValues(2, 'Trigger');
    await station.stopSession(2);
    for (const [action, request] of sent) {
      expect(schemas16(action as 'Heartbeat').checkRequest(request), action).toBeUndefined();
    }
    expect(new Set(sent.map(([action]) => action))).toEqual(
      new Set(['BootNotification', 'StatusNotification', 'Authorize', 'StartTransaction', 'MeterValues', 'StopTransaction']),
    );
  });

  it('runs a small fleet with no errors', async () => {
    const report = await runFleet({
      url: ocppBase(server),
      stations: 20,
      profiles: 'mixed',
      idPrefix: 'FLEET-',
      idTag: TAG,
      sessionsPerStation: 1,
      sessionDurationMs: 200,
      meterIntervalMs: 50,
      speed: 30,
      connectRatePerSecond: 200,
    });
    expect(report.errorSamples).toEqual([]);
    expect(report).toMatchObject({ errors: 0, stationsStarted: 20, stationsAccepted: 20, sessionsStarted: 20, sessionsCompleted: 20, stationsConnected: 0 });
    expect(report.callsAnswered).toBe(report.callsSent);
    const { body: sessions } = await server.api('GET', '/api/v1/sessions?limit=1000');
    const fleetSessions = sessions.filter((row: { stationId: string }) => row.stationId.startsWith('FLEET-'));
    expect(fleetSessions).toHaveLength(20);
    for (const row of fleetSessions) {
      expect(row.active).toBe(false);
      expect(row.energyWh).toBe(row.meterStopWh - row.meterStartWh);
    }
  });

  it('prints usage, refuses bad options, and runs a short fleet from the command line', async () => {
    const [help, bad] = await Promise.all([
      run('npx', ['tsx', 'src/simulator/cli.ts', '--help']),
      run('npx', ['tsx', 'src/simulator/cli.ts', '--stations', 'many']).catch((error: { code: number; stderr: string }) => error),
    ]);
    expect(help.stdout).toContain('Usage: npm run sim');
    expect(help.stdout).toContain('--stations');
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toMatch(/^sim: --stations must be a whole number/m);

    const cli = await run('npx', [
      'tsx',
      'src/simulator/cli.ts',
      '--url',
      ocppBase(server),
      '--stations',
      '3',
      '--id-prefix',
      'CLI-',
      '--id-tag',
      TAG,
      '--sessions',
      '1',
      '--session-duration',
      '200ms',
      '--meter-interval',
      '50ms',
      '--speed',
      '30',
      '--json',
    ]);
    const report = JSON.parse(cli.stdout);
    expect(report).toMatchObject({ errors: 0, stationsAccepted: 3, sessionsCompleted: 3 });
    const { body: sessions } = await server.api('GET', '/api/v1/sessions?limit=1000');
    expect(sessions.filter((row: { stationId: string }) => row.stationId.startsWith('CLI-'))).toHaveLength(3);
  });
});

describe('a station the central system has not accepted yet', () => {
  let server: TestServer;
  let station: ChargePoint | undefined;
  beforeAll(async () => {
    server = await startTestServer({ OCPP_UNKNOWN_STATIONS: 'pending' });
    await server.api('POST', '/api/v1/id-tags', { idTag: TAG });
  });
  afterAll(async () => {
    await station?.close();
    await server.close();
  });

  it('starts no session while Pending and charges once accepted', async () => {
    const id = 'SIM-PENDING';
    const boots: string[] = [];
    station = await startStation({
      url: ocppBase(server),
      id,
      profile: 'legacy',
      idTag: TAG,
      meterIntervalMs: 60,
      speed: 30,
      hooks: { onAcknowledged: ({ action, response }) => void (action === 'BootNotification' && boots.push(response.status)) },
    });
    expect(station.registration).toBe('Pending');
    await expect(station.startSession(1)).rejects.toBeInstanceOf(NotAcceptedError);
    expect(await server.server.caller.call(id, 'RemoteStartTransaction', { idTag: TAG })).toEqual({ status: 'Rejected' });
    const { body: none } = await server.api('GET', `/api/v1/sessions?stationId=${id}`);
    expect(none).toEqual([]);

    // The operator accepts; the central system asks for a boot, which the station sends at once.
    expect((await server.api('POST', `/api/v1/stations/${id}/accept`)).status).toBe(200);
    await station.waitForRegistration('Accepted', 5000);
    expect(boots).toEqual(['Pending', 'Accepted']);

    await station.startSession(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const stop = await station.stopSession(1);
    const { body: sessions } = await server.api('GET', `/api/v1/sessions?stationId=${id}`);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ active: false, idTagStatus: 'Accepted', energyWh: stop.energyWh });
  });
});

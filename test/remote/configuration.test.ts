// The station configuration store end to end: read whole after the first accepted boot, on
// demand, changed key by key with every answer kept, and fed by commands sent through the
// generic command API as well. The station is the simulator over a real socket.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargePoint } from '../../src/simulator/index.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { eventually, simulated } from './helpers.js';

let server: TestServer;
const stations: ChargePoint[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(stations.map((station) => station.close()));
  await server.close();
});

const configuration = async (id: string) => (await server.api('GET', `/api/v1/stations/${id}/configuration`)).body;
const key = (config: any, name: string) => config.keys.find((entry: any) => entry.key === name);

describe('station configuration', () => {
  it('is read whole after the first accepted boot and kept with values and readonly flags', async () => {
    const station = await simulated(server, 'CFG-1');
    stations.push(station);
    const config = await eventually(async () => {
      const body = await configuration('CFG-1');
      return body.readAt !== null && body;
    }, 'the configuration read after boot');
    expect(config.keys.length).toBeGreaterThan(20);
    expect(key(config, 'HeartbeatInterval')).toMatchObject({ readonly: false, value: expect.any(String), lastChange: null });
    expect(key(config, 'NumberOfConnectors')).toMatchObject({ readonly: true, value: '1' });
    expect(config.unknownKeys).toEqual([]);
    // The read was a command like any other, by the system.
    const history = (await server.api('GET', '/api/v1/stations/CFG-1/commands?action=GetConfiguration')).body;
    expect(history.length).toBeGreaterThanOrEqual(1);
    expect(history.every((row: any) => row.outcome === 'answered')).toBe(true);

    // The authorization settings come from the same store.
    const settings = (await server.api('GET', '/api/v1/stations/CFG-1/local-list')).body.settings;
    expect(settings).toMatchObject({ localListManagement: true, localAuthListMaxLength: 1000, sendLocalListMaxLength: 100 });
  });

  it('changes a key and keeps each answer: Accepted, RebootRequired, Rejected, NotSupported', async () => {
    const accepted = await server.api('PUT', '/api/v1/stations/CFG-1/configuration/MeterValueSampleInterval', { value: '42' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'Accepted', key: { key: 'MeterValueSampleInterval', value: '42', lastChange: { value: '42', status: 'Accepted', by: 'bootstrap' } } });

    const reboot = await server.api('PUT', '/api/v1/stations/CFG-1/configuration/WebSocketPingInterval', { value: '60' });
    expect(reboot.body.status).toBe('RebootRequired');
    expect(reboot.body.key).toMatchObject({ value: '30', lastChange: { value: '60', status: 'RebootRequired' } });

    const readonly = await server.api('PUT', '/api/v1/stations/CFG-1/configuration/NumberOfConnectors', { value: '9' });
    expect(readonly.body).toMatchObject({ status: 'Rejected', key: { value: '1', lastChange: { status: 'Rejected', value: '9' } } });

    const unknown = await server.api('PUT', '/api/v1/stations/CFG-1/configuration/NoSuchKey', { value: 'x' });
    expect(unknown.body).toEqual({ status: 'NotSupported', key: null });

    // Keys are matched case-insensitively (CiString50).
    const lower = await server.api('PUT', '/api/v1/stations/CFG-1/configuration/metervaluesampleinterval', { value: '43' });
    expect(lower.body.key).toMatchObject({ key: 'MeterValueSampleInterval', value: '43' });

    const config = await configuration('CFG-1');
    expect(key(config, 'MeterValueSampleInterval').value).toBe('43');
    expect(key(config, 'WebSocketPingInterval').lastChange.status).toBe('RebootRequired');
    expect(config.keys.some((entry: any) => entry.key === 'NoSuchKey')).toBe(false);

    // An authorization key changed here is what authorization reads.
    expect((await server.api('PUT', '/api/v1/stations/CFG-1/configuration/LocalAuthListEnabled', { value: 'false' })).body.status).toBe('Accepted');
    expect((await server.api('GET', '/api/v1/stations/CFG-1/local-list')).body.settings.localAuthListEnabled).toBe(false);
  });

  it('keeps what commands through the generic command API answered', async () => {
    const changed = await server.api('POST', '/api/v1/stations/CFG-1/commands/ChangeConfiguration', { key: 'HeartbeatInterval', value: '77' });
    expect(changed.body).toEqual({ response: { status: 'Accepted' } });
    expect(key(await configuration('CFG-1'), 'HeartbeatInterval')).toMatchObject({ value: '77', lastChange: { value: '77', status: 'Accepted' } });

    const partial = await server.api('POST', '/api/v1/stations/CFG-1/commands/GetConfiguration', { key: ['HeartbeatInterval', 'Unheard'] });
    expect(partial.body.response.unknownKey).toEqual(['Unheard']);
    const config = await configuration('CFG-1');
    expect(config.unknownKeys).toEqual(['Unheard']);
    expect(config.keys.length).toBeGreaterThan(20); // a read of some keys leaves the others
  });

  it('reads again on demand, and after a reboot that a change needed', async () => {
    const [station] = stations;
    const before = await configuration('CFG-1');
    const refreshed = await server.api('POST', '/api/v1/stations/CFG-1/configuration/refresh');
    expect(refreshed.status).toBe(200);
    expect(Date.parse(refreshed.body.readAt)).toBeGreaterThan(Date.parse(before.readAt));
    expect(refreshed.body.unknownKeys).toEqual([]);
    expect(key(refreshed.body, 'WebSocketPingInterval').value).toBe('60');

    // A RebootRequired change is followed by a whole read at the next boot.
    expect((await server.api('PUT', '/api/v1/stations/CFG-1/configuration/WebSocketPingInterval', { value: '90' })).body.status).toBe('RebootRequired');
    const readAt = (await configuration('CFG-1')).readAt;
    await station!.reboot('Soft');
    await eventually(async () => (await configuration('CFG-1')).readAt !== readAt, 'the read after the reboot');
    expect(key(await configuration('CFG-1'), 'WebSocketPingInterval').value).toBe('90');
  });

  it('answers 404 for unknown stations, 409 offline, 400 for a bad body; stored keys stay readable offline', async () => {
    expect((await server.api('GET', '/api/v1/stations/NOBODY/configuration')).status).toBe(404);
    expect((await server.api('POST', '/api/v1/stations', { id: 'CFG-OFF' })).status).toBe(201);
    expect((await server.api('POST', '/api/v1/stations/CFG-OFF/configuration/refresh')).status).toBe(409);
    expect((await server.api('PUT', '/api/v1/stations/CFG-OFF/configuration/HeartbeatInterval', { value: '1' })).status).toBe(409);
    expect((await server.api('PUT', '/api/v1/stations/CFG-1/configuration/HeartbeatInterval', { val: '5' })).status).toBe(400);
    expect(await configuration('CFG-OFF')).toEqual({ stationId: 'CFG-OFF', readAt: null, updatedAt: null, unknownKeys: [], keys: [] });
    const online = await configuration('CFG-1');
    await stations[0]!.close();
    stations.length = 0;
    expect(await configuration('CFG-1')).toEqual(online);
    expect(key(online, 'WebSocketPingInterval').value).toBe('90');
  });
});

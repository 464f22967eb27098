// One live socket per station: a reconnect replaces the older socket without the station ever
// looking offline; the keep-alive ping ends links that stopped answering.

import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_REPLACED } from '../../src/gateway/ocpp-gateway.js';
import type { StationConnection } from '../../src/gateway/station-connection.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { expectHeartbeat, waitUntil, within } from './gateway-helpers.js';

let server: TestServer;
const disconnected: string[] = [];
const connected: string[] = [];
beforeAll(async () => {
  server = await startTestServer({ OCPP_PING_INTERVAL: '1' });
  server.server.services.events.on('station.disconnected', ({ stationId }) => void disconnected.push(stationId));
  server.server.services.events.on('station.connected', ({ stationId }) => void connected.push(stationId));
});
afterAll(() => server.close());

const online = async (stationId: string): Promise<boolean> => {
  const answer = await server.api('GET', `/api/v1/stations/${encodeURIComponent(stationId)}`);
  expect(answer.status).toBe(200);
  return answer.body.online as boolean;
};

describe('a second connection with the same station id', () => {
  it('replaces the first: the old socket is closed with 4000, the new one works, the station stays online', async () => {
    const id = 'REPLACE-1';
    const first = await OcppTestClient.connect(server.ocppUrl(id));
    await boot(first);
    const oldConnection = server.server.registry.get(id)!.connection;
    expect(oldConnection.isOpen).toBe(true);

    const second = await OcppTestClient.connect(server.ocppUrl(id), { onCall: () => ({ status: 'Accepted' }) });
    const closed = await within(first.closed, 5000, 'the first socket to be closed');
    expect(closed.code).toBe(CLOSE_REPLACED);
    expect(closed.code).toBe(4000);

    // Wait until the server has seen the old socket's close complete, then check nothing went offline.
    await waitUntil(() => !oldConnection.isOpen, 'the server to finish closing the old socket');
    expect(server.server.registry.get(id)?.connection).not.toBe(oldConnection);
    expect(server.server.registry.get(id)?.connection.isOpen).toBe(true);
    expect(await online(id)).toBe(true);
    expect(server.server.caller.isOnline(id)).toBe(true);
    expect(disconnected).not.toContain(id);
    expect(connected.filter((stationId) => stationId === id)).toHaveLength(2);

    await expectHeartbeat(second);
    expect(await online(id)).toBe(true);

    // The station's CALLs now go to the new socket.
    const answered = server.server.caller.call(id, 'ClearCache', {});
    await expect(answered).resolves.toEqual({ status: 'Accepted' });
    expect(second.calls.map((call) => call.action)).toEqual(['ClearCache']);
    expect(first.calls).toEqual([]);

    // Closing the current socket does take the station offline: the check above can fail.
    await second.close();
    await waitUntil(async () => !(await online(id)), `${id} to be offline after its only socket closed`);
    expect(disconnected).toContain(id);
  });

  it('survives several quick reconnects: only the last socket stays, the station stays online', async () => {
    const id = 'REPLACE-2';
    const clients: OcppTestClient[] = [];
    const serverSides: StationConnection[] = [];
    for (let i = 0; i < 4; i++) {
      clients.push(await OcppTestClient.connect(server.ocppUrl(id)));
      serverSides.push(server.server.registry.get(id)!.connection);
    }
    const last = clients.at(-1)!;
    for (const older of clients.slice(0, -1)) {
      expect((await within(older.closed, 5000, 'an older socket to close')).code).toBe(4000);
    }
    await waitUntil(() => serverSides.slice(0, -1).every((connection) => !connection.isOpen), 'the server to close every older socket');
    expect(new Set(serverSides).size).toBe(4);
    expect(server.server.registry.get(id)?.connection).toBe(serverSides.at(-1));
    await expectHeartbeat(last);
    expect(last.socket.readyState).toBe(WebSocket.OPEN);
    expect(await online(id)).toBe(true);
    expect(disconnected).not.toContain(id);
    await last.close();
  });
});

describe('keep-alive', () => {
  it('terminates a client that stops answering pings and shows it offline; a normal client stays', async () => {
    const silentId = 'SILENT-1';
    const normalId = 'CHATTY-1';
    const silent = new WebSocket(server.ocppUrl(silentId), 'ocpp1.6', { autoPong: false });
    let silentPings = 0;
    silent.on('ping', () => silentPings++);
    const silentClosed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      silent.once('open', () => resolve());
      silent.once('error', reject);
    });
    const normal = await OcppTestClient.connect(server.ocppUrl(normalId));
    let normalPings = 0;
    normal.socket.on('ping', () => normalPings++);
    const started = Date.now();
    await waitUntil(async () => (await online(silentId)) && (await online(normalId)), 'both stations online');

    // Interval 1 s: one round sends the ping, the next finds no pong and cuts the link.
    const code = await within(silentClosed, 5000, 'the silent client to be terminated');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(silentPings).toBeGreaterThanOrEqual(1);
    expect(code).toBe(1006); // terminated, no close handshake
    await waitUntil(async () => !(await online(silentId)), `${silentId} to show offline`);
    expect(disconnected).toContain(silentId);

    // The normal client answered the same pings and is still served.
    await waitUntil(() => normalPings >= 2, 'the normal client to see two pings', 5000);
    expect(normal.socket.readyState).toBe(WebSocket.OPEN);
    await expectHeartbeat(normal);
    expect(await online(normalId)).toBe(true);
    expect(disconnected).not.toContain(normalId);
    await normal.close();
  });

  it('keeps a client that sends frames even if it never answers a ping', async () => {
    const id = 'TALKER-1';
    const socket = new WebSocket(server.ocppUrl(id), 'ocpp1.6', { autoPong: false });
    let pings = 0;
    socket.on('ping', () => pings++);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    // Any frame counts as a sign of life. A second ping only comes if the first round's missing
    // pong was forgiven because of the frames; a silent client is cut instead.
    let n = 0;
    const timer = setInterval(() => socket.send(JSON.stringify([2, `talk-${n++}`, 'Heartbeat', {}])), 250);
    try {
      await waitUntil(() => pings >= 2, 'two ping rounds', 5000);
      expect(socket.readyState).toBe(WebSocket.OPEN);
      expect(await online(id)).toBe(true);
    } finally {
      clearInterval(timer);
      socket.close();
    }
  });
});

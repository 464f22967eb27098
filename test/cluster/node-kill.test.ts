// Two nodes as real processes on one PostgreSQL database and the local Redis. Stations run
// sessions on node A; A is killed with SIGKILL; the stations reconnect to node B and carry on.
// Everything A acknowledged is in the database, B commands the moved stations, and a station
// that stayed away counts as offline (409) once A's heartbeat has expired.

import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { TEST_API_KEY } from '../support/test-server.js';
import { NODE_TTL_SEC, clusterFixture, eventually, type ClusterFixture } from './cluster-support.js';

const STATIONS = 6;

interface NodeProcess {
  url: string;
  child: ChildProcess;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

async function startNode(fixture: ClusterFixture, nodeId: string): Promise<NodeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      ...fixture.env(nodeId),
      PORT: String(port),
      TLS_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: fixture.databaseUrl,
      BOOTSTRAP_API_KEY: TEST_API_KEY,
      OCPP_UNKNOWN_STATIONS: 'accept',
      OCPP_CALL_TIMEOUT: '2',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`node ${nodeId} exited with ${child.exitCode}`);
    if (await fetch(`${url}/healthz`).then((response) => response.ok, () => false)) return { url, child, api };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`node ${nodeId} did not become healthy`);
}

interface Acked {
  starts: { transactionId: number; stationId: string; meterStart: number; timestamp: string }[];
  meterValues: { transactionId: number; timestamp: string; value: string }[];
  stops: { transactionId: number; meterStop: number }[];
  /** Calls answered by node B, per station. */
  onB: Map<string, number>;
}

/**
 * A station running sessions back to back on node A; when its socket dies it reconnects to
 * node B and sends the unanswered message again, as a charger does. Runs until `done()`.
 */
async function runStation(urls: { a: string; b: string }, stationId: string, acked: Acked, done: () => boolean): Promise<void> {
  const answerReset = (action: string) => (action === 'Reset' ? { status: 'Accepted' } : {});
  let client = await OcppTestClient.connect(`${urls.a}/ocpp/${stationId}`, { onCall: answerReset });
  await boot(client);
  let onB = false;
  const send = async (action: string, payload: unknown): Promise<any> => {
    for (;;) {
      try {
        const answer = await client.call(action, payload);
        if (onB) acked.onB.set(stationId, (acked.onB.get(stationId) ?? 0) + 1);
        return answer;
      } catch (error) {
        if (client.socket.readyState === client.socket.OPEN) throw error; // a real CALLERROR
        for (onB = true; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
          try {
            client = await OcppTestClient.connect(`${urls.b}/ocpp/${stationId}`, { onCall: answerReset });
            break;
          } catch {
            // B refused for a moment; retry like a charger
          }
        }
        await boot(client);
      }
    }
  };
  let meter = 10_000;
  let clock = Date.parse('2026-01-01T00:00:00Z') + Math.floor(Math.random() * 1000) * 3_600_000;
  const tick = () => new Date((clock += 60_000)).toISOString();
  while (!done()) {
    const startAt = tick();
    const start = await send('StartTransaction', { connectorId: 1, idTag: 'KILL-TAG', meterStart: meter, timestamp: startAt });
    acked.starts.push({ transactionId: start.transactionId, stationId, meterStart: meter, timestamp: startAt });
    for (let i = 0; i < 3; i++) {
      meter += 250;
      const at = tick();
      const sample = { timestamp: at, sampledValue: [{ value: String(meter), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] };
      await send('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [sample] });
      acked.meterValues.push({ transactionId: start.transactionId, timestamp: at, value: String(meter) });
    }
    meter += 100;
    await send('StopTransaction', { transactionId: start.transactionId, meterStop: meter, timestamp: tick() });
    acked.stops.push({ transactionId: start.transactionId, meterStop: meter });
  }
  await client.close();
}

describe('a node killed with SIGKILL', () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('loses nothing it acknowledged; its stations carry on through the other node', async () => {
    const fixture = await clusterFixture();
    cleanups.push(() => fixture.close());
    const a = await startNode(fixture, 'kill-A');
    cleanups.push(() => void a.child.kill('SIGKILL'));
    const b = await startNode(fixture, 'kill-B');
    cleanups.push(async () => {
      b.child.kill('SIGTERM');
      if (b.child.exitCode === null) await new Promise((resolve) => b.child.once('exit', resolve));
    });
    await a.api('POST', '/api/v1/id-tags', { idTag: 'KILL-TAG' });

    // One station that will not come back after the kill.
    const away = await OcppTestClient.connect(`${a.url.replace('http', 'ws')}/ocpp/KILL-AWAY`);
    await boot(away);
    await eventually(() => b.api('GET', '/api/v1/stations/KILL-AWAY'), (answer) => answer.body?.online === true);

    const acked: Acked = { starts: [], meterValues: [], stops: [], onB: new Map() };
    let stopping = false;
    const urls = { a: a.url.replace('http', 'ws'), b: b.url.replace('http', 'ws') };
    const running = Array.from({ length: STATIONS }, (_, i) => runStation(urls, `KILL-${i}`, acked, () => stopping));
    const deadline = Date.now() + 20_000;
    while (acked.stops.length < STATIONS * 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(acked.stops.length).toBeGreaterThan(0);
    const stopsBeforeKill = acked.stops.length;
    a.child.kill('SIGKILL');

    // Every station reconnects to B and goes on there.
    const everyoneOnB = await eventually(
      async () => acked.onB,
      (onB) => onB.size === STATIONS && [...onB.values()].every((calls) => calls >= 4),
      30_000,
    );
    expect(everyoneOnB.size).toBe(STATIONS);
    expect(acked.stops.length).toBeGreaterThan(stopsBeforeKill);
    const reset = await b.api('POST', '/api/v1/stations/KILL-0/commands/Reset', { type: 'Soft' });
    expect(reset).toMatchObject({ status: 200, body: { response: { status: 'Accepted' } } });

    // The station that stayed away: offline once A's heartbeat has expired, not a timeout.
    await new Promise((resolve) => setTimeout(resolve, NODE_TTL_SEC * 1000 + 1000));
    expect((await b.api('POST', '/api/v1/stations/KILL-AWAY/commands/Reset', { type: 'Soft' })).status).toBe(409);
    expect((await b.api('GET', '/api/v1/stations/KILL-AWAY')).body.online).toBe(false);
    expect((await b.api('GET', '/api/v1/stations/KILL-1')).body.online).toBe(true);

    stopping = true;
    await Promise.all(running);
    for (const start of acked.starts) {
      const session = await b.api('GET', `/api/v1/sessions/${start.transactionId}`);
      expect(session.body).toMatchObject({ id: start.transactionId, stationId: start.stationId, meterStartWh: start.meterStart });
      expect(session.body.startedAt).toBe(new Date(start.timestamp).toISOString());
    }
    const stored = new Map<number, any[]>();
    for (const sample of acked.meterValues) {
      if (!stored.has(sample.transactionId)) stored.set(sample.transactionId, (await b.api('GET', `/api/v1/sessions/${sample.transactionId}/meter-values`)).body);
      expect(stored.get(sample.transactionId)!.some((row) => row.sampledAt === new Date(sample.timestamp).toISOString() && row.rawValue === sample.value)).toBe(true);
    }
    for (const stop of acked.stops) {
      expect((await b.api('GET', `/api/v1/sessions/${stop.transactionId}`)).body).toMatchObject({ active: false, meterStopWh: stop.meterStop });
    }
    away.socket.terminate();
  }, 120_000);
});

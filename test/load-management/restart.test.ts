// After the central system restarts, load management starts from what its last recorded decision
// gave: the session that ran through the restart keeps its limit until a new session needs a
// share, and what the stations hold never exceeds the site's limit on the way.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { createScratchDatabase, engine, startTestServer, type TestServer } from '../support/test-server.js';

const stations: ChargePoint[] = [];
let server: TestServer | undefined;
let cleanup: () => Promise<void> = async () => undefined;

afterAll(async () => {
  await Promise.all(stations.map((station) => station.close()));
  await server?.close();
  await cleanup();
});

async function until<T>(read: () => T | Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const heldA = (station: ChargePoint) => station.allowedPowerW(1) / 690;

it('shares the site again after a restart, never above its limit', async () => {
  let database: { databaseUrl: string } | { dataDir: string };
  if (engine === 'postgres') {
    const scratch = await createScratchDatabase();
    database = { databaseUrl: scratch.url };
    cleanup = () => scratch.drop();
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'load-restart-'));
    database = { dataDir };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  server = await startTestServer({}, database);
  const port = server.server.port;
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'RESTART' })).status).toBe(201);
  await server.api('POST', '/api/v1/sites', { id: 'yard', name: 'Yard', timeZone: 'UTC', gridLimitAmps: 20 });
  for (const id of ['RS-1', 'RS-2']) {
    await server.api('POST', '/api/v1/stations', { id, siteId: 'yard' });
    stations.push(
      await startStation({ url: `ws://127.0.0.1:${port}/ocpp`, id, profile: 'wallbox', idTag: 'RESTART', meterIntervalMs: 0, reconnectDelayMs: 100 }),
    );
  }
  const [first, second] = stations as [ChargePoint, ChargePoint];
  await first.startSession(1);
  await until(() => heldA(first), (amps) => amps === 20, 'the first session to hold the whole site');

  await server.close();
  server = await startTestServer({ PORT: String(port) }, database);
  await until(() => first.isOnline && second.isOnline, (online) => online, 'the stations to reconnect');
  // The reconnect re-plans the site from the recorded decision: the running session already
  // holds its limit, so nothing is sent to it again.
  const before = await until(async () => (await server!.api('GET', '/api/v1/sites/yard/load')).body, (body) => body?.source === 'live', 'a plan after the restart');
  expect(before.sessions.map((session: { limitAmps: number }) => session.limitAmps)).toEqual([20]);
  const txProfilesTo = async (stationId: string) =>
    ((await server!.api('GET', `/api/v1/stations/${stationId}/commands`)).body as { action: string; request: any }[]).filter(
      (command) => command.action === 'SetChargingProfile' && command.request.csChargingProfiles.chargingProfilePurpose === 'TxProfile',
    ).length;
  expect(await txProfilesTo('RS-1')).toBe(1);

  let worst = 0;
  const sampler = setInterval(() => {
    worst = Math.max(worst, heldA(first) + (second.sessions().length > 0 ? heldA(second) : 0));
  }, 5);
  try {
    await second.startSession(1);
    await until(() => [heldA(first), heldA(second)], ([a, b]) => a === 10 && b === 10, 'an even share');
  } finally {
    clearInterval(sampler);
  }
  expect(worst).toBeLessThanOrEqual(20 + 1e-6);
  const load = (await server.api('GET', '/api/v1/sites/yard/load')).body;
  expect(load.sessions.map((session: { limitAmps: number }) => session.limitAmps)).toEqual([10, 10]);
});

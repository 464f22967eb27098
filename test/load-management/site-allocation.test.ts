// Dynamic load management end to end: ten simulated stations on a 63 A site, real sockets, the
// real database. Sessions start and stop staggered, two EVs draw less than they are given, one
// station rejects charging profiles, one drops off the network. What the stations are allowed
// to draw (read from the simulators' installed profiles, sampled all along) never adds up to
// more than the site's limit, and capacity an EV leaves unused goes to the others.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStation, type ChargePoint, type SessionInfo } from '../../src/simulator/index.js';
import { checkLimits as checkSiteLimits, checkNoIdleCapacity as checkNoIdleSiteCapacity, heldA, holdsPlan, until, type SiteLoad } from '../support/site-load.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const SITE = 'car-park';
const LIMIT_A = 63;
/** Every connector's configured max current (what a wallbox's 11 kW on 3 × 230 V gives). */
const MAX_A = 16;
const WATTS_PER_AMP = 230 * 3;
/** Mixed brands: the rest are wallboxes. */
const BRANDS: Record<string, string> = { 'LM-05': 'legacy', 'LM-06': 'pedestal', 'LM-07': 'dc-fast' };
const TAG = 'LM-CARD';
const ids = Array.from({ length: 10 }, (_, index) => `LM-${String(index + 1).padStart(2, '0')}`);
const REJECTS = 'LM-09';
const DROPS = 'LM-10';
const SLOW_EVS = new Set(['LM-03', 'LM-04']);
const SLOW_EV_A = 8;

let server: TestServer;
const stations = new Map<string, ChargePoint>();
const sessions = new Map<string, SessionInfo>();
const dropped = new Set<string>();
let worstSeenA = 0;
let sampler: NodeJS.Timeout;

const siteLoad = async () => (await server.api<SiteLoad>('GET', `/api/v1/sites/${SITE}/load`)).body;

/**
 * What the site's stations may draw now by their own installed profiles (a station we lost keeps
 * what it holds); the one that ignores profiles at its full power whether or not it charges.
 */
function allowedTotalA(): number {
  let total = 0;
  for (const [id, station] of stations) {
    if (id === REJECTS) {
      total += MAX_A;
      continue;
    }
    if (station.sessions().length === 0) continue;
    total += heldA(station);
  }
  return total;
}

/** Waits until the site's plan covers exactly the running steerable sessions and every station holds its limit. */
async function settled(what: string): Promise<SiteLoad> {
  const running = [...sessions.entries()].filter(([id]) => id !== REJECTS && !dropped.has(id));
  return until(
    siteLoad,
    (load) => holdsPlan(load, running, stations),
    what,
  );
}

function checkLimits(load: SiteLoad): void {
  checkSiteLimits(load, LIMIT_A, allowedTotalA(), worstSeenA);
}

const checkNoIdleCapacity = (load: SiteLoad) => checkNoIdleSiteCapacity(load, MAX_A);

async function start(id: string): Promise<SessionInfo> {
  const session = await stations.get(id)!.startSession(1);
  sessions.set(id, session);
  return session;
}

async function stop(id: string): Promise<void> {
  await stations.get(id)!.stopSession(1);
  sessions.delete(id);
}

const limitOf = (load: SiteLoad, id: string) => load.sessions.find((session) => session.stationId === id)?.limitAmps;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: TAG })).status).toBe(201);
  expect((await server.api('POST', '/api/v1/sites', { id: SITE, name: 'Car park', timeZone: 'Europe/Berlin', gridLimitAmps: LIMIT_A })).status).toBe(201);
  for (const id of ids) {
    expect((await server.api('POST', '/api/v1/stations', { id, siteId: SITE })).status).toBe(201);
    expect((await server.api('PUT', `/api/v1/stations/${id}/load-settings`, { maxCurrentAmps: MAX_A })).status).toBe(200);
  }
  for (const id of ids) {
    const station = await startStation({
      url: `${server.url.replace(/^http/, 'ws')}/ocpp`,
      id,
      profile: BRANDS[id] ?? 'wallbox',
      idTag: TAG,
      meterIntervalMs: 400,
      reconnect: false,
      ...(SLOW_EVS.has(id) ? { evMaxPowerW: SLOW_EV_A * WATTS_PER_AMP } : {}),
      ...(id === REJECTS ? { rejectChargingProfiles: true } : {}),
    });
    stations.set(id, station);
  }
  sampler = setInterval(() => {
    worstSeenA = Math.max(worstSeenA, allowedTotalA());
  }, 10);
}, 120_000);

afterAll(async () => {
  clearInterval(sampler);
  await Promise.all([...stations.values()].map((station) => station.close()));
  await server.close();
});

describe('a 63 A site shared by ten stations of four brands', () => {
  it('gives every steerable station a fallback within the rule and counts the one that rejects profiles at its worst case', async () => {
    const load = await until(
      siteLoad,
      (body) => body?.worstCase?.some((entry) => entry.stationId === REJECTS) && body.fallback.length === 9 && body.fallback.every((entry) => entry.heldAmps === entry.amps),
      'fallbacks',
    );
    expect(load.worstCase).toEqual([{ stationId: REJECTS, amps: MAX_A, reason: 'rejects_profiles' }]);
    // (63 − 16) / 9 connectors = 5.2 A, below the 6 A minimum: without us, new sessions wait.
    for (const entry of load.fallback) expect(entry.amps).toBe(0);
    const rejected = await server.api('GET', `/api/v1/stations/${REJECTS}/load-settings`);
    expect(rejected.body).toMatchObject({ rejectedProfile: 'TxDefaultProfile', maxCurrentAmps: MAX_A });
    expect(rejected.body.profilesRejectedAt).not.toBeNull();
    checkLimits(load);
  });

  it('shares the site among staggered starts and hands what slow EVs leave to the others', async () => {
    for (const id of ['LM-01', 'LM-02', 'LM-03', 'LM-04']) {
      await start(id);
      checkLimits(await settled(`start of ${id}`));
    }
    // 47 A for four sessions; the two slow EVs (8 A) are capped at draw + 2 A and the other two share the rest.
    const load = await until(
      siteLoad,
      (body) => body.sessions.filter((session) => session.capAmps !== null).length === 2,
      'the slow EVs to be noticed',
    );
    const after = await settled('re-allocation after under-use');
    expect(limitOf(after, 'LM-03')).toBe(10);
    expect(limitOf(after, 'LM-04')).toBe(10);
    expect(limitOf(after, 'LM-01')).toBe(13.5);
    expect(limitOf(after, 'LM-02')).toBe(13.5);
    expect(load.sessions.find((session) => session.stationId === 'LM-03')?.drawAmps).toBeCloseTo(SLOW_EV_A, 0);
    checkLimits(after);
    checkNoIdleCapacity(after);
    // The station's own meter shows the EV charging at what it was given.
    expect(stations.get('LM-01')!.powerW(1)).toBe(13.5 * WATTS_PER_AMP);
  });

  it('lets late arrivals wait at 0 A once the minimum no longer fits, first come first served', async () => {
    for (const id of ['LM-05', 'LM-06', 'LM-07', 'LM-08', DROPS, REJECTS]) {
      await start(id);
      const load = await settled(`start of ${id}`);
      checkLimits(load);
      checkNoIdleCapacity(load);
    }
    const load = await settled('all started');
    // 47 A: seven sessions at ≥ 6 A; the eighth and ninth to arrive wait.
    const waiting = load.sessions.filter((session) => session.waiting).map((session) => session.stationId);
    expect(waiting.sort()).toEqual(['LM-08', DROPS].sort());
    expect(stations.get('LM-08')!.powerW(1)).toBe(0);
    expect(load.sessions.filter((session) => !session.waiting).every((session) => session.limitAmps >= 6)).toBe(true);
  });

  it('admits waiting sessions as others stop', async () => {
    await stop('LM-01');
    let load = await settled('stop of LM-01');
    checkLimits(load);
    expect(limitOf(load, 'LM-08')).toBeGreaterThanOrEqual(6);
    expect(limitOf(load, DROPS)).toBe(0);
    await stop('LM-02');
    load = await settled('stop of LM-02');
    checkLimits(load);
    checkNoIdleCapacity(load);
    expect(limitOf(load, DROPS)).toBeGreaterThanOrEqual(6);
    expect(stations.get(DROPS)!.powerW(1)).toBeGreaterThan(0);
  });

  it('counts a station that drops offline at its worst case and takes it from the others', async () => {
    dropped.add(DROPS);
    stations.get(DROPS)!.kill();
    const load = await until(siteLoad, (body) => body.worstCase.some((entry) => entry.stationId === DROPS), 'the dropped station to count at its worst case');
    expect(load.worstCase).toContainEqual({ stationId: DROPS, amps: MAX_A, reason: 'offline' });
    const after = await settled('re-allocation after the drop');
    checkLimits(after);
    expect(after.allocatedAmps).toBeLessThanOrEqual(LIMIT_A - 2 * MAX_A + 1e-6);
    expect(after.sessions.some((session) => session.stationId === DROPS)).toBe(false);
  });

  it('returns everything as the rest stop, and keeps the decisions as history', async () => {
    for (const id of ['LM-03', 'LM-04', 'LM-05', 'LM-06', 'LM-07', 'LM-08']) {
      await stop(id);
      const load = await settled(`stop of ${id}`);
      checkLimits(load);
      checkNoIdleCapacity(load);
    }
    await stop(REJECTS);
    const history = await server.api('GET', `/api/v1/sites/${SITE}/load/history?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
    expect(history.status).toBe(200);
    expect(history.body.length).toBeGreaterThan(10);
    // Before the stations connected they all counted at their worst case (10 × 16 A): nothing was given then.
    for (const entry of history.body) {
      const worst = entry.worstCase.reduce((sum: number, load: { amps: number }) => sum + load.amps, 0);
      expect(entry.allocatedAmps).toBeLessThanOrEqual(Math.max(0, LIMIT_A - entry.buildingAmps - worst) + 1e-6);
    }
    expect(history.body.some((entry: { trigger: string }) => entry.trigger.split('+').includes('transaction.started'))).toBe(true);
    expect(history.body.some((entry: { trigger: string }) => entry.trigger.split('+').includes('meter.values'))).toBe(true);
    expect(worstSeenA).toBeLessThanOrEqual(LIMIT_A + 1e-6);
    expect(worstSeenA).toBeGreaterThan(LIMIT_A - 2);
  });
});

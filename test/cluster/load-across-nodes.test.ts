// Load management in a cluster: one 32 A site whose six simulated stations are split over node A
// and node B (one PostgreSQL database, the local Redis). Sessions start and stop staggered on
// both nodes and an EV on each node draws less than it is given. After every step, what the
// stations hold by their own installed profiles (sampled all along) adds up to no more than the
// site's limit, capacity left over goes to the others, and every SetChargingProfile was sent by
// the node holding the site's lease at that moment; a quiet spell longer than the lease does not
// move the site. When the leading node shuts down, the other takes the site over within the
// lease, from the last decision (caps included), and keeps the limit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStation, type ChargePoint, type SessionInfo } from '../../src/simulator/index.js';
import { checkLimits as checkSiteLimits, checkNoIdleCapacity as checkNoIdleSiteCapacity, heldA, holdsPlan, until, type SiteLoad } from '../support/site-load.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { NODE_TTL_SEC, clusterFixture, type ClusterFixture } from './cluster-support.js';

const SITE = 'split-park';
const LIMIT_A = 32;
const MAX_A = 16;
const WATTS_PER_AMP = 230 * 3;
const TAG = 'SPLIT-CARD';
/** Three wallboxes on each node; one EV per node draws 5 A whatever it is given. */
const ON: Record<string, 'A' | 'B'> = { 'SP-A1': 'A', 'SP-A2': 'A', 'SP-A3': 'A', 'SP-B1': 'B', 'SP-B2': 'B', 'SP-B3': 'B' };
const SLOW_EVS = new Set(['SP-A2', 'SP-B1']);
const SLOW_EV_A = 5;

interface Sent {
  node: string;
  stationId: string;
  /** Which node held the site's lease when the profile went out. */
  leaseHolder: string | null;
}

let fixture: ClusterFixture;
const nodes: Record<string, TestServer> = {};
const closed = new Set<string>();
const stations = new Map<string, ChargePoint>();
const sessions = new Map<string, SessionInfo>();
/** SetChargingProfile CALLs as each node's load management sent them (whichever node held the socket). */
const sent: Sent[] = [];
/** SetChargingProfile CALLs as the stations received them. */
const received: string[] = [];
let worstSeenA = 0;
let sampler: NodeJS.Timeout;

const leaseKey = () => `${fixture.prefix}leader:site:${SITE}`;
const live = () => Object.entries(nodes).filter(([id]) => !closed.has(id));

/** What the site's charging stations may draw now by their own installed profiles. */
function allowedTotalA(): number {
  let total = 0;
  for (const station of stations.values()) if (station.sessions().length > 0) total += heldA(station);
  return total;
}

interface SiteLoadAnswer extends SiteLoad {
  source: 'live' | 'history';
}

/**
 * The site's load as the leading node shows it (source "live"); a node that does not lead shows
 * the last recorded decision without its sessions.
 */
async function siteLoad(): Promise<SiteLoadAnswer> {
  const answers = await Promise.all(live().map(async ([, node]) => (await node.api<SiteLoadAnswer>('GET', `/api/v1/sites/${SITE}/load`)).body));
  return answers.find((answer) => answer?.source === 'live') ?? answers[0]!;
}

/**
 * Waits until the plan (as the live node shows it) covers exactly the running sessions of the
 * stations still online, and each of those holds its planned limit.
 */
async function settled(what: string, offline: Set<string> = new Set()): Promise<SiteLoad> {
  const running = [...sessions.entries()].filter(([id]) => !offline.has(id));
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

/** Every profile went out from the node that held the site's lease; each one a station got was sent once. */
function checkOneDecider(): void {
  for (const entry of sent) expect(entry).toMatchObject({ leaseHolder: entry.node });
  expect(received.length).toBe(sent.length);
}

const limitOf = (load: SiteLoad, id: string) => load.sessions.find((session) => session.stationId === id)?.limitAmps;

async function start(id: string): Promise<void> {
  sessions.set(id, await stations.get(id)!.startSession(1));
}

async function stop(id: string): Promise<void> {
  await stations.get(id)!.stopSession(1);
  sessions.delete(id);
}

beforeAll(async () => {
  fixture = await clusterFixture();
  const node = (nodeId: string) => startTestServer(fixture.env(nodeId), { databaseUrl: fixture.databaseUrl });
  [nodes['A'], nodes['B']] = await Promise.all([node('A'), node('B')]);
  // Observes (does not change) each node's outgoing calls: which node's load management sent a
  // profile, and who held the site's lease then.
  for (const [nodeId, { server }] of Object.entries(nodes)) {
    const call = server.caller.call.bind(server.caller);
    server.caller.call = (async (stationId: string, action: string, request: unknown, options?: unknown) => {
      if (action === 'SetChargingProfile') sent.push({ node: nodeId, stationId, leaseHolder: await fixture.redis.get(leaseKey()) });
      return (call as (...args: unknown[]) => Promise<unknown>)(stationId, action, request, options);
    }) as typeof server.caller.call;
  }
  const a = nodes['A']!;
  expect((await a.api('POST', '/api/v1/id-tags', { idTag: TAG })).status).toBe(201);
  expect((await a.api('POST', '/api/v1/sites', { id: SITE, name: 'Split park', timeZone: 'Europe/Berlin', gridLimitAmps: LIMIT_A })).status).toBe(201);
  for (const [id, nodeId] of Object.entries(ON)) {
    // Configured through the other node's API than the one the station will use.
    const api = nodes[nodeId === 'A' ? 'B' : 'A']!;
    expect((await api.api('POST', '/api/v1/stations', { id, siteId: SITE })).status).toBe(201);
    expect((await api.api('PUT', `/api/v1/stations/${id}/load-settings`, { maxCurrentAmps: MAX_A })).status).toBe(200);
  }
  for (const [id, nodeId] of Object.entries(ON)) {
    const station = await startStation({
      url: `${nodes[nodeId]!.url.replace(/^http/, 'ws')}/ocpp`,
      id,
      profile: 'wallbox',
      idTag: TAG,
      meterIntervalMs: 400,
      reconnect: false,
      hooks: { onInboundCall: ({ action }) => void (action === 'SetChargingProfile' && received.push(id)) },
      ...(SLOW_EVS.has(id) ? { evMaxPowerW: SLOW_EV_A * WATTS_PER_AMP } : {}),
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
  for (const [id, node] of live()) {
    closed.add(id);
    await node.close();
  }
  await fixture?.close();
});

describe('a 32 A site with stations on two nodes', () => {
  it('gives every station its fallback once, from one node', async () => {
    await until(
      async () => Promise.all(live().map(([, node]) => node.api('GET', `/api/v1/stations/SP-B3/load-settings`))),
      (answers) => answers.every((answer) => answer.body?.fallbackAmps !== null && answer.body?.fallbackAmps !== undefined),
      'the fallbacks',
    );
    await until(async () => received.length, (count) => count >= stations.size, 'a fallback on every station');
    // 32 A over six connectors is 5.3 A, below the 6 A minimum: a new session waits for its TxProfile.
    for (const station of stations.values()) expect(station.allowedPowerW(1)).toBe(0);
    checkOneDecider();
  }, 120_000);

  it('shares the site among sessions started on both nodes and gives what slow EVs leave to the others', async () => {
    for (const id of ['SP-A1', 'SP-B1', 'SP-A2', 'SP-B2']) {
      await start(id);
      const load = await settled(`start of ${id}`);
      checkLimits(load);
      checkNoIdleCapacity(load);
    }
    // The slow EVs (one on each node, whichever leads) are capped at draw + 2 A; the others share the rest.
    await until(siteLoad, (load) => load.sessions.filter((session) => session.capAmps !== null).length === 2, 'the slow EVs to be capped');
    const load = await settled('re-allocation after under-use');
    expect(limitOf(load, 'SP-A2')).toBe(SLOW_EV_A + 2);
    expect(limitOf(load, 'SP-B1')).toBe(SLOW_EV_A + 2);
    expect(limitOf(load, 'SP-A1')).toBe(9);
    expect(limitOf(load, 'SP-B2')).toBe(9);
    checkLimits(load);
    checkNoIdleCapacity(load);
    expect(stations.get('SP-A1')!.powerW(1)).toBe(9 * WATTS_PER_AMP);
    checkOneDecider();
  }, 120_000);

  it('stays with one node through a quiet spell longer than the lease, sending nothing', async () => {
    const before = await settled('the capped allocation');
    const leader = await fixture.redis.get(leaseKey());
    expect(leader).not.toBeNull();
    const sentBefore = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 2 * NODE_TTL_SEC * 1000 + 500));
    expect(await fixture.redis.get(leaseKey())).toBe(leader);
    expect(sent.slice(sentBefore)).toEqual([]);
    const after = await settled('the same allocation');
    expect(after.sessions.map((session) => [session.stationId, session.limitAmps, session.capAmps])).toEqual(
      before.sessions.map((session) => [session.stationId, session.limitAmps, session.capAmps]),
    );
  }, 120_000);

  it('lets a late arrival wait at 0 A, and admits it when a session on the other node stops', async () => {
    await start('SP-A3');
    let load = await settled('start of SP-A3');
    checkLimits(load);
    await start('SP-B3');
    load = await settled('start of SP-B3');
    checkLimits(load);
    // Five sessions at ≥ 6 A fill 32 A: the sixth waits.
    expect(load.sessions.find((session) => session.stationId === 'SP-B3')?.waiting).toBe(true);
    expect(stations.get('SP-B3')!.powerW(1)).toBe(0);

    await stop('SP-A1');
    load = await settled('stop of SP-A1');
    checkLimits(load);
    checkNoIdleCapacity(load);
    expect(limitOf(load, 'SP-B3')).toBeGreaterThanOrEqual(6);
    expect(stations.get('SP-B3')!.powerW(1)).toBeGreaterThan(0);

    const before = limitOf(load, 'SP-B3')!;
    await stop('SP-B2');
    load = await settled('stop of SP-B2');
    checkLimits(load);
    checkNoIdleCapacity(load);
    expect(limitOf(load, 'SP-B3')!).toBeGreaterThan(before);
    checkOneDecider();
  }, 120_000);

  it('records the decisions once, readable on either node', async () => {
    const from = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString());
    const [onA, onB] = await Promise.all(live().map(([, node]) => node.api('GET', `/api/v1/sites/${SITE}/load/history?from=${from}`)));
    expect(onA!.status).toBe(200);
    expect(onA!.body).toEqual(onB!.body);
    expect(onA!.body.length).toBeGreaterThan(5);
    for (const entry of onA!.body) expect(entry.allocatedAmps).toBeLessThanOrEqual(LIMIT_A + 1e-6);
  }, 120_000);

  it('is taken over by the other node within the lease when the leading node shuts down', async () => {
    const leader = (await fixture.redis.get(leaseKey())) ?? sent.at(-1)!.node;
    const survivorId = leader === 'A' ? 'B' : 'A';
    const stranded = new Set(Object.keys(ON).filter((id) => ON[id] === leader));
    const sentBefore = sent.length;
    // The leader has just renewed its lease (as it does on every decision): the survivor, refused
    // on the events of the shutdown, has to come back for the site once the lease has run out.
    expect(await nodes[leader]!.server.services.coordination.leaderFor(`site:${SITE}`)).toBe(true);
    const down = Date.now();
    closed.add(leader);
    await nodes[leader]!.close();
    // The stranded stations keep what they hold; the survivor counts them at their worst case.
    const load = await until(
      siteLoad,
      (body) =>
        body.source === 'live' &&
        [...stranded].filter((id) => sessions.has(id)).every((id) => body.worstCase.some((entry) => entry.stationId === id)),
      'the survivor to count the stranded stations',
      NODE_TTL_SEC * 1000 + 10_000,
    );
    expect(Date.now() - down).toBeLessThan(NODE_TTL_SEC * 1000 + 10_000);
    expect(await fixture.redis.get(leaseKey())).toBe(survivorId);
    checkLimits(load);
    // It starts from the last decision, caps included: its slow EV stays capped.
    const slow = [...SLOW_EVS].find((id) => ON[id] === survivorId)!;
    expect(load.sessions.find((session) => session.stationId === slow)?.capAmps).toBe(SLOW_EV_A + 2);
    expect(sent.slice(sentBefore).every((entry) => entry.node === survivorId)).toBe(true);

    // It goes on deciding: a session on its side stops and the rest is shared again within the limit.
    const ownRunning = [...sessions.keys()].filter((id) => ON[id] === survivorId);
    const stopping = ownRunning[0]!;
    await stop(stopping);
    const after = await settled(`stop of ${stopping} after the take-over`, stranded);
    checkLimits(after);
    checkNoIdleCapacity(after);
    expect(sent.slice(sentBefore).every((entry) => entry.node === survivorId && entry.leaseHolder === survivorId)).toBe(true);
    expect(worstSeenA).toBeLessThanOrEqual(LIMIT_A + 1e-6);
  }, 120_000);
});

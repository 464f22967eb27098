// Two nodes in this process on one PostgreSQL database and the local Redis: a station on node A
// is commanded through node B's API with the single node's answers (200, 404, 409, 502, 504),
// B's live feed shows what A commits while B's side effects do not run for it, a station that
// moves from A to B loses its old socket, and leases and jobs are held by one node at a time.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/scheduler.js';
import { startJobs } from '../../src/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { openFeed } from '../support/sse-client.js';
import { TEST_API_KEY, startTestServer, type TestServer } from '../support/test-server.js';
import { NODE_TTL_SEC, clusterFixture, eventually, type ClusterFixture } from './cluster-support.js';

let fixture: ClusterFixture;
let a: TestServer;
let b: TestServer;
const clients: OcppTestClient[] = [];

beforeAll(async () => {
  fixture = await clusterFixture();
  // Together, as nodes behind a load balancer start: one migrates while the other waits.
  const node = (nodeId: string) => startTestServer(fixture.env(nodeId, { OCPP_CALL_TIMEOUT: '1' }), { databaseUrl: fixture.databaseUrl });
  [a, b] = await Promise.all([node('A'), node('B')]);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await b?.close();
  await a?.close();
  await fixture?.close();
});

async function station(node: TestServer, id: string, onCall?: (action: string, payload: any) => unknown): Promise<OcppTestClient> {
  const client = await OcppTestClient.connect(node.ocppUrl(id), onCall ? { onCall } : {});
  clients.push(client);
  await boot(client);
  return client;
}

describe('command routing', () => {
  it('commands a station on node A through node B with the same answers as on one node', async () => {
    const client = await station(a, 'ROUTE-1', (action) => {
      if (action === 'Reset') return { status: 'Accepted' };
      if (action === 'ClearCache') return undefined; // never answers
      if (action === 'UnlockConnector') return { status: 'Sideways' }; // off-schema
      if (action === 'ChangeAvailability') throw new Error('refused');
      return {};
    });
    const reset = await b.api('POST', '/api/v1/stations/ROUTE-1/commands/Reset', { type: 'Soft' });
    expect(reset).toMatchObject({ status: 200, body: { response: { status: 'Accepted' } } });
    expect(client.calls.at(-1)).toEqual({ action: 'Reset', payload: { type: 'Soft' } });

    expect((await b.api('POST', '/api/v1/stations/ROUTE-1/commands/ClearCache', {})).status).toBe(504);
    const offSchema = await b.api('POST', '/api/v1/stations/ROUTE-1/commands/UnlockConnector', { connectorId: 1 });
    expect(offSchema.status).toBe(502);
    expect(offSchema.body.stationResponse).toEqual({ status: 'Sideways' });
    const refused = await b.api('POST', '/api/v1/stations/ROUTE-1/commands/ChangeAvailability', { connectorId: 0, type: 'Inoperative' });
    expect(refused.status).toBe(502);
    expect(refused.body.ocppError).toBe('InternalError');
    expect((await b.api('POST', '/api/v1/stations/ROUTE-1/commands/Reset', { type: 'Sideways' })).status).toBe(400);

    // Recorded once, by the node whose API was asked (the system's own reads left aside).
    const history = (await a.api('GET', '/api/v1/stations/ROUTE-1/commands')).body
      .filter((row: any) => row.requestedBy === 'bootstrap')
      .map((row: any) => [row.action, row.outcome]);
    expect(history).toEqual([
      ['ChangeAvailability', 'call_error'],
      ['UnlockConnector', 'invalid_response'],
      ['ClearCache', 'timeout'],
      ['Reset', 'answered'],
    ]);
  });

  it('answers 404 for an unknown station and 409 for one no node holds', async () => {
    await b.api('POST', '/api/v1/stations', { id: 'ROUTE-OFF' });
    expect((await b.api('POST', '/api/v1/stations/NOBODY/commands/Reset', { type: 'Soft' })).status).toBe(404);
    expect((await b.api('POST', '/api/v1/stations/ROUTE-OFF/commands/Reset', { type: 'Soft' })).status).toBe(409);
  });

  it('sends one CALL at a time to a station, whichever nodes the commands come from', async () => {
    let outstanding = 0;
    let most = 0;
    await station(a, 'ROUTE-Q', async () => {
      most = Math.max(most, ++outstanding);
      await new Promise((resolve) => setTimeout(resolve, 50));
      outstanding--;
      return { status: 'Accepted' };
    });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).api('POST', '/api/v1/stations/ROUTE-Q/commands/Reset', { type: 'Soft' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(most).toBe(1);
  });

  it('shows a station held by the other node as online', async () => {
    await station(a, 'ROUTE-ON');
    const seen = await eventually(
      () => b.api('GET', '/api/v1/stations/ROUTE-ON'),
      (answer) => answer.body.online === true,
    );
    expect(seen.body.online).toBe(true);
  });
});

describe('live events', () => {
  it("reach node B's live feed but not B's side-effect listeners", async () => {
    const feed = await openFeed(`${b.url}/api/v1/events/stream`, { authorization: `Bearer ${TEST_API_KEY}` });
    const sideEffects: unknown[] = [];
    const offLocal = b.server.services.events.on('connector.status', (event) => void sideEffects.push(event));
    const remote: Array<{ at: unknown }> = [];
    const offRemote = b.server.services.events.on('connector.status', (event) => void remote.push(event), { remote: true });
    try {
      const client = await station(a, 'LIVE-1');
      await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
      const status = await feed.next((event) => event.event === 'connector.status' && event.data.stationId === 'LIVE-1');
      expect(status.data).toMatchObject({ connectorId: 1, status: 'Charging' });
      await feed.next((event) => event.event === 'station.connected' && event.data.stationId === 'LIVE-1');
      expect(remote).toHaveLength(1);
      expect(remote[0]!.at).toBeInstanceOf(Date); // the same types as a local event
      expect(sideEffects).toEqual([]);
    } finally {
      offLocal();
      offRemote();
      feed.close();
    }
  });

  it("updates the live session on the station's node when another node's API changes it", async () => {
    await b.api('POST', '/api/v1/stations', { id: 'LIVE-2' });
    await b.api('POST', '/api/v1/stations/LIVE-2/reject');
    const client = await OcppTestClient.connect(a.ocppUrl('LIVE-2'));
    clients.push(client);
    expect(await boot(client)).toMatchObject({ status: 'Rejected' });
    await b.api('POST', '/api/v1/stations/LIVE-2/accept');
    const session = await eventually(
      async () => a.server.registry.get('LIVE-2')?.session.registration,
      (registration) => registration === 'accepted',
    );
    expect(session).toBe('accepted');
  });
});

describe('a station that moves', () => {
  it('closes the old socket on node A when the station reconnects to node B', async () => {
    const onA = await station(a, 'MOVE-1');
    const disconnectedOnA: string[] = [];
    const off = a.server.services.events.on('station.disconnected', ({ stationId }) => void disconnectedOnA.push(stationId));
    try {
      const onB = await station(b, 'MOVE-1', (action) => (action === 'Reset' ? { status: 'Accepted' } : {}));
      const closed = await onA.closed;
      expect(closed.code).toBe(4000);
      // The client may see the close before node A's side of the socket has finished closing.
      expect(await eventually(async () => a.server.registry.get('MOVE-1'), (entry) => entry === undefined)).toBeUndefined();
      // Node A routes to the new socket, and did not report the station as gone.
      expect((await a.api('POST', '/api/v1/stations/MOVE-1/commands/Reset', { type: 'Hard' })).status).toBe(200);
      expect(onB.calls.at(-1)).toEqual({ action: 'Reset', payload: { type: 'Hard' } });
      expect(disconnectedOnA).toEqual([]);
      expect((await a.api('GET', '/api/v1/stations/MOVE-1')).body.online).toBe(true);
    } finally {
      off();
    }
  });
});

describe('coordination', () => {
  it('gives a key to one node at a time, and hands it over when that node leaves', async () => {
    const extra = await startTestServer(fixture.env('C'), { databaseUrl: fixture.databaseUrl });
    try {
      expect(await extra.server.services.coordination.leaderFor('site:7')).toBe(true);
      expect(await b.server.services.coordination.leaderFor('site:7')).toBe(false);
      expect(await extra.server.services.coordination.leaderFor('site:7')).toBe(true);
      expect(await b.server.services.coordination.leaderFor('site:8')).toBe(true);
    } finally {
      await extra.close();
    }
    // B's answer for site:7 is remembered for a third of the lease at most.
    const taken = await eventually(
      () => b.server.services.coordination.leaderFor('site:7'),
      (leader) => leader,
      NODE_TTL_SEC * 1000,
    );
    expect(taken).toBe(true);
  });

  it('runs a job once per period across both nodes', async () => {
    const runs: Array<{ node: string; at: number }> = [];
    const everyMs = 300;
    const log = createLogger('silent');
    const job = (node: string): Job => ({ name: 'cluster-test-job', everyMs, run: async () => void runs.push({ node, at: Date.now() }) });
    const claims = [a, b].map((node) => node.server.services.coordination.claimJob);
    expect(claims.every((claim) => claim !== undefined)).toBe(true);
    const started = Date.now();
    const schedulers = [startJobs([job('A')], log, claims[0]), startJobs([job('B')], log, claims[1])];
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
    const elapsed = Date.now() - started;
    // Each node ticked about 10 times; together they ran about 10 times, never twice in one period.
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / (everyMs * 0.8)));
    const times = runs.map((run) => run.at).sort((x, y) => x - y);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(everyMs * 0.8 - 20);
  });
});

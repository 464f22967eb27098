// Remote starts through the API are authorized like a card at the station before anything is
// sent; a refused tag gets 422 unless the operator forces it, and a forced start's Authorize
// and StartTransaction from that station are Accepted once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { FakeStation, eventually } from './fake-station.js';

let server: TestServer;
let station: FakeStation;
let neighbour: FakeStation;

beforeAll(async () => {
  server = await startTestServer();
  for (const tag of [{ idTag: 'RS-OK' }, { idTag: 'RS-BLOCKED', status: 'Blocked' }, { idTag: 'RS-ONE-AT-A-TIME', maxConcurrentTx: 1 }]) {
    expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
  }
  station = await FakeStation.connect(server, 'RS-1', { keys: { AuthorizeRemoteTxRequests: 'true' } });
  neighbour = await FakeStation.connect(server, 'RS-2');
});
afterAll(async () => {
  await station.close();
  await neighbour.close();
  await server.close();
});

const remoteStart = (stationId: string, body: unknown, query = '') => server.api('POST', `/api/v1/stations/${stationId}/commands/RemoteStartTransaction${query}`, body);
const remoteStartsSent = () => station.sent('RemoteStartTransaction');
const startNow = (client: FakeStation, idTag: string, connectorId: number) =>
  client.client.call('StartTransaction', { connectorId, idTag, meterStart: 0, timestamp: new Date().toISOString() });

describe('RemoteStartTransaction through the API', () => {
  it('sends it for a tag that may charge (in any letter case)', async () => {
    const answer = await remoteStart('RS-1', { idTag: 'rs-ok', connectorId: 1 });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ response: { status: 'Accepted' } });
    expect(remoteStartsSent()).toEqual([{ idTag: 'rs-ok', connectorId: 1 }]);
  });

  it.each([
    ['RS-BLOCKED', 'Blocked', 'is blocked'],
    ['RS-NOBODY', 'Invalid', 'is not known'],
  ])('refuses %s with 422 (%s) and sends nothing', async (idTag, status, why) => {
    const before = remoteStartsSent().length;
    const answer = await remoteStart('RS-1', { idTag, connectorId: 1 });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.detail).toContain(why);
    expect(answer.body.detail).toContain('force=true');
    expect(answer.body.idTagInfo.status).toBe(status);
    expect(remoteStartsSent()).toHaveLength(before);
    const commands = (await server.api('GET', '/api/v1/stations/RS-1/commands?action=RemoteStartTransaction')).body;
    expect(commands.map((row: any) => row.request.idTag)).not.toContain(idTag);
  });

  it('refuses a tag at its concurrent-transaction limit', async () => {
    const running = await startNow(neighbour, 'RS-ONE-AT-A-TIME', 1);
    expect(running.idTagInfo.status).toBe('Accepted');
    const answer = await remoteStart('RS-1', { idTag: 'RS-ONE-AT-A-TIME' });
    expect(answer.status).toBe(422);
    expect(answer.body.idTagInfo.status).toBe('ConcurrentTx');
    await neighbour.client.call('StopTransaction', { transactionId: running.transactionId, meterStop: 10, timestamp: new Date().toISOString() });
    expect((await remoteStart('RS-1', { idTag: 'RS-ONE-AT-A-TIME' })).status).toBe(200);
  });

  it('leaves an invalid payload to the schema check (400)', async () => {
    const answer = await remoteStart('RS-1', { connectorId: 1 });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toContain('idTag');
  });

  it('sends a forced start; that station’s Authorize and StartTransaction for the tag are Accepted once', async () => {
    const clearsBefore = station.sent('ClearCache').length;
    const answer = await remoteStart('RS-1', { idTag: 'RS-BLOCKED', connectorId: 2 }, '?force=true');
    expect(answer.status).toBe(200);
    expect(remoteStartsSent().at(-1)).toEqual({ idTag: 'RS-BLOCKED', connectorId: 2 });

    // Another station is not covered by the override.
    expect((await neighbour.client.call('Authorize', { idTag: 'RS-BLOCKED' })).idTagInfo.status).toBe('Blocked');

    // AuthorizeRemoteTxRequests is true at RS-1: it authorizes first, then starts.
    expect((await station.client.call('Authorize', { idTag: 'rs-blocked' })).idTagInfo.status).toBe('Accepted');
    const started = await startNow(station, 'rs-blocked', 2);
    expect(started.idTagInfo.status).toBe('Accepted');
    const session = (await server.api('GET', `/api/v1/sessions/${started.transactionId}`)).body;
    expect(session).toMatchObject({ idTagStatus: 'Accepted', flags: ['remote_start_forced'] });

    // The station cached Accepted for a blocked card: its cache is cleared (pending until the
    // next synchronisation sweep, which may already have sent the ClearCache).
    await eventually(
      async () => (await server.api('GET', '/api/v1/stations/RS-1/local-list')).body.cacheClearPending || station.sent('ClearCache').length > clearsBefore,
      'a pending or sent cache clear',
    );

    // Used up: the next start with the tag is Blocked again.
    const again = await startNow(station, 'RS-BLOCKED', 3);
    expect(again.idTagInfo.status).toBe('Blocked');
    expect((await station.client.call('Authorize', { idTag: 'RS-BLOCKED' })).idTagInfo.status).toBe('Blocked');
  });
});

describe('a forced remote start that is not used', () => {
  it('expires after 15 minutes on the server’s clock', async () => {
    const clock = manualClock(new Date());
    const own = await startTestServer({}, { clock });
    try {
      expect((await own.api('POST', '/api/v1/id-tags', { idTag: 'LATE-DRIVER', status: 'Blocked' })).status).toBe(201);
      const fake = await FakeStation.connect(own, 'RS-EXPIRY');
      expect((await own.api('POST', '/api/v1/stations/RS-EXPIRY/commands/RemoteStartTransaction?force=true', { idTag: 'LATE-DRIVER' })).status).toBe(200);
      expect((await fake.client.call('Authorize', { idTag: 'LATE-DRIVER' })).idTagInfo.status).toBe('Accepted');
      clock.advance(16 * 60_000);
      expect((await fake.client.call('Authorize', { idTag: 'LATE-DRIVER' })).idTagInfo.status).toBe('Blocked');
      const started = await fake.client.call('StartTransaction', { connectorId: 1, idTag: 'LATE-DRIVER', meterStart: 0, timestamp: clock.now().toISOString() });
      expect(started.idTagInfo.status).toBe('Blocked');
      await fake.close();
    } finally {
      await own.close();
    }
  });
});

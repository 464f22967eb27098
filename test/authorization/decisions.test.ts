// Who may charge, over real sockets: every idTagInfo status for Authorize, StartTransaction and
// StopTransaction, case-insensitive matching, expiry on the server's clock, blocked groups,
// concurrent-transaction limits, stops by another card of the same group, and the policy for
// unknown tags.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const clients: OcppTestClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
});

async function station(server: TestServer, id: string): Promise<OcppTestClient> {
  const client = await OcppTestClient.connect(server.ocppUrl(id));
  clients.push(client);
  expect((await boot(client)).status).toBe('Accepted');
  return client;
}

async function createTags(server: TestServer, tags: Record<string, unknown>[]): Promise<void> {
  for (const tag of tags) expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const authorize = async (client: OcppTestClient, idTag: string) => (await client.call('Authorize', { idTag })).idTagInfo;
const start = (client: OcppTestClient, idTag: string, connectorId = 1, meterStart = 0) =>
  client.call('StartTransaction', { connectorId, idTag, meterStart, timestamp: minutesAgo(1) });
const stop = (client: OcppTestClient, transactionId: number, idTag?: string, meterStop = 1000) =>
  client.call('StopTransaction', { transactionId, meterStop, timestamp: new Date().toISOString(), ...(idTag ? { idTag } : {}) });

describe('decisions (unknown tags refused)', () => {
  let server: TestServer;
  let client: OcppTestClient;
  const session = async (id: number) => (await server.api('GET', `/api/v1/sessions/${id}`)).body;

  beforeAll(async () => {
    server = await startTestServer();
    await createTags(server, [
      { idTag: 'D-OK' },
      { idTag: 'D-BLOCKED', status: 'Blocked' },
      { idTag: 'D-EXPIRED', status: 'Expired' },
      { idTag: 'D-LAPSED', expiryDate: minutesAgo(60) },
      { idTag: 'D-INVALID', status: 'Invalid' },
      { idTag: 'D-CONCURRENT', status: 'ConcurrentTx' },
      { idTag: 'Mixed-Case' },
      { idTag: 'FLEET', status: 'Blocked' },
      { idTag: 'FLEET-CAR', parentIdTag: 'fleet' },
      { idTag: 'LIMITED', maxConcurrentTx: 1 },
      { idTag: 'PAIR', maxConcurrentTx: 2 },
      { idTag: 'FAMILY' },
      { idTag: 'MUM', parentIdTag: 'FAMILY' },
      { idTag: 'DAD', parentIdTag: 'family' },
      { idTag: 'STRANGER' },
    ]);
    client = await station(server, 'DECIDE-1');
  });
  afterAll(() => server.close());

  it.each([
    ['D-OK', 'Accepted'],
    ['D-BLOCKED', 'Blocked'],
    ['D-EXPIRED', 'Expired'],
    ['D-LAPSED', 'Expired'],
    ['D-INVALID', 'Invalid'],
    ['D-CONCURRENT', 'ConcurrentTx'],
    ['NOBODY', 'Invalid'],
  ])('%s: Authorize, StartTransaction and StopTransaction all answer %s; the start is recorded', async (idTag, status) => {
    const connectorId = 10 + ['D-OK', 'D-BLOCKED', 'D-EXPIRED', 'D-LAPSED', 'D-INVALID', 'D-CONCURRENT', 'NOBODY'].indexOf(idTag);
    expect((await authorize(client, idTag)).status).toBe(status);
    const started = await start(client, idTag, connectorId);
    expect(started.idTagInfo.status).toBe(status);
    const body = await session(started.transactionId);
    expect(body).toMatchObject({ idTag, idTagStatus: status, active: true });
    expect(body.flags).toEqual(status === 'Accepted' ? [] : ['id_tag_not_accepted']);
    expect((await stop(client, started.transactionId, idTag)).idTagInfo.status).toBe(status);
    expect(await session(started.transactionId)).toMatchObject({ active: false, stopIdTag: idTag, energyWh: 1000 });
  });

  it('matches tags case-insensitively and keeps them as the station sent them', async () => {
    expect(await authorize(client, 'MIXED-case')).toEqual({ status: 'Accepted' });
    const started = await start(client, 'mixed-CASE', 20);
    expect(started.idTagInfo.status).toBe('Accepted');
    expect(await stop(client, started.transactionId, 'MIXED-CASE')).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(await session(started.transactionId)).toMatchObject({ idTag: 'mixed-CASE', stopIdTag: 'MIXED-CASE', flags: [] });
    expect((await server.api('GET', '/api/v1/id-tags/MIXED-CASE')).body.idTag).toBe('Mixed-Case');
  });

  it('blocks the cards of a blocked group and lets them charge again when it is unblocked', async () => {
    expect(await authorize(client, 'fleet-car')).toEqual({ status: 'Blocked', parentIdTag: 'fleet' });
    expect((await server.api('PATCH', '/api/v1/id-tags/FLEET', { status: 'Accepted' })).status).toBe(200);
    expect(await authorize(client, 'FLEET-CAR')).toEqual({ status: 'Accepted', parentIdTag: 'fleet' });
  });

  it('answers ConcurrentTx once a tag has as many open transactions as it may, and counts every station', async () => {
    const other = await station(server, 'DECIDE-2');
    expect((await authorize(client, 'LIMITED')).status).toBe('Accepted');
    const first = await start(client, 'LIMITED', 30);
    expect(first.idTagInfo.status).toBe('Accepted');
    expect((await authorize(other, 'limited')).status).toBe('ConcurrentTx');

    // A start queued at another station is still recorded, answered ConcurrentTx and flagged.
    const second = await start(other, 'limited', 1);
    expect(second.idTagInfo.status).toBe('ConcurrentTx');
    expect(await session(second.transactionId)).toMatchObject({ idTagStatus: 'ConcurrentTx', flags: ['id_tag_not_accepted'], active: true });
    // Ending a session is never refused for concurrency.
    expect(await stop(other, second.transactionId, 'LIMITED')).toEqual({ idTagInfo: { status: 'Accepted' } });

    // A new start on the connector of a session that never stopped replaces it: it does not count.
    const replacing = await start(client, 'LIMITED', 30, 500);
    expect(replacing.idTagInfo.status).toBe('Accepted');
    expect((await session(first.transactionId)).flags).toEqual(['closed_by_new_start']);

    expect(await stop(client, replacing.transactionId, 'LIMITED')).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect((await authorize(other, 'LIMITED')).status).toBe('Accepted');

    const a = await start(client, 'PAIR', 31);
    const b = await start(other, 'PAIR', 2);
    expect([a.idTagInfo.status, b.idTagInfo.status]).toEqual(['Accepted', 'Accepted']);
    expect((await authorize(client, 'PAIR')).status).toBe('ConcurrentTx');
  });

  it('accepts a stop by another card of the same group, and flags a stop by an unrelated card', async () => {
    const mum = await start(client, 'MUM', 40);
    expect(mum.idTagInfo).toEqual({ status: 'Accepted', parentIdTag: 'FAMILY' });
    expect(await stop(client, mum.transactionId, 'dad')).toEqual({ idTagInfo: { status: 'Accepted', parentIdTag: 'family' } });
    expect(await session(mum.transactionId)).toMatchObject({ active: false, stopIdTag: 'dad', flags: [] });

    // The group's own tag may end its cards' sessions, and a card may end the group tag's own.
    const again = await start(client, 'MUM', 41);
    expect(await stop(client, again.transactionId, 'FAMILY')).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect((await session(again.transactionId)).flags).toEqual([]);
    const family = await start(client, 'FAMILY', 42);
    await stop(client, family.transactionId, 'MUM');
    expect((await session(family.transactionId)).flags).toEqual([]);

    const third = await start(client, 'MUM', 43);
    expect(await stop(client, third.transactionId, 'STRANGER')).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(await session(third.transactionId)).toMatchObject({ active: false, stopIdTag: 'STRANGER', flags: ['stopped_by_other_id_tag'] });

    // A blocked card of the group: the stop is recorded; the answer tells the station it is blocked.
    expect((await server.api('PATCH', '/api/v1/id-tags/DAD', { status: 'Blocked' })).status).toBe(200);
    const fourth = await start(client, 'MUM', 44);
    expect(await stop(client, fourth.transactionId, 'DAD')).toEqual({ idTagInfo: { status: 'Blocked', parentIdTag: 'family' } });
    expect(await session(fourth.transactionId)).toMatchObject({ active: false, flags: [] });
  });

  it('does not record unknown tags under the default policy', async () => {
    expect((await authorize(client, 'NEVER-SEEN')).status).toBe('Invalid');
    expect((await server.api('GET', '/api/v1/id-tags/NEVER-SEEN')).status).toBe(404);
  });
});

describe('expiry on the server’s clock', () => {
  it('turns an Accepted tag Expired once its expiryDate passes, whatever the station’s clock says', async () => {
    const clock = manualClock(new Date());
    const server = await startTestServer({}, { clock });
    try {
      const expiry = new Date(clock.now().getTime() + 3_600_000).toISOString();
      await createTags(server, [{ idTag: 'E-CARD', expiryDate: expiry }]);
      const client = await station(server, 'EXPIRY-1');
      expect(await authorize(client, 'E-CARD')).toEqual({ status: 'Accepted', expiryDate: new Date(expiry).toISOString() });
      clock.advance(2 * 3_600_000);
      expect(await authorize(client, 'e-card')).toEqual({ status: 'Expired', expiryDate: new Date(expiry).toISOString() });
      await client.close();
    } finally {
      await server.close();
    }
  });
});

describe('unknown tags under OCPP_UNKNOWN_ID_TAGS=accept (an open car park)', () => {
  let server: TestServer;
  let client: OcppTestClient;
  beforeAll(async () => {
    server = await startTestServer({ OCPP_UNKNOWN_ID_TAGS: 'accept' });
    await createTags(server, [{ idTag: 'KNOWN-BLOCKED', status: 'Blocked' }]);
    client = await station(server, 'OPEN-PARK');
  });
  afterAll(() => server.close());

  it('accepts an unknown tag and records it so the operator sees who charged', async () => {
    expect(await authorize(client, 'Walk-In-1')).toEqual({ status: 'Accepted' });
    const started = await start(client, 'WALK-IN-2', 1);
    expect(started.idTagInfo.status).toBe('Accepted');
    expect((await server.api('GET', `/api/v1/sessions/${started.transactionId}`)).body).toMatchObject({ idTagStatus: 'Accepted', flags: [] });

    const recorded = (await server.api('GET', '/api/v1/id-tags?origin=unknown_accepted')).body;
    expect(recorded.map((tag: { idTag: string }) => tag.idTag)).toEqual(['WALK-IN-2', 'Walk-In-1']);
    expect(recorded[0]).toMatchObject({ status: 'Accepted', origin: 'unknown_accepted', ownerName: null });
    // Seen again: still one record.
    expect((await authorize(client, 'walk-in-1')).status).toBe('Accepted');
    expect((await server.api('GET', '/api/v1/id-tags?origin=unknown_accepted')).body).toHaveLength(2);
  });

  it('still refuses known tags that may not charge, and a recorded tag the operator blocks', async () => {
    expect((await authorize(client, 'KNOWN-BLOCKED')).status).toBe('Blocked');
    expect((await server.api('PATCH', '/api/v1/id-tags/WALK-IN-1', { status: 'Blocked' })).status).toBe(200);
    expect((await authorize(client, 'Walk-In-1')).status).toBe('Blocked');
  });
});

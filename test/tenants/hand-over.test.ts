// Handing a station over to another organisation, over real sockets: a charger that connects
// unannounced is pending in the platform's tenant, invisible to the organisation that installed
// it; the platform's admins give it to that organisation, which then sees it, accepts it and
// charges with its own cards, while the platform sees it no more. Its live events go to the new
// organisation only, its local list and cache are replaced, and a station with sessions, at a
// site or with a tariff of its own is refused with the reason.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeStation, eventually } from '../authorization/fake-station.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { openFeed } from '../support/sse-client.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { TEST_API_KEY, startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let northwind: TestTenant;
const closers: (() => unknown)[] = [];

const ENERGY = { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 0, step_size: 1 }] }] };
const handOver = (caller: { api: TestServer['api'] }, stationId: string, tenantId: number) => caller.api('POST', `/api/v1/stations/${stationId}/hand-over`, { tenantId });

beforeAll(async () => {
  server = await startTestServer({ OCPP_UNKNOWN_STATIONS: 'pending' });
  northwind = await createTestTenant(server, 'Northwind Charging');
  expect((await northwind.api('POST', '/api/v1/id-tags', { idTag: 'NW-CARD' })).status).toBe(201);
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'PLATFORM-CARD' })).status).toBe(201);
});
afterAll(async () => {
  for (const close of closers) await close();
  await server.close();
});

describe('a station handed over by the platform', () => {
  it('goes from the platform’s pending list to the organisation, which accepts it and charges with its own cards', async () => {
    const charger = await OcppTestClient.connect(server.ocppUrl('NW-CP-1'), {
      onCall: (action) => (action === 'TriggerMessage' ? { status: 'Accepted' } : action === 'GetConfiguration' ? { configurationKey: [] } : {}),
    });
    closers.push(() => charger.close());
    expect((await boot(charger)).status).toBe('Pending');

    // Pending at the platform; nothing of it at Northwind, which cannot take it by registering it either.
    expect((await server.api('GET', '/api/v1/stations/NW-CP-1')).body).toMatchObject({ registration: 'pending', online: true });
    expect((await northwind.api('GET', '/api/v1/stations/NW-CP-1')).status).toBe(404);
    expect((await northwind.api('POST', '/api/v1/stations', { id: 'NW-CP-1' })).status).toBe(409);
    // Nor can it hand the station to itself: not its station.
    expect((await handOver(northwind, 'NW-CP-1', northwind.id)).status).toBe(404);

    const northwindFeed = await openFeed(`${server.url}/api/v1/events/stream`, { authorization: `Bearer ${northwind.key}` });
    const platformFeed = await openFeed(`${server.url}/api/v1/events/stream`, { authorization: `Bearer ${TEST_API_KEY}` });
    closers.push(northwindFeed.close, platformFeed.close);
    // The platform's feed knows the station's tenant (cached) before the hand-over.
    await charger.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    await platformFeed.next((event) => event.event === 'connector.status' && event.data.stationId === 'NW-CP-1');

    const moved = await handOver(server, 'NW-CP-1', northwind.id);
    expect(moved).toMatchObject({ status: 200, body: { stationId: 'NW-CP-1', tenantId: northwind.id, tenantName: 'Northwind Charging' } });

    expect((await server.api('GET', '/api/v1/stations/NW-CP-1')).status).toBe(404);
    expect(((await server.api('GET', '/api/v1/stations')).body as { id: string }[]).map((station) => station.id)).not.toContain('NW-CP-1');
    expect((await northwind.api('GET', '/api/v1/stations/NW-CP-1')).body).toMatchObject({ registration: 'pending', online: true, siteId: null });
    // Northwind's audit log says who gave it the station (the platform's own log has the request).
    expect(((await northwind.api('GET', '/api/v1/audit-log')).body as unknown[])[0]).toMatchObject({
      actor: 'Platform (platform operator)',
      action: 'POST /api/v1/stations/:id/hand-over',
      target: 'NW-CP-1',
      outcome: 200,
    });
    // What it reported about itself came along.
    await eventually(async () => ((await northwind.api('GET', '/api/v1/stations/NW-CP-1/messages')).body as { action: string | null }[]).some((message) => message.action === 'BootNotification'), 'its boot in the message log');

    // Its events now reach Northwind's feed only.
    await charger.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    await northwindFeed.next((event) => event.event === 'connector.status' && event.data.status === 'Preparing');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(platformFeed.received.some((event) => event.event === 'connector.status' && event.data.status === 'Preparing')).toBe(false);

    // Northwind accepts it; it boots again and authorizes Northwind's cards, not the platform's.
    expect((await northwind.api('POST', '/api/v1/stations/NW-CP-1/accept')).status).toBe(200);
    expect((await boot(charger)).status).toBe('Accepted');
    expect((await charger.call('Authorize', { idTag: 'NW-CARD' })).idTagInfo.status).toBe('Accepted');
    expect((await charger.call('Authorize', { idTag: 'PLATFORM-CARD' })).idTagInfo.status).toBe('Invalid');

    // A session there is Northwind's, priced by Northwind's default tariff.
    const tariff = (await northwind.api('POST', '/api/v1/tariffs', ENERGY)).body.id;
    expect((await northwind.api('PUT', '/api/v1/tariff-assignments/default', { tariffId: tariff })).status).toBe(200);
    const started = await charger.call('StartTransaction', { connectorId: 1, idTag: 'NW-CARD', meterStart: 0, timestamp: new Date().toISOString() });
    await charger.call('StopTransaction', { transactionId: started.transactionId, meterStop: 10_000, timestamp: new Date().toISOString() });
    const cost = await eventually(async () => (await northwind.api('GET', `/api/v1/sessions/${started.transactionId}`)).body.cost, 'the session rated');
    expect(cost).toMatchObject({ currency: 'EUR', total: 3 });
    expect((await server.api('GET', `/api/v1/sessions/${started.transactionId}`)).status).toBe(404);
  });

  it('gets the new organisation’s local list and clears its cache', async () => {
    expect((await server.api('POST', '/api/v1/stations', { id: 'LIST-CP' })).status).toBe(201);
    const station = await FakeStation.connect(server, 'LIST-CP');
    closers.push(() => station.close());
    await eventually(() => station.entries().some(([tag]) => tag === 'platform-card'), "the platform's list on the station");

    expect((await handOver(server, 'LIST-CP', northwind.id)).status).toBe(200);
    await eventually(() => station.cacheCleared > 0 && station.entries().some(([tag]) => tag === 'nw-card'), "Northwind's list on the station, its cache cleared");
    expect(station.entries().map(([tag]) => tag)).toEqual(['nw-card']);
    expect((await northwind.api('GET', '/api/v1/stations/LIST-CP/local-list')).body).toMatchObject({ syncStatus: 'in_sync' });
  });
});

describe('a hand-over is refused', () => {
  it('to anyone but the platform’s admins, to a missing or the same organisation, and for a station with sessions, a site or a tariff', async () => {
    expect((await server.api('POST', '/api/v1/stations', { id: 'PLAT-CP' })).status).toBe(201);
    const operatorKey = (await server.api('POST', '/api/v1/api-keys', { name: 'platform operator', role: 'operator' })).body.secret as string;
    const asOperator = await fetch(`${server.url}/api/v1/stations/PLAT-CP/hand-over`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: northwind.id }),
    });
    expect(asOperator.status).toBe(403);
    expect((await handOver(server, 'PLAT-CP', 999)).status).toBe(400);
    expect((await handOver(server, 'PLAT-CP', 1)).status).toBe(400);
    expect((await handOver(server, 'NO-SUCH-CP', northwind.id)).status).toBe(404);

    // At a site (and on one of its circuits): refused with the way out; out of the site, it is off the circuit too.
    expect((await server.api('POST', '/api/v1/sites', { id: 'plat-site', name: 'Platform depot', timeZone: 'UTC', gridLimitAmps: 32 })).status).toBe(201);
    expect((await server.api('PATCH', '/api/v1/stations/PLAT-CP', { siteId: 'plat-site' })).status).toBe(200);
    expect((await server.api('POST', '/api/v1/sites/plat-site/circuits', { id: 'plat-feeder', name: 'Feeder', limitAmps: 16, stationIds: ['PLAT-CP'] })).status).toBe(201);
    const atSite = await handOver(server, 'PLAT-CP', northwind.id);
    expect(atSite.status).toBe(409);
    expect(atSite.body.detail).toContain('is at site "plat-site"');
    expect((await server.api('PATCH', '/api/v1/stations/PLAT-CP', { siteId: null })).status).toBe(200);
    expect((await server.api('GET', '/api/v1/sites/plat-site/circuits')).body).toMatchObject([{ id: 'plat-feeder', stationIds: [] }]);

    // A tariff of its own: refused.
    const tariff = (await server.api('POST', '/api/v1/tariffs', ENERGY)).body.id;
    expect((await server.api('PATCH', '/api/v1/stations/PLAT-CP', { tariffId: tariff })).status).toBe(200);
    expect((await handOver(server, 'PLAT-CP', northwind.id)).body.detail).toContain('has its own tariff');
    expect((await server.api('PATCH', '/api/v1/stations/PLAT-CP', { tariffId: null })).status).toBe(200);

    // A session: its history stays with the platform, and so does the station.
    const charger = await OcppTestClient.connect(server.ocppUrl('PLAT-CP'));
    closers.push(() => charger.close());
    expect((await boot(charger)).status).toBe('Accepted');
    const started = await charger.call('StartTransaction', { connectorId: 1, idTag: 'PLATFORM-CARD', meterStart: 0, timestamp: new Date().toISOString() });
    await charger.call('StopTransaction', { transactionId: started.transactionId, meterStop: 1_000, timestamp: new Date().toISOString() });
    const withSessions = await handOver(server, 'PLAT-CP', northwind.id);
    expect(withSessions.status).toBe(409);
    expect(withSessions.body.detail).toContain('has sessions or reservations');
    expect((await server.api('GET', '/api/v1/stations/PLAT-CP')).status).toBe(200);
    expect((await northwind.api('GET', '/api/v1/stations/PLAT-CP')).status).toBe(404);
  });
});

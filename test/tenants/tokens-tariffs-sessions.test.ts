// Tenants in the token, tariff and session areas: two tenants (and the platform), each with id
// tags, tariffs, stations and sessions over real OCPP sockets. Every list, CSV and report shows
// only the caller's own; references to the other tenant's tags and tariffs are refused as if
// they did not exist; and on the charger's path a station only knows its own tenant's tags (its
// local list too) and its sessions are priced only with its own tenant's tariffs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeStation, eventually } from '../authorization/fake-station.js';
import { runSession } from '../billing/session-driver.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let alpha: TestTenant;
let beta: TestTenant;
const stations: FakeStation[] = [];
/** Alpha's tariff (its default and its COMMON group's), Beta's (assigned nowhere) and the platform's default. */
const tariffs = { alpha: '', alphaGroup: '', beta: '', platform: '' };

const ENERGY = (price: number) => ({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price, vat: 0, step_size: 1 }] }] });

async function created(answer: Promise<{ status: number; body: any }>): Promise<any> {
  const { status, body } = await answer;
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}

/** Sends CSV text as the tenant (its api() sends JSON). */
async function postCsv(tenant: TestTenant, path: string, text: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'text/csv' },
    body: text,
  });
  return { status: response.status, body: await response.json() };
}

async function station(tenant: TestTenant, id: string): Promise<FakeStation> {
  await created(tenant.api('POST', '/api/v1/stations', { id }));
  const connected = await FakeStation.connect(server, id);
  stations.push(connected);
  return connected;
}

const localListOf = async (tenant: TestTenant, id: string) => (await tenant.api('GET', `/api/v1/stations/${id}/local-list`)).body;
const inSyncAt = (tenant: TestTenant, id: string, version: number) =>
  eventually(async () => {
    const list = await localListOf(tenant, id);
    return list.syncStatus === 'in_sync' && list.version === version && list;
  }, `${id} in sync at version ${version}`);

/** A tenant, or the platform (server.api). */
type Caller = { api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> };

const idTagsOf = async (tenant: Caller, query = '') => ((await tenant.api('GET', `/api/v1/id-tags${query}`)).body as { idTag: string }[]).map((tag) => tag.idTag);

beforeAll(async () => {
  server = await startTestServer();
  alpha = await createTestTenant(server, 'Alpha Charging');
  beta = await createTestTenant(server, 'Beta Charging');
  for (const tag of [{ idTag: 'A-CARD' }, { idTag: 'A-FLEET-1', parentIdTag: 'COMMON' }]) await created(alpha.api('POST', '/api/v1/id-tags', tag));
  for (const tag of [{ idTag: 'B-CARD', ownerName: 'Beta Person' }, { idTag: 'B-FLEET-1', parentIdTag: 'COMMON' }]) await created(beta.api('POST', '/api/v1/id-tags', tag));
  tariffs.alpha = (await created(alpha.api('POST', '/api/v1/tariffs', ENERGY(0.5)))).id;
  tariffs.alphaGroup = (await created(alpha.api('POST', '/api/v1/tariffs', ENERGY(0.25)))).id;
  tariffs.beta = (await created(beta.api('POST', '/api/v1/tariffs', ENERGY(0.4)))).id;
  tariffs.platform = (await created(server.api('POST', '/api/v1/tariffs', ENERGY(0.9)))).id;
  expect((await server.api('PUT', '/api/v1/tariff-assignments/default', { tariffId: tariffs.platform })).status).toBe(200);
});
afterAll(async () => {
  await Promise.all(stations.map((connected) => connected.close()));
  await server.close();
});

describe('id tags per tenant', () => {
  it('are listed, filtered and exported only for their own tenant', async () => {
    expect(await idTagsOf(alpha)).toEqual(['A-CARD', 'A-FLEET-1']);
    expect(await idTagsOf(beta)).toEqual(['B-CARD', 'B-FLEET-1']);
    expect(await idTagsOf(alpha, '?parentIdTag=COMMON')).toEqual(['A-FLEET-1']);
    expect(await idTagsOf(beta, '?status=Accepted')).toEqual(['B-CARD', 'B-FLEET-1']);
    expect(await idTagsOf(server)).toEqual([]);

    const csv = (await alpha.api('GET', '/api/v1/id-tags.csv')).body as string;
    const exported = csv.trim().split(/\r?\n/).slice(1).map((line) => line.split(',')[0]);
    expect(exported).toEqual(['A-CARD', 'A-FLEET-1']);
  });

  it("may be the same card at two tenants, each its own registration that the other can neither read nor change", async () => {
    // Beta's B-CARD is invisible to Alpha, by the API and by import.
    expect((await alpha.api('GET', '/api/v1/id-tags/B-CARD')).status).toBe(404);
    expect((await alpha.api('PATCH', '/api/v1/id-tags/B-CARD', { status: 'Blocked' })).status).toBe(404);
    expect((await alpha.api('DELETE', '/api/v1/id-tags/B-CARD')).status).toBe(404);

    // The same physical card registered by both: two rows, each with its own fields.
    await created(beta.api('POST', '/api/v1/id-tags', { idTag: 'SHARED-CARD', ownerName: 'Beta driver', maxConcurrentTx: 1 }));
    const alphaCopy = await alpha.api('POST', '/api/v1/id-tags', { idTag: 'shared-card', ownerName: 'Alpha driver' });
    expect(alphaCopy.status, JSON.stringify(alphaCopy.body)).toBe(201);
    expect((await alpha.api('POST', '/api/v1/id-tags', { idTag: 'Shared-Card' })).status).toBe(409);
    expect((await alpha.api('PATCH', '/api/v1/id-tags/SHARED-CARD', { status: 'Blocked' })).body).toMatchObject({ status: 'Blocked', ownerName: 'Alpha driver' });
    expect((await beta.api('GET', '/api/v1/id-tags/shared-card')).body).toMatchObject({ idTag: 'SHARED-CARD', status: 'Accepted', ownerName: 'Beta driver', maxConcurrentTx: 1 });

    // An import updates the importer's own row of a card, creates what it lacks, and leaves the other's alone.
    const imported = await postCsv(alpha, '/api/v1/id-tags.csv', 'idTag,ownerName\nA-NEW,New card\na-card,Alpha Person\nSHARED-CARD,Alpha renamed\n');
    expect(imported).toEqual({ status: 200, body: { created: 1, updated: 2 } });
    expect(await idTagsOf(alpha)).toEqual(['A-CARD', 'A-FLEET-1', 'A-NEW', 'shared-card']);
    expect((await alpha.api('GET', '/api/v1/id-tags/A-CARD')).body).toMatchObject({ ownerName: 'Alpha Person' });
    const betaImport = await postCsv(beta, '/api/v1/id-tags.csv', 'idTag,status\nshared-card,Expired\n');
    expect(betaImport).toEqual({ status: 200, body: { created: 0, updated: 1 } });
    expect((await alpha.api('GET', '/api/v1/id-tags/shared-card')).body).toMatchObject({ status: 'Blocked', ownerName: 'Alpha renamed' });
    expect((await beta.api('GET', '/api/v1/id-tags/shared-card')).body).toMatchObject({ status: 'Expired', ownerName: 'Beta driver' });

    // Deleting one tenant's row leaves the other's.
    expect((await alpha.api('DELETE', '/api/v1/id-tags/SHARED-CARD')).status).toBe(204);
    expect((await beta.api('GET', '/api/v1/id-tags/SHARED-CARD')).status).toBe(200);
    expect((await beta.api('DELETE', '/api/v1/id-tags/SHARED-CARD')).status).toBe(204);
    expect(await idTagsOf(beta)).toEqual(['B-CARD', 'B-FLEET-1']);
  });
});

describe('tariffs per tenant', () => {
  it('are listed and assigned only within their tenant', async () => {
    expect(((await alpha.api('GET', '/api/v1/tariffs')).body as { id: string }[]).map((tariff) => tariff.id).sort()).toEqual([tariffs.alpha, tariffs.alphaGroup].sort());
    expect(((await beta.api('GET', '/api/v1/tariffs')).body as { id: string }[]).map((tariff) => tariff.id)).toEqual([tariffs.beta]);

    // Beta's tariff is no tariff for Alpha; Beta's tag is no group of Alpha's.
    expect((await alpha.api('PUT', '/api/v1/tariff-assignments/default', { tariffId: tariffs.beta })).status).toBe(400);
    expect((await alpha.api('PUT', '/api/v1/tariff-assignments/groups/COMMON', { tariffId: tariffs.beta })).status).toBe(400);
    expect((await alpha.api('PUT', '/api/v1/tariff-assignments/groups/B-CARD', { tariffId: tariffs.alpha })).status).toBe(404);
    expect((await alpha.api('PUT', '/api/v1/tariff-assignments/groups/B-FLEET-1', { tariffId: tariffs.alpha })).status).toBe(404);

    expect((await alpha.api('PUT', '/api/v1/tariff-assignments/default', { tariffId: tariffs.alpha })).status).toBe(200);
    // COMMON is the parentIdTag of Alpha's A-FLEET-1 (and of Beta's B-FLEET-1: the assignment is Alpha's alone).
    expect((await alpha.api('PUT', '/api/v1/tariff-assignments/groups/COMMON', { tariffId: tariffs.alphaGroup })).status).toBe(200);

    expect((await alpha.api('GET', '/api/v1/tariff-assignments')).body).toEqual({
      default: tariffs.alpha,
      groups: [{ groupIdTag: 'common', tariffId: tariffs.alphaGroup }],
      stations: [],
      sites: [],
    });
    expect((await beta.api('GET', '/api/v1/tariff-assignments')).body).toEqual({ default: null, groups: [], stations: [], sites: [] });
    expect(((await server.api('GET', '/api/v1/tariff-assignments')).body as { default: string | null }).default).toBe(tariffs.platform);
    // Beta's empty default is its own: removing it does not remove Alpha's or the platform's.
    expect((await beta.api('DELETE', '/api/v1/tariff-assignments/default')).status).toBe(404);
  });
});

describe("the charger's path", () => {
  let alphaStation: FakeStation;
  let betaStation: FakeStation;

  it("gives each station a local list of its own tenant's tags, and re-syncs only the changed tenant's stations", async () => {
    alphaStation = await station(alpha, 'ALPHA-1');
    betaStation = await station(beta, 'BETA-1');
    await inSyncAt(alpha, 'ALPHA-1', 1);
    await inSyncAt(beta, 'BETA-1', 1);
    expect(alphaStation.entries().map(([tag]) => tag)).toEqual(['a-card', 'a-fleet-1', 'a-new']);
    expect(betaStation.entries().map(([tag]) => tag)).toEqual(['b-card', 'b-fleet-1']);

    // Beta's change goes to Beta's station only; by the time it is there, Alpha's was not asked.
    await created(beta.api('POST', '/api/v1/id-tags', { idTag: 'B-NEW' }));
    await inSyncAt(beta, 'BETA-1', 2);
    expect(betaStation.entries().map(([tag]) => tag)).toEqual(['b-card', 'b-fleet-1', 'b-new']);
    expect(alphaStation.sent('SendLocalList')).toHaveLength(1);
    expect(alphaStation.sent('GetLocalListVersion')).toHaveLength(1);
    expect(alphaStation.entries().some(([tag]) => tag.startsWith('b-'))).toBe(false);
  });

  it("refuses another tenant's tag as unknown", async () => {
    expect((await alphaStation.client.call('Authorize', { idTag: 'B-CARD' })).idTagInfo).toEqual({ status: 'Invalid' });
    expect((await betaStation.client.call('Authorize', { idTag: 'A-CARD' })).idTagInfo).toEqual({ status: 'Invalid' });
    expect((await betaStation.client.call('Authorize', { idTag: 'B-CARD' })).idTagInfo).toEqual({ status: 'Accepted' });

    const started = await alphaStation.client.call('StartTransaction', { connectorId: 2, idTag: 'B-CARD', meterStart: 0, timestamp: '2026-03-02T10:00:00Z' });
    expect(started.idTagInfo.status).toBe('Invalid');
    await alphaStation.client.call('StopTransaction', { transactionId: started.transactionId, meterStop: 1000, timestamp: '2026-03-02T10:05:00Z' });
    // Recorded as Alpha's station's session, priced as a stranger's card: Alpha's default, not a group of Beta's.
    const timeline = (await alpha.api('GET', `/api/v1/sessions/${started.transactionId}/timeline`)).body;
    expect(timeline).toMatchObject({ tariffId: tariffs.alpha, tariffSource: 'default' });
  });

  it("prices a session only with its station's tenant's tariffs", async () => {
    const alphaGroupSession = await runSession(alphaStation.client, {
      idTag: 'A-FLEET-1',
      start: '2026-03-01T08:00:00Z',
      meterStartWh: 0,
      steps: [{ at: '2026-03-01T08:30:00Z', registerWh: 5_000 }],
      stop: '2026-03-01T09:00:00Z',
      meterStopWh: 10_000,
    });
    // Beta's card of the group COMMON: Alpha assigned COMMON, Alpha and the platform have defaults, Beta has nothing.
    const betaSession = await runSession(betaStation.client, {
      idTag: 'B-FLEET-1',
      start: '2026-03-01T08:00:00Z',
      meterStartWh: 0,
      steps: [{ at: '2026-03-01T08:30:00Z', registerWh: 5_000 }],
      stop: '2026-03-01T09:00:00Z',
      meterStopWh: 10_000,
    });

    const rated = await eventually(async () => (await alpha.api('GET', `/api/v1/sessions/${alphaGroupSession}`)).body.cost, 'the Alpha session rated');
    expect(rated).toMatchObject({ currency: 'EUR', total: 2.5, tariffId: tariffs.alphaGroup });

    expect((await beta.api('GET', `/api/v1/sessions/${betaSession}/timeline`)).body).toMatchObject({ tariffId: null, tariffSource: null, estimatedCost: null });
    // Rated (with nothing) once stopped: still no cost, by no other tenant's tariff.
    await eventually(async () => {
      const csv = (await beta.api('GET', '/api/v1/exports/sessions.csv')).body as string;
      return csv.includes(`\n${betaSession},`);
    }, 'the Beta session exported');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await beta.api('GET', `/api/v1/sessions/${betaSession}`)).body.cost).toBeUndefined();
    expect((await beta.api('POST', `/api/v1/sessions/${betaSession}/rate`)).body).toEqual({ cost: null });
    // Neither tenant reaches the other's session.
    expect((await alpha.api('GET', `/api/v1/sessions/${betaSession}`)).status).toBe(404);
    expect((await beta.api('GET', `/api/v1/sessions/${alphaGroupSession}/timeline`)).status).toBe(404);
  });

  it('keeps orphan stops with the station’s tenant', async () => {
    await betaStation.client.call('StopTransaction', { transactionId: 987_654, meterStop: 100, timestamp: '2026-03-01T12:00:00Z' });
    const betaOrphans = (await beta.api('GET', '/api/v1/orphan-stops')).body as { stationId: string; reportedTransactionId: number }[];
    expect(betaOrphans.map((stop) => [stop.stationId, stop.reportedTransactionId])).toEqual([['BETA-1', 987_654]]);
    expect((await alpha.api('GET', '/api/v1/orphan-stops')).body).toEqual([]);
    expect((await alpha.api('GET', '/api/v1/orphan-stops?stationId=BETA-1')).body).toEqual([]);
    expect((await server.api('GET', '/api/v1/orphan-stops')).body).toEqual([]);
  });
});

describe('sessions, exports and reports per tenant', () => {
  const stationsOf = (rows: { stationId: string }[]) => [...new Set(rows.map((row) => row.stationId))].sort();

  it('list only the sessions of the caller’s stations, whatever the filters', async () => {
    expect(stationsOf((await alpha.api('GET', '/api/v1/sessions')).body)).toEqual(['ALPHA-1']);
    expect(stationsOf((await beta.api('GET', '/api/v1/sessions')).body)).toEqual(['BETA-1']);
    expect((await server.api('GET', '/api/v1/sessions')).body).toEqual([]);
    expect((await alpha.api('GET', '/api/v1/sessions?stationId=BETA-1')).body).toEqual([]);
    expect((await alpha.api('GET', '/api/v1/sessions?idTag=B-FLEET-1')).body).toEqual([]);
    // B-CARD was refused at Alpha's station: that session is Alpha's, not Beta's.
    expect(((await alpha.api('GET', '/api/v1/sessions?idTag=B-CARD')).body as { stationId: string }[]).map((row) => row.stationId)).toEqual(['ALPHA-1']);
    expect((await beta.api('GET', '/api/v1/sessions?idTag=B-CARD')).body).toEqual([]);
  });

  it('export only the caller’s sessions as CSV', async () => {
    const rows = (csv: string) => csv.trim().split(/\r?\n/).slice(1).map((line) => line.split(',')[1]);
    expect([...new Set(rows((await alpha.api('GET', '/api/v1/exports/sessions.csv')).body))]).toEqual(['ALPHA-1']);
    expect([...new Set(rows((await beta.api('GET', '/api/v1/exports/sessions.csv')).body))]).toEqual(['BETA-1']);
    expect(rows((await server.api('GET', '/api/v1/exports/sessions.csv')).body)).toEqual([]);
  });

  it('report energy and revenue of the caller’s sessions only, naming groups from its own tags', async () => {
    const alphaByStation = (await alpha.api('GET', '/api/v1/reports/energy-revenue?groupBy=station')).body as { key: string; energyWh: number }[];
    expect(alphaByStation.map((row) => row.key)).toEqual(['ALPHA-1']);
    const betaByStation = (await beta.api('GET', '/api/v1/reports/energy-revenue?groupBy=station')).body as { key: string; energyWh: number; sessions: number }[];
    expect(betaByStation).toMatchObject([{ key: 'BETA-1', sessions: 1, energyWh: 10_000 }]);
    expect((await alpha.api('GET', '/api/v1/reports/energy-revenue?groupBy=station&stationId=BETA-1')).body).toEqual([]);

    const alphaByGroup = (await alpha.api('GET', '/api/v1/reports/energy-revenue?groupBy=group')).body as { key: string; label: string }[];
    expect(alphaByGroup.map((row) => [row.key, row.label])).toEqual([
      ['b-card', 'B-CARD'], // Beta's card at Alpha's station: its id, not Beta's owner name
      ['common', 'COMMON'],
    ]);
    const csv = (await alpha.api('GET', '/api/v1/reports/energy-revenue.csv?groupBy=station')).body as string;
    expect(csv).toContain('ALPHA-1');
    expect(csv).not.toContain('BETA-1');
  });
});

describe('another tenant’s card where unknown cards are accepted (OCPP_UNKNOWN_ID_TAGS=accept)', () => {
  let open: TestServer;
  let host: TestTenant;
  let owner: TestTenant;
  const clients: OcppTestClient[] = [];

  async function connect(tenant: TestTenant, id: string): Promise<OcppTestClient> {
    await created(tenant.api('POST', '/api/v1/stations', { id }));
    const client = await OcppTestClient.connect(open.ocppUrl(id));
    clients.push(client);
    expect((await boot(client)).status).toBe('Accepted');
    return client;
  }

  beforeAll(async () => {
    open = await startTestServer({ OCPP_UNKNOWN_ID_TAGS: 'accept' });
    host = await createTestTenant(open, 'Host Charging');
    owner = await createTestTenant(open, 'Card Owner');
    // The owner's card: internal (free) and at most one session at a time, at the owner's stations.
    await created(owner.api('POST', '/api/v1/id-tags', { idTag: 'OWN-CARD', internal: true, maxConcurrentTx: 1 }));
    const hostTariff = (await created(host.api('POST', '/api/v1/tariffs', ENERGY(0.5)))).id;
    expect((await host.api('PUT', '/api/v1/tariff-assignments/default', { tariffId: hostTariff })).status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await open.close();
  });

  it("is a stranger at the host: recorded there as an unknown card of the host's, charged like one, and not counted against its limit at home", async () => {
    const hostStation = await connect(host, 'HOST-1');
    const ownerStation = await connect(owner, 'OWNER-1');

    const abroad = await hostStation.call('StartTransaction', { connectorId: 1, idTag: 'OWN-CARD', meterStart: 0, timestamp: new Date().toISOString() });
    expect(abroad.idTagInfo).toEqual({ status: 'Accepted' });
    // The host sees who charged, as its own unknown card (none of the owner's fields); the owner's row is as it was.
    expect((await host.api('GET', '/api/v1/id-tags')).body).toMatchObject([{ idTag: 'OWN-CARD', origin: 'unknown_accepted', internal: false, maxConcurrentTx: null }]);
    expect((await owner.api('GET', '/api/v1/id-tags')).body).toMatchObject([{ idTag: 'OWN-CARD', origin: 'operator', internal: true, maxConcurrentTx: 1 }]);

    // At home the card has no session open yet: the one abroad does not use up its limit.
    expect((await ownerStation.call('Authorize', { idTag: 'OWN-CARD' })).idTagInfo.status).toBe('Accepted');
    const home = await ownerStation.call('StartTransaction', { connectorId: 1, idTag: 'OWN-CARD', meterStart: 0, timestamp: new Date().toISOString() });
    expect(home.idTagInfo.status).toBe('Accepted');
    expect((await ownerStation.call('Authorize', { idTag: 'OWN-CARD' })).idTagInfo.status).toBe('ConcurrentTx');

    // Not internal at the host (that flag is the owner's business): priced with the host's default.
    await hostStation.call('StopTransaction', { transactionId: abroad.transactionId, meterStop: 4000, timestamp: new Date().toISOString() });
    const cost = await eventually(async () => (await host.api('GET', `/api/v1/sessions/${abroad.transactionId}`)).body.cost, 'the session abroad rated');
    expect(cost).toMatchObject({ internal: false, currency: 'EUR', total: 2 });
  });
});

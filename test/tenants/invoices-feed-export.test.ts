// Tenants in invoicing, the live feed and the whole-database archive, over real HTTP and real
// OCPP sockets: the platform tenant and a second one ("Beta") each with stations, id tags and
// paid sessions. Each sees only its own documents, numbered in its own series and sold in its own
// name; the monthly run bills one tenant's customers (one tag in two tenants is two accounts);
// a dashboard's feed carries only its tenant's stations; only the platform exports and imports.
// Rating is stood in for (test/invoicing/rating-stand-in.ts).

import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInvoicing } from '../../src/capabilities/invoicing/service.js';
import { manualClock } from '../../src/clock.js';
import { downloadArchive, openArchive, uploadArchive } from '../export/archive-helpers.js';
import { chargeSession, costOf, eventually, item, queued, rateSession, standInForRating, station } from '../invoicing/rating-stand-in.js';
import type { OcppTestClient } from '../support/ocpp-client.js';
import { openFeed, type FeedReader } from '../support/sse-client.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/test-server.js';

const ZONE = 'Europe/Berlin';
const YEAR = DateTime.now().setZone(ZONE).year;
const LAST_MONTH = DateTime.now().setZone(ZONE).startOf('month').minus({ months: 1 });
const PLATFORM_SELLER = { name: 'Platform Seller GmbH', address: 'Platzweg 1', vatId: 'DE000000001' };
const BETA_SELLER = { name: 'Beta Charging', address: 'Beta Street 2\nBetatown', vatId: 'NL000000002' };

let server: TestServer;
let beta: TestTenant;
const clients: OcppTestClient[] = [];
/** PLAT-1 (the platform's, connected unannounced) and BETA-1 (announced by Beta). */
let platformStation: OcppTestClient;
let betaStation: OcppTestClient;
const feeds: FeedReader[] = [];

/** Calls as the platform tenant's owner, in the shape of a tenant's `api`. */
const platform = { api: (method: string, path: string, body?: unknown) => server.api(method, path, body) };
type Caller = typeof platform;

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
const paid = () => costOf([item('ENERGY', 10, 0.5, 19, 5, 5.95)]);

async function documents(caller: Caller, query = ''): Promise<any[]> {
  const response = await caller.api('GET', `/api/v1/invoices?limit=1000${query}`);
  expect(response.status).toBe(200);
  return response.body as any[];
}

/** The document of `kind` billing a session, as its own tenant lists it. */
async function documentOf(caller: Caller, transactionId: number, kind: string): Promise<any> {
  return eventually(async () => (await documents(caller)).find((document) => document.kind === kind && document.sessionIds.includes(transactionId)));
}

beforeAll(async () => {
  server = await startTestServer({
    INVOICE_SELLER_NAME: PLATFORM_SELLER.name,
    INVOICE_SELLER_ADDRESS: PLATFORM_SELLER.address,
    INVOICE_SELLER_VAT_ID: PLATFORM_SELLER.vatId,
    INVOICE_TIME_ZONE: ZONE,
    // A tag another tenant registered may charge at Beta's stations (and is then Beta's stranger).
    OCPP_UNKNOWN_ID_TAGS: 'accept',
  });
  standInForRating(server);
  beta = await createTestTenant(server, 'Beta Charging');
  expect((await beta.api('PATCH', `/api/v1/tenants/${beta.id}`, { invoiceAddress: BETA_SELLER.address, vatId: BETA_SELLER.vatId })).status).toBe(200);

  for (const tag of [
    { idTag: 'P-DRIVER', ownerName: 'Pat Platform' },
    { idTag: 'FLEET-X', ownerName: 'Fleet X Ltd' },
    { idTag: 'FLEET-X-CAR', parentIdTag: 'FLEET-X' },
  ]) {
    expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
  }
  expect((await beta.api('POST', '/api/v1/id-tags', { idTag: 'B-DRIVER', ownerName: 'Bea Beta' })).status).toBe(201);
  expect((await beta.api('POST', '/api/v1/stations', { id: 'BETA-1' })).status).toBe(201);
});

afterAll(async () => {
  for (const feed of feeds) feed.close();
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

describe('invoices per tenant', () => {
  let platformReceipt: any;
  let betaReceipt: any;

  it('each tenant numbers its receipts from R-YYYY-000001 and sells in its own name', async () => {
    platformStation = await station(server, 'PLAT-1', clients);
    betaStation = await station(server, 'BETA-1', clients);
    const platformSession = await chargeSession(platformStation, { idTag: 'P-DRIVER', startedAt: hoursAgo(3), stoppedAt: hoursAgo(2), energyWh: 10_000 });
    const betaSession = await chargeSession(betaStation, { idTag: 'B-DRIVER', startedAt: hoursAgo(3), stoppedAt: hoursAgo(2), energyWh: 10_000 });
    await rateSession(server, platformSession, paid());
    await rateSession(server, betaSession, paid());

    platformReceipt = await documentOf(platform, platformSession, 'receipt');
    betaReceipt = await documentOf(beta, betaSession, 'receipt');
    expect(platformReceipt).toMatchObject({ number: `R-${YEAR}-000001`, seller: PLATFORM_SELLER, buyer: { name: 'Pat Platform', idTag: 'P-DRIVER' }, total: 5.95 });
    expect(betaReceipt).toMatchObject({ number: `R-${YEAR}-000001`, seller: BETA_SELLER, buyer: { name: 'Bea Beta', idTag: 'B-DRIVER' }, total: 5.95 });
  });

  it('GET /invoices lists only the caller’s documents, under every filter', async () => {
    const since = `&from=${encodeURIComponent(hoursAgo(24).toISOString())}`;
    for (const query of ['', '&kind=receipt', since, `&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`]) {
      expect((await documents(platform, query)).map((document) => document.id)).toEqual([platformReceipt.id]);
      expect((await documents(beta, query)).map((document) => document.id)).toEqual([betaReceipt.id]);
    }
    // Another tenant's customer is nobody here.
    expect(await documents(platform, '&customer=B-DRIVER')).toEqual([]);
    expect(await documents(beta, '&customer=P-DRIVER')).toEqual([]);
    expect((await documents(beta, '&customer=b-driver')).map((document) => document.id)).toEqual([betaReceipt.id]);
    // ... and another tenant's document is missing, in every rendering and for a credit note.
    for (const path of ['', '.html', '.pdf']) expect((await beta.api('GET', `/api/v1/invoices/${platformReceipt.id}${path}`)).status).toBe(404);
    expect((await beta.api('POST', `/api/v1/invoices/${platformReceipt.id}/credit-note`, { reason: 'not yours' })).status).toBe(404);
  });

  it('a credit note continues its own tenant’s CN- series and keeps the original’s seller', async () => {
    const note = await beta.api('POST', `/api/v1/invoices/${betaReceipt.id}/credit-note`, { reason: 'wrong price' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'credit_note', number: `CN-${YEAR}-000001`, seller: BETA_SELLER, creditedInvoiceId: betaReceipt.id, total: -5.95 });
    expect(await documents(platform, '&kind=credit_note')).toEqual([]);
    const platformNote = await server.api('POST', `/api/v1/invoices/${platformReceipt.id}/credit-note`, { reason: 'goodwill' });
    expect(platformNote.body).toMatchObject({ number: `CN-${YEAR}-000001`, seller: PLATFORM_SELLER });
  });

  it('customers, their default billing and the buyer are read from the tenant’s own id tags', async () => {
    // FLEET-X is the platform's group (monthly by default); at Beta it is an unknown card (receipts).
    expect((await server.api('GET', '/api/v1/invoice-customers/FLEET-X')).body).toEqual({ customer: 'FLEET-X', billing: 'monthly', explicit: false });
    expect((await beta.api('GET', '/api/v1/invoice-customers/FLEET-X')).body).toEqual({ customer: 'FLEET-X', billing: 'receipt', explicit: false });

    // The platform's fleet car charging at Beta: Beta's own customer FLEET-X-CAR, not the platform's fleet.
    const session = await chargeSession(betaStation, { idTag: 'FLEET-X-CAR', startedAt: hoursAgo(1.5), stoppedAt: hoursAgo(1), energyWh: 10_000 });
    await rateSession(server, session, paid());
    const receipt = await documentOf(beta, session, 'receipt');
    expect(receipt).toMatchObject({ customer: 'FLEET-X-CAR', seller: BETA_SELLER, buyer: { name: 'FLEET-X-CAR', idTag: 'FLEET-X-CAR' } });
    expect((await documents(platform)).some((document) => document.sessionIds.includes(session))).toBe(false);

    // Setting a billing mode is the caller's own: the platform's FLEET-X setting stays as it was.
    expect((await beta.api('PUT', '/api/v1/invoice-customers/FLEET-X', { billing: 'monthly' })).status).toBe(200);
    expect((await beta.api('GET', '/api/v1/invoice-customers')).body).toEqual([{ customer: 'fleet-x', billing: 'monthly', explicit: true }]);
    expect((await server.api('GET', '/api/v1/invoice-customers')).body).toEqual([]);
  });

  it('one customer tag in two tenants is two accounts: the API run bills the caller’s, the scheduled run every tenant’s', async () => {
    const at = (day: number, hour: number) => LAST_MONTH.set({ day, hour }).toJSDate();
    const platformSession = await chargeSession(platformStation, { idTag: 'FLEET-X-CAR', startedAt: at(3, 8), stoppedAt: at(3, 9), energyWh: 10_000 });
    const betaSession = await chargeSession(betaStation, { idTag: 'FLEET-X', startedAt: at(4, 8), stoppedAt: at(4, 9), energyWh: 10_000 });
    await rateSession(server, platformSession, paid());
    await rateSession(server, betaSession, paid());
    await queued(server, [platformSession, betaSession]);

    const month = LAST_MONTH.toFormat('yyyy-MM');
    const run = await server.api('POST', '/api/v1/invoices/run-monthly', { month });
    expect(run.status).toBe(200);
    expect(run.body.issued).toHaveLength(1);
    expect(run.body.issued[0]).toMatchObject({
      kind: 'invoice',
      number: `INV-${YEAR}-000001`,
      customer: 'FLEET-X',
      period: month,
      seller: PLATFORM_SELLER,
      buyer: { name: 'Fleet X Ltd', idTag: 'FLEET-X' },
      sessionIds: [platformSession],
    });
    // Beta's session of the same customer tag is still waiting for Beta's own invoice.
    expect((await documents(beta, '&kind=invoice'))).toEqual([]);

    // The scheduled run (on the 1st) bills every tenant: here what is left, Beta's.
    const clock = manualClock(DateTime.now().setZone(ZONE).startOf('month').set({ hour: 3 }).toJSDate());
    const invoicing = startInvoicing({ ...server.server.services, clock });
    invoicing.stop(); // only its jobs are wanted, not a second session.rated listener
    await invoicing.jobs.find((job) => job.name === 'monthly-invoices')!.run();
    const invoice = await documentOf(beta, betaSession, 'invoice');
    expect(invoice).toMatchObject({
      number: `INV-${YEAR}-000001`,
      customer: 'FLEET-X',
      period: month,
      seller: BETA_SELLER,
      buyer: { name: 'FLEET-X', idTag: 'FLEET-X' },
      sessionIds: [betaSession],
    });
    expect((await documents(platform, '&kind=invoice')).map((document) => document.number)).toEqual([`INV-${YEAR}-000001`]);
    // Nothing is left for either tenant's run.
    expect((await beta.api('POST', '/api/v1/invoices/run-monthly', { month })).body.issued).toEqual([]);
  });
});

describe('live feed per tenant', () => {
  const feedOf = async (key: string, query = '') => {
    const feed = await openFeed(`${server.url}/api/v1/events/stream${query}`, { authorization: `Bearer ${key}` });
    feeds.push(feed);
    expect(feed.status).toBe(200);
    await feed.next((event) => event.event === ':comment' && event.data === 'connected');
    return feed;
  };
  const stationIds = (feed: FeedReader) => new Set(feed.received.filter((event) => event.event !== ':comment').map((event) => event.data.stationId));

  it('a dashboard receives only its own tenant’s stations’ events, also when asking for another’s station', async () => {
    expect((await beta.api('POST', '/api/v1/stations', { id: 'BETA-FEED' })).status).toBe(201);
    const platformFeed = await feedOf(TEST_API_KEY);
    const betaFeed = await feedOf(beta.key);
    const betaSpying = await feedOf(beta.key, '?stationId=PLAT-FEED');
    const platformWatching = await feedOf(TEST_API_KEY, '?stationId=PLAT-FEED');

    // The platform's station first, then Beta's: each stream keeps the order of the events, so
    // once Beta's last event arrived, every platform event before it was passed over (or not).
    const platformFeedStation = await station(server, 'PLAT-FEED', clients);
    await platformFeedStation.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError', timestamp: new Date().toISOString() });
    await platformFeed.next((event) => event.event === 'connector.status' && event.data.stationId === 'PLAT-FEED');
    await platformWatching.next((event) => event.event === 'message.logged');

    const betaFeedStation = await station(server, 'BETA-FEED', clients);
    await betaFeedStation.call('StatusNotification', { connectorId: 1, status: 'Finishing', errorCode: 'NoError', timestamp: new Date().toISOString() });
    await betaFeed.next((event) => event.event === 'connector.status' && event.data.stationId === 'BETA-FEED');
    await platformFeed.next((event) => event.event === 'station.booted' && event.data.stationId === 'PLAT-FEED');

    expect(stationIds(betaFeed)).toEqual(new Set(['BETA-FEED']));
    expect([...stationIds(platformFeed)]).not.toContain('BETA-FEED');
    expect(stationIds(platformFeed)).toContain('PLAT-FEED');
    // A wait for stragglers: the spying stream got nothing but its comments.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(betaSpying.received.filter((event) => event.event !== ':comment')).toEqual([]);
    expect(stationIds(betaFeed)).toEqual(new Set(['BETA-FEED']));
  });
});

describe('the whole-database archive', () => {
  it('is the platform tenant’s alone', async () => {
    const exported = await fetch(`${server.url}/api/v1/exports/archive`, { headers: { authorization: `Bearer ${beta.key}` } });
    expect(exported.status).toBe(403);
    const imported = await fetch(`${server.url}/api/v1/imports/archive`, {
      method: 'POST',
      headers: { authorization: `Bearer ${beta.key}`, 'content-type': 'application/gzip' },
      body: Buffer.from('not even an archive'),
    });
    expect(imported.status).toBe(403);
  });

  it('carries every tenant, before the tables that name one, into a fresh instance', async () => {
    const archive = await downloadArchive(server, '');
    const files = await openArchive(archive);
    const names = files.map(([name]) => name);
    const tenantsPart = files.find(([name]) => name.startsWith('tables/tenants/'));
    expect(tenantsPart).toBeDefined();
    const rows = tenantsPart![1].toString('utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.map((row) => [row.id, row.name, row.vat_id])).toEqual([
      [1, 'Platform', null],
      [beta.id, 'Beta Charging', BETA_SELLER.vatId],
    ]);
    const first = (table: string) => names.findIndex((name) => name.startsWith(`tables/${table}/`));
    for (const table of ['stations', 'id_tags', 'invoices', 'billable_sessions', 'document_counters', 'invoice_customers']) {
      expect(first(table), table).toBeGreaterThan(first('tenants'));
    }

    const target = await startTestServer();
    try {
      const answer = await uploadArchive(target, archive);
      expect(answer.status).toBe(200);
      expect(answer.body.imported.tables.tenants).toBe(2);
      const tenants = await target.api('GET', '/api/v1/tenants');
      expect(tenants.body.map((tenant: any) => [tenant.id, tenant.name, tenant.vatId])).toEqual([
        [1, 'Platform', null],
        [beta.id, 'Beta Charging', BETA_SELLER.vatId],
      ]);
      // The platform's documents are still only the platform's.
      const listed = await target.api('GET', '/api/v1/invoices?limit=1000');
      expect(listed.body.map((document: any) => document.id).sort()).toEqual((await documents(platform)).map((document) => document.id).sort());
    } finally {
      await target.close();
    }
  });
});

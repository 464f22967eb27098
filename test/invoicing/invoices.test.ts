// Invoicing over real HTTP with real sessions: receipts for paid sessions only, gap-free numbers
// under concurrent issuing, immutable documents, credit notes, the idempotent monthly run, and
// the HTML and PDF renderings. Rating is stood in for (rating-stand-in.ts).

import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { startInvoicing } from '../../src/capabilities/invoicing/service.js';
import { invoices, transactions } from '../../src/storage/schema.js';
import type { OcppTestClient } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { chargeSession, costOf, documentsOf, eventually, item, queued, rateSession, standInForRating, station } from './rating-stand-in.js';

const ZONE = 'Europe/Berlin';
let server: TestServer;
const clients: OcppTestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({
    INVOICE_SELLER_NAME: 'Volt & Co <Charging> GmbH',
    INVOICE_SELLER_ADDRESS: 'Hauptstraße 1\\n10115 Berlin',
    INVOICE_SELLER_VAT_ID: 'DE123456789',
    INVOICE_TIME_ZONE: ZONE,
  });
  standInForRating(server);
  const tags = [
    { idTag: 'DRIVER-1', ownerName: 'Ada <script>alert(1)</script>' },
    { idTag: 'DRIVER-2', ownerName: 'Bob' },
    { idTag: 'STAFF-1', internal: true },
    { idTag: 'FLEET', ownerName: 'Fleet Ltd' },
    { idTag: 'FLEET-CAR-1', parentIdTag: 'FLEET' },
    { idTag: 'FLEET-CAR-2', parentIdTag: 'FLEET' },
    { idTag: 'MONTHLY-SOLO', ownerName: 'Solo' },
    { idTag: 'SCHEDULED', ownerName: 'Scheduled Ltd' },
  ];
  for (const tag of tags) expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
/** 7.5 kWh at 0.40 + a 1.00 fee, 19% VAT; and a 7% line, so the VAT summary has two rates. */
const paidCost = () =>
  costOf([item('ENERGY', 7.5, 0.4, 19, 3, 3.57), item('FLAT', 1, 1, 19, 1, 1.19), item('PARKING_TIME', 0.5, 2, 7, 1, 1.07)]);

async function receiptOf(transactionId: number): Promise<any> {
  return eventually(async () => (await documentsOf(server, transactionId)).find((document) => document.kind === 'receipt'));
}

describe('receipts', () => {
  it('a paid session gets one receipt; free, internal and unrated sessions get none', async () => {
    const client = await station(server, 'INV-RECEIPTS', clients);
    const paid = await chargeSession(client, { idTag: 'DRIVER-1', startedAt: hoursAgo(5), stoppedAt: hoursAgo(4), energyWh: 7_500 });
    const free = await chargeSession(client, { idTag: 'DRIVER-2', startedAt: hoursAgo(4), stoppedAt: hoursAgo(3.5), energyWh: 1_000 });
    const internal = await chargeSession(client, { idTag: 'STAFF-1', startedAt: hoursAgo(3), stoppedAt: hoursAgo(2), energyWh: 5_000 });
    const unrated = await chargeSession(client, { idTag: 'DRIVER-2', startedAt: hoursAgo(2), stoppedAt: hoursAgo(1), energyWh: 2_000 });

    await rateSession(server, free, costOf([item('ENERGY', 1, 0, 19, 0, 0)]));
    await rateSession(server, internal, costOf([item('ENERGY', 5, 0, 19, 0, 0)], { internal: true }));
    await rateSession(server, paid, paidCost());
    const receipt = await receiptOf(paid);

    const year = DateTime.now().setZone(ZONE).year;
    expect(receipt.number).toMatch(new RegExp(`^R-${year}-\\d{6}$`));
    expect(receipt).toMatchObject({
      kind: 'receipt',
      customer: 'DRIVER-1',
      currency: 'EUR',
      total: 5.83,
      totalExclTax: 5,
      totalTax: 0.83,
      sessionIds: [paid],
      seller: { name: 'Volt & Co <Charging> GmbH', address: 'Hauptstraße 1\n10115 Berlin', vatId: 'DE123456789' },
      buyer: { name: 'Ada <script>alert(1)</script>', idTag: 'DRIVER-1' },
      creditedInvoiceId: null,
      links: { html: `/api/v1/invoices/${receipt.id}.html`, pdf: `/api/v1/invoices/${receipt.id}.pdf` },
    });
    expect(receipt.lines.map((line: any) => [line.type, line.quantity, line.unitPrice, line.vatPercent, line.totalExclTax, line.tax, line.total])).toEqual([
      ['ENERGY', 7.5, 0.4, 19, 3, 0.57, 3.57],
      ['FLAT', 1, 1, 19, 1, 0.19, 1.19],
      ['PARKING_TIME', 0.5, 2, 7, 1, 0.07, 1.07],
    ]);
    expect(receipt.vatSummary).toEqual([
      { vatPercent: 7, totalExclTax: 1, tax: 0.07, total: 1.07 },
      { vatPercent: 19, totalExclTax: 4, tax: 0.76, total: 4.76 },
    ]);
    expect((await server.api('GET', `/api/v1/invoices/${receipt.id}`)).body).toEqual(receipt);

    // Rating the paid session again (billing re-rates) issues nothing new.
    await rateSession(server, paid, paidCost());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await documentsOf(server, paid)).toHaveLength(1);
    for (const id of [free, internal, unrated]) expect(await documentsOf(server, id)).toEqual([]);
  });

  it('numbers are gap-free when 20 sessions are rated at once', async () => {
    const client = await station(server, 'INV-CONCURRENT', clients);
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(await chargeSession(client, { idTag: 'DRIVER-2', startedAt: hoursAgo(30 - i), stoppedAt: hoursAgo(29.5 - i), energyWh: 1_000 + i }));
    }
    await Promise.all(ids.map((id) => rateSession(server, id, costOf([item('ENERGY', 1, 0.5, 19, 0.5, 0.6)]))));
    const receipts = await Promise.all(ids.map(receiptOf));
    expect(new Set(receipts.map((receipt) => receipt.id)).size).toBe(20);

    // Every receipt number this server ever gave, 1..N with none missing or doubled.
    const all = (await server.api('GET', '/api/v1/invoices?kind=receipt&limit=1000')).body as any[];
    const sequence = all.map((receipt) => Number(receipt.number.split('-')[2])).sort((a, b) => a - b);
    expect(sequence).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    // Issue times follow the numbers.
    const byNumber = [...all].sort((a, b) => a.number.localeCompare(b.number));
    const times = byNumber.map((receipt) => Date.parse(receipt.issuedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('immutability and credit notes', () => {
  let receipt: any;
  beforeAll(async () => {
    const client = await station(server, 'INV-CREDIT', clients);
    const id = await chargeSession(client, { idTag: 'DRIVER-2', startedAt: hoursAgo(8), stoppedAt: hoursAgo(7), energyWh: 7_500 });
    await rateSession(server, id, paidCost());
    receipt = await receiptOf(id);
  });

  it('refuses every change of an issued document, in the API and in the database', async () => {
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      const response = await server.api(method, `/api/v1/invoices/${receipt.id}`, method === 'DELETE' ? undefined : { total: 0 });
      expect([404, 405]).toContain(response.status);
    }
    const { db } = server.server.storage;
    await expect(db.update(invoices).set({ total: '0' }).where(sql`${invoices.id} = ${receipt.id}`)).rejects.toThrow();
    await expect(db.delete(invoices).where(sql`${invoices.id} = ${receipt.id}`)).rejects.toThrow();
    expect((await server.api('GET', `/api/v1/invoices/${receipt.id}`)).body).toMatchObject({ total: receipt.total, number: receipt.number });
  });

  it('corrects part of a line, then the rest, and refuses to credit more than was billed', async () => {
    // 2.5 of the 7.5 kWh: a third of 3.00 / 3.57.
    const partial = await server.api('POST', `/api/v1/invoices/${receipt.id}/credit-note`, { reason: 'Meter fault', lines: [{ line: 1, quantity: 2.5 }] });
    expect(partial.status).toBe(201);
    expect(partial.body.number).toMatch(/^CN-\d{4}-\d{6}$/);
    expect(partial.body).toMatchObject({ kind: 'credit_note', creditedInvoiceId: receipt.id, reason: 'Meter fault', customer: 'DRIVER-2', total: -1.19, totalExclTax: -1 });
    expect(partial.body.lines).toMatchObject([{ creditsLine: 1, quantity: 2.5, totalExclTax: -1, tax: -0.19, total: -1.19 }]);

    const tooMuch = await server.api('POST', `/api/v1/invoices/${receipt.id}/credit-note`, { reason: 'Again', lines: [{ line: 1 }] });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.detail).toMatch(/credited already/);

    const rest = await server.api('POST', `/api/v1/invoices/${receipt.id}/credit-note`, { reason: 'Rest', lines: [{ line: 1, quantity: 5 }, { line: 2 }, { line: 3 }] });
    expect(rest.status).toBe(201);
    expect(rest.body.total).toBe(-4.64); // 5.83 − 1.19: the two credits add up to the line totals exactly
    expect(Number(rest.body.number.split('-')[2])).toBe(Number(partial.body.number.split('-')[2]) + 1);
    expect((await server.api('POST', `/api/v1/invoices/${receipt.id}/credit-note`, { reason: 'More', lines: [{ line: 2 }] })).status).toBe(409);
    expect((await server.api('POST', `/api/v1/invoices/${rest.body.id}/credit-note`, { reason: 'Credit of a credit' })).status).toBe(409);
    expect((await server.api('POST', `/api/v1/invoices/${receipt.id}/credit-note`, { reason: 'x', lines: [{ line: 9 }] })).status).toBe(409);
    expect((await server.api('POST', '/api/v1/invoices/999999/credit-note', { reason: 'x' })).status).toBe(404);
    expect((await server.api('POST', `/api/v1/invoices/${receipt.id}/credit-note`, {})).status).toBe(400);

    const notes = (await server.api('GET', '/api/v1/invoices?kind=credit_note&customer=driver-2')).body as any[];
    expect(notes.map((note) => note.id).sort()).toEqual([partial.body.id, rest.body.id].sort());
  });

  it('a whole document is credited when no lines are named', async () => {
    const client = await station(server, 'INV-CREDIT-ALL', clients);
    const id = await chargeSession(client, { idTag: 'DRIVER-1', startedAt: hoursAgo(10), stoppedAt: hoursAgo(9), energyWh: 7_500 });
    await rateSession(server, id, paidCost());
    const original = await receiptOf(id);
    const note = await server.api('POST', `/api/v1/invoices/${original.id}/credit-note`, { reason: 'Goodwill' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ total: -5.83, totalExclTax: -5, totalTax: -0.83, buyer: original.buyer });
    expect(note.body.vatSummary).toEqual([
      { vatPercent: 7, totalExclTax: -1, tax: -0.07, total: -1.07 },
      { vatPercent: 19, totalExclTax: -4, tax: -0.76, total: -4.76 },
    ]);
  });
});

describe('monthly invoices', () => {
  const lastMonth = DateTime.now().setZone(ZONE).startOf('month').minus({ months: 1 });
  const month = lastMonth.toFormat('yyyy-MM');
  const at = (day: number, hour: number) => lastMonth.set({ day, hour }).toJSDate();

  it('groups are invoiced monthly instead of receipts; the run is idempotent', async () => {
    expect((await server.api('GET', '/api/v1/invoice-customers/FLEET')).body).toEqual({ customer: 'FLEET', billing: 'monthly', explicit: false });
    expect((await server.api('GET', '/api/v1/invoice-customers/DRIVER-1')).body).toMatchObject({ billing: 'receipt', explicit: false });
    expect((await server.api('PUT', '/api/v1/invoice-customers/MONTHLY-SOLO', { billing: 'monthly' })).status).toBe(200);

    const client = await station(server, 'INV-MONTHLY', clients);
    const fleet1 = await chargeSession(client, { idTag: 'FLEET-CAR-1', startedAt: at(3, 8), stoppedAt: at(3, 9), energyWh: 7_500 });
    const fleet2 = await chargeSession(client, { idTag: 'FLEET-CAR-2', startedAt: at(12, 8), stoppedAt: at(12, 10), energyWh: 7_500 });
    const fleetOwn = await chargeSession(client, { idTag: 'FLEET', startedAt: at(20, 8), stoppedAt: at(20, 9), energyWh: 7_500 });
    const fleetChf = await chargeSession(client, { idTag: 'FLEET-CAR-1', startedAt: at(21, 8), stoppedAt: at(21, 9), energyWh: 2_000 });
    const solo = await chargeSession(client, { idTag: 'MONTHLY-SOLO', startedAt: at(5, 8), stoppedAt: at(5, 9), energyWh: 7_500 });
    const thisMonth = await chargeSession(client, { idTag: 'FLEET-CAR-2', startedAt: hoursAgo(0.1), stoppedAt: hoursAgo(0.05), energyWh: 7_500 });
    for (const id of [fleet1, fleet2, fleetOwn, solo]) await rateSession(server, id, paidCost());
    await rateSession(server, fleetChf, costOf([item('ENERGY', 2, 0.5, 8.1, 1, 1.08)], { currency: 'CHF' }));
    await rateSession(server, thisMonth, paidCost());
    await queued(server, [fleet1, fleet2, fleetOwn, fleetChf, solo, thisMonth]);
    for (const id of [fleet1, fleet2, fleetOwn, fleetChf, solo]) expect(await documentsOf(server, id)).toEqual([]);

    const run = await server.api('POST', '/api/v1/invoices/run-monthly', { month });
    expect(run.status).toBe(200);
    const issued = run.body.issued as any[];
    const fleetEur = issued.find((invoice) => invoice.customer === 'FLEET' && invoice.currency === 'EUR');
    const fleetChfInvoice = issued.find((invoice) => invoice.customer === 'FLEET' && invoice.currency === 'CHF');
    const soloInvoice = issued.find((invoice) => invoice.customer === 'MONTHLY-SOLO');
    expect(issued).toHaveLength(3);
    expect(fleetEur).toMatchObject({ kind: 'invoice', period: month, sessionIds: [fleet1, fleet2, fleetOwn].sort((a, b) => a - b), total: 17.49, totalExclTax: 15, buyer: { name: 'Fleet Ltd', idTag: 'FLEET' } });
    expect(fleetEur.number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(fleetEur.lines).toHaveLength(9);
    expect(fleetEur.vatSummary).toEqual([
      { vatPercent: 7, totalExclTax: 3, tax: 0.21, total: 3.21 },
      { vatPercent: 19, totalExclTax: 12, tax: 2.28, total: 14.28 },
    ]);
    expect(fleetChfInvoice).toMatchObject({ currency: 'CHF', total: 1.08, sessionIds: [fleetChf] });
    expect(soloInvoice).toMatchObject({ sessionIds: [solo], total: 5.83 });
    // The current month's session is not on last month's invoice.
    expect(issued.flatMap((invoice) => invoice.sessionIds)).not.toContain(thisMonth);

    const again = await server.api('POST', '/api/v1/invoices/run-monthly', { month });
    expect(again.status).toBe(200);
    expect(again.body.issued).toEqual([]);
    expect(await documentsOf(server, fleet1)).toHaveLength(1);

    const current = DateTime.now().setZone(ZONE).toFormat('yyyy-MM');
    expect((await server.api('POST', '/api/v1/invoices/run-monthly', { month: current })).status).toBe(400);
    expect((await server.api('POST', '/api/v1/invoices/run-monthly', { month: '2026-13' })).status).toBe(400);
    const listed = (await server.api('GET', `/api/v1/invoices?kind=invoice&customer=fleet`)).body as any[];
    expect(listed.map((invoice) => invoice.id).sort()).toEqual([fleetEur.id, fleetChfInvoice.id].sort());
  });
});

describe('background jobs', () => {
  it('the monthly run happens on the 1st only; left-behind receipts and missed ratings are caught up', async () => {
    const lastMonth = DateTime.now().setZone(ZONE).startOf('month').minus({ months: 1 });
    await server.api('PUT', '/api/v1/invoice-customers/SCHEDULED', { billing: 'monthly' });
    const client = await station(server, 'INV-JOBS', clients);
    const monthly = await chargeSession(client, { idTag: 'SCHEDULED', startedAt: lastMonth.set({ day: 7, hour: 8 }).toJSDate(), stoppedAt: lastMonth.set({ day: 7, hour: 9 }).toJSDate(), energyWh: 7_500 });
    await rateSession(server, monthly, paidCost());
    await queued(server, [monthly]);

    // The jobs as the server schedules them, on a clock the test moves (its second listener is not wanted).
    const clock = manualClock(DateTime.now().setZone(ZONE).startOf('month').set({ day: 2, hour: 3 }).toJSDate());
    const invoicing = startInvoicing({ ...server.server.services, clock });
    invoicing.stop();
    const job = (name: string) => invoicing.jobs.find((candidate) => candidate.name === name)!;
    await job('monthly-invoices').run();
    expect(await documentsOf(server, monthly)).toEqual([]);
    clock.set(DateTime.now().setZone(ZONE).startOf('month').set({ hour: 3 }).toJSDate());
    await job('monthly-invoices').run();
    const [invoice] = await eventually(async () => {
      const found = await documentsOf(server, monthly);
      return found.length > 0 ? found : undefined;
    });
    expect(invoice).toMatchObject({ kind: 'invoice', customer: 'SCHEDULED', period: lastMonth.toFormat('yyyy-MM'), sessionIds: [monthly] });

    // A receipt that was queued but never issued (the process stopped in between).
    await server.api('PUT', '/api/v1/invoice-customers/SCHEDULED', { billing: 'receipt' });
    const { db } = server.server.services;
    const stranded = await chargeSession(client, { idTag: 'SCHEDULED', startedAt: hoursAgo(3), stoppedAt: hoursAgo(2), energyWh: 7_500 });
    await db.execute(sql`insert into billable_sessions (transaction_id, tenant_id, customer, id_tag, station_id, stopped_at, cost, billing)
      values (${stranded}, 1, 'SCHEDULED', 'SCHEDULED', 'INV-JOBS', ${hoursAgo(2).toISOString()}, ${JSON.stringify(paidCost())}::jsonb, 'receipt')`);
    expect(await documentsOf(server, stranded)).toEqual([]);
    await job('pending-receipts').run();
    expect((await documentsOf(server, stranded)).map((document) => document.kind)).toEqual(['receipt']);

    // A rating whose session.rated event never arrived: the cost is written, nothing emitted.
    const missed = await chargeSession(client, { idTag: 'DRIVER-1', startedAt: hoursAgo(2), stoppedAt: hoursAgo(1), energyWh: 7_500 });
    const free = await chargeSession(client, { idTag: 'DRIVER-1', startedAt: hoursAgo(1), stoppedAt: hoursAgo(0.5), energyWh: 100 });
    await db.update(transactions).set({ cost: paidCost() }).where(sql`${transactions.id} = ${missed}`);
    await db.update(transactions).set({ cost: costOf([item('ENERGY', 0.1, 0, 19, 0, 0)]) }).where(sql`${transactions.id} = ${free}`);
    clock.set(new Date());
    await job('missed-ratings').run();
    expect((await documentsOf(server, missed)).map((document) => document.kind)).toEqual(['receipt']);
    expect(await documentsOf(server, free)).toEqual([]);
    await job('missed-ratings').run();
    expect(await documentsOf(server, missed)).toHaveLength(1);
  });
});

describe('renderings', () => {
  let receipt: any;
  beforeAll(async () => {
    const client = await station(server, 'INV-RENDER', clients);
    const id = await chargeSession(client, { idTag: 'DRIVER-1', startedAt: hoursAgo(12), stoppedAt: hoursAgo(11), energyWh: 7_500 });
    await rateSession(server, id, paidCost());
    receipt = await receiptOf(id);
  });

  it('HTML shows the lines, the VAT summary and the totals, escaped', async () => {
    const response = await fetch(`${server.url}${receipt.links.html}`, { headers: { authorization: `Bearer test-api-key-0123456789` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain(receipt.number);
    expect(html).toContain('Energy, session');
    expect(html).toContain('7.5 kWh');
    expect(html).toContain('3.57');
    expect(html).toContain('5.83 EUR');
    expect(html).toContain('0.83 EUR');
    expect(html).toContain('19%');
    expect(html).toContain('Volt &amp; Co &lt;Charging&gt; GmbH');
    expect(html).toContain('Ada &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('DE123456789');
  });

  it('PDF is a valid document, dated by its issue, the same bytes on every rendering', async () => {
    const render = () => fetch(`${server.url}${receipt.links.pdf}`, { headers: { authorization: `Bearer test-api-key-0123456789` } });
    const response = await render();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.from(await (await render()).arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe(`Receipt ${receipt.number}`);
    expect(pdf.getCreationDate()?.toISOString()).toBe(new Date(receipt.issuedAt).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
  });

  it('a long invoice breaks onto more pages', async () => {
    const client = await station(server, 'INV-LONG', clients);
    await server.api('PUT', '/api/v1/invoice-customers/DRIVER-2', { billing: 'monthly' });
    const lastMonth = DateTime.now().setZone(ZONE).startOf('month').minus({ months: 1 });
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) {
      const startedAt = lastMonth.plus({ days: 1, hours: i }).toJSDate();
      ids.push(await chargeSession(client, { idTag: 'DRIVER-2', startedAt, stoppedAt: new Date(startedAt.getTime() + 1_800_000), energyWh: 7_500 }));
    }
    await Promise.all(ids.map((id) => rateSession(server, id, paidCost())));
    await queued(server, ids);
    const run = await server.api('POST', '/api/v1/invoices/run-monthly', { month: lastMonth.toFormat('yyyy-MM') });
    const invoice = (run.body.issued as any[]).find((one) => one.customer === 'DRIVER-2');
    expect(invoice.lines).toHaveLength(75);
    const response = await fetch(`${server.url}${invoice.links.pdf}`, { headers: { authorization: `Bearer test-api-key-0123456789` } });
    const pdf = await PDFDocument.load(new Uint8Array(await response.arrayBuffer()));
    expect(pdf.getPageCount()).toBeGreaterThan(1);
    expect((await server.api('GET', `/api/v1/invoices/999999.pdf`)).status).toBe(404);
    const paths = Object.keys((await server.api('GET', '/api/openapi.json')).body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/invoices/{id}', '/api/v1/invoices/{id}.html', '/api/v1/invoices/{id}.pdf', '/api/v1/reports/energy-revenue.csv']));
  });
});

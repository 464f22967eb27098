// The pages of the capabilities that have landed, against the real backend only (no stand-ins
// are left: every API these pages read is now served): tariffs, a site's load shared by two
// simulated stations of two brands charging under its limit, the receipts their rated sessions
// get, the energy and revenue report, the sessions CSV and the full archive.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { eventually } from '../authorization/fake-station.js';
import { openLoggedIn, screenshot, type DashboardPage } from '../support/browser.js';
import { engine, startTestServer, TEST_ADMIN, type TestServer } from '../support/test-server.js';

const SITE = 'yard';
const LIMIT_A = 32;
const MAX_A = 16;
const TAG = 'YARD-DRIVER';
const STATIONS: Record<string, string> = { 'CP-YARD-1': 'wallbox', 'CP-YARD-2': 'pedestal' };
const shot = (page: Page, name: string) => screenshot(page, `${engine}-contract-${name}`);
const euro = (amount: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(amount);
const isoDate = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

interface SiteLoad {
  limitAmps: number;
  allocatedAmps: number;
  sessions: Array<{ transactionId: number; stationId: string; limitAmps: number; targetAmps: number }>;
}
interface Invoice {
  id: number;
  number: string;
  total: number;
  currency: string;
  links: { html: string; pdf: string };
}
interface ReportRow {
  key: string;
  label: string;
  sessions: number;
  revenue: number | null;
  energyKWh: number;
}

/** `read` until `check` holds: the shared polling helper, keeping the value. */
const until = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 30_000) =>
  eventually(async () => {
    const value = await read();
    return check(value) ? { value } : undefined;
  }, what, timeoutMs).then((found) => found.value);

describe('pages of the landed capabilities, against the real backend', { timeout: 120_000 }, () => {
  let server: TestServer;
  let dashboard: DashboardPage;
  let page: Page;
  let tariffId = '';
  const stations: ChargePoint[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.api('POST', '/api/v1/id-tags', { idTag: TAG })).status).toBe(201);
    expect((await server.api('POST', '/api/v1/sites', { id: SITE, name: 'Yard', timeZone: 'Europe/Berlin', gridLimitAmps: LIMIT_A })).status).toBe(201);
    for (const [id, profile] of Object.entries(STATIONS)) {
      expect((await server.api('POST', '/api/v1/stations', { id, siteId: SITE })).status).toBe(201);
      expect((await server.api('PUT', `/api/v1/stations/${id}/load-settings`, { maxCurrentAmps: MAX_A })).status).toBe(200);
      const station = await startStation({ url: `${server.url.replace(/^http/, 'ws')}/ocpp`, id, profile, idTag: TAG, meterIntervalMs: 500, speed: 20, reconnect: false });
      await station.waitForRegistration('Accepted');
      stations.push(station);
    }
    // A fixed locale, so that amounts and amps read the same on every machine.
    dashboard = await openLoggedIn(server.url, TEST_ADMIN, { locale: 'en-US', acceptDownloads: true });
    page = dashboard.page;
  }, 120_000);

  afterAll(async () => {
    await dashboard?.close();
    await Promise.all(stations.map((station) => station.close()));
    await server?.close();
  });

  it('creates the common tariff from the form as an OCPI tariff and lists its prices', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tariffs' }).click();
    await page.getByRole('heading', { name: 'Tariffs', level: 1 }).waitFor();
    await page.getByText('No tariffs yet.').waitFor();
    await page.getByText('Add a tariff').click();
    const form = page.getByRole('form', { name: 'Add a tariff' });
    await form.getByLabel('Name').fill('Standard');
    await form.getByLabel('VAT, %').fill('19');
    await form.getByLabel('Energy, per kWh').fill('0.30');
    await form.getByLabel('Idle time (parking), per hour').fill('6');
    await form.getByLabel('Idle minutes free (grace period)').fill('30');
    await form.getByLabel('Session fee').fill('1');
    await form.getByLabel('A different energy price at certain hours (site time)').check();
    await form.getByLabel('Energy in this window, per kWh').fill('0.20');
    await form.getByRole('button', { name: 'Add tariff' }).click();
    await page.getByRole('status').getByText('Tariff Standard added.').waitFor();

    // The form's fields become one OCPI tariff (the mapping itself is unit-tested in web/src/lib/tariffs.test.ts).
    const stored = (await server.api('GET', '/api/v1/tariffs')).body as Array<Record<string, unknown>>;
    expect(stored).toHaveLength(1);
    tariffId = stored[0]!['id'] as string;
    expect(stored[0]).toMatchObject({ currency: 'EUR', tariff_alt_text: [{ text: 'Standard' }], idle_grace_minutes: 30 });
    const elements = (stored[0] as { elements: Array<{ price_components: Array<{ type: string }>; restrictions?: unknown }> }).elements;
    expect(elements.map((element) => [element.price_components.map((component) => component.type), element.restrictions])).toEqual([
      [['ENERGY'], { start_time: '22:00', end_time: '06:00' }],
      [['ENERGY', 'PARKING_TIME', 'FLAT'], undefined],
    ]);
    const card = page.locator(`[data-tariff="${tariffId}"]`);
    await card.getByRole('heading', { name: 'Standard' }).waitFor();
    const prices = card.locator('ul.plain-list');
    await prices.getByText('€0.20 per kWh + 19 % VAT, billed per 1 Wh').waitFor();
    await prices.getByText('(from 22:00 to 06:00 (site time))').waitFor();
    await prices.getByText('€6.00 per hour idle + 19 % VAT, billed per 1 min').waitFor();
    await prices.getByText('The first 30 idle minutes are free.').waitFor();
    await card.getByText('Elements (2)').click();
    await card.getByRole('row', { name: /^2 always Energy/ }).waitFor();
    await shot(page, '01-tariffs');
  });

  it('shows the site’s limit against the live draw of real sessions, each with its allocation, and the draw under the limit over time', async () => {
    await page.goto(`${server.url}/sites/${SITE}`);
    await page.getByRole('button', { name: 'Change' }).click();
    const edit = page.getByRole('form', { name: 'Change site Yard' });
    await edit.getByLabel('Tariff').selectOption({ label: 'Standard' });
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Site Yard saved.').waitFor();
    expect((await server.api('GET', `/api/v1/sites/${SITE}`)).body).toMatchObject({ tariffId });
    await page.locator('.facts').getByText('Standard').waitFor();

    const load = page.getByTestId('site-load');
    await load.getByText('No session is charging at this site.').waitFor({ timeout: 20_000 });
    for (const station of stations) await station.startSession(1);
    // Two sessions under 32 A, each station at most 16 A: the rule gives each its maximum.
    const settled = await until(
      async () => (await server.api<SiteLoad>('GET', `/api/v1/sites/${SITE}/load`)).body,
      (body) => body.sessions?.length === 2 && body.sessions.every((session) => session.limitAmps === MAX_A && session.targetAmps === MAX_A),
      'both sessions allocated',
    );
    await load.locator('.tile').filter({ hasText: 'Limit per phase' }).getByText(`${LIMIT_A} A`).waitFor();
    await load.locator('.tile').filter({ hasText: 'Allocated to sessions' }).getByText(`${settled.allocatedAmps} A`).waitFor({ timeout: 15_000 });
    for (const session of settled.sessions) {
      const row = load.locator(`tr[data-load-session="${session.transactionId}"]`);
      await row.getByRole('link', { name: `#${session.transactionId}` }).waitFor({ timeout: 15_000 });
      await row.getByRole('link', { name: session.stationId }).waitFor();
      await row.locator('td[data-label="Allocated"]').getByText(`${MAX_A} A`).waitFor();
      // What the station's meter says it draws arrives with its meter values.
      await row.locator('td[data-label="Drawing"]').getByText(/^\d+(\.\d)? A$/).waitFor({ timeout: 20_000 });
    }
    await load.getByRole('img', { name: `Of the ${LIMIT_A} A limit, the building uses 0 A and charging is given ${settled.allocatedAmps} A` }).waitFor();
    // The chart is drawn from the recorded decisions that carry a reading (two at least).
    await load.getByRole('img', { name: /Draw \(building and charging\), last hour: \d+ readings.*limit 32 A/ }).waitFor({ timeout: 30_000 });
    await shot(page, '02-site-load');

    for (const station of stations) await station.stopSession(1);
    await load.getByText('No session is charging at this site.').waitFor({ timeout: 20_000 });
  });

  it('lists the receipts of the rated sessions with their HTML and PDF documents', async () => {
    const invoices = await until(async () => (await server.api<Invoice[]>('GET', '/api/v1/invoices')).body, (body) => body.length === 2, 'two receipts');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).click();
    await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
    for (const invoice of invoices) {
      expect(invoice.total).toBeGreaterThan(0);
      const row = page.locator(`tr[data-invoice="${invoice.id}"]`);
      await row.getByText(invoice.number).waitFor();
      await row.getByText('(receipt)').waitFor();
      await row.getByText(euro(invoice.total)).waitFor();
      expect(await row.getByRole('link', { name: `Invoice ${invoice.number} as PDF` }).getAttribute('href')).toBe(invoice.links.pdf);
      expect(await row.getByRole('link', { name: `Invoice ${invoice.number} as HTML` }).getAttribute('href')).toBe(invoice.links.html);
    }
    // The documents open with the dashboard's own session.
    const pdf = await page.request.get(`${server.url}${invoices[0]!.links.pdf}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    const html = await page.request.get(`${server.url}${invoices[0]!.links.html}`);
    expect(await html.text()).toContain(invoices[0]!.number);
    await page.getByLabel('Show').selectOption({ label: 'Credit notes' });
    await page.getByText('No credit notes yet.').waitFor();
    await shot(page, '03-invoices');
  });

  it('reports energy and revenue by station, as a table and as CSV', async () => {
    const report = (await server.api<ReportRow[]>('GET', '/api/v1/reports/energy-revenue?groupBy=station')).body;
    expect(report.map((row) => row.key).sort()).toEqual(Object.keys(STATIONS).sort());
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports and exports' }).click();
    const form = page.getByRole('form', { name: 'Energy and revenue report' });
    await form.getByLabel('Group by').selectOption({ label: 'Station' });
    const table = page.getByTestId('energy-revenue');
    for (const row of report) {
      const line = table.locator('tbody tr').filter({ hasText: row.label });
      await line.locator('td[data-label="Sessions"]').getByText(String(row.sessions)).waitFor();
      await line.locator('td[data-label="Revenue"]').getByText(euro(row.revenue!)).waitFor();
    }
    await table.locator('tfoot').getByText(euro(report.reduce((sum, row) => sum + row.revenue!, 0))).waitFor();

    // Dates narrow the report; a period without sessions says so.
    await form.getByLabel('Stopped from').fill(isoDate(-1));
    await form.getByLabel('Stopped until').fill(isoDate(1));
    await table.locator('tbody tr').nth(1).waitFor();
    const csvHref = (await form.getByRole('link', { name: 'Download report CSV' }).getAttribute('href'))!;
    const csvUrl = new URL(csvHref, server.url);
    expect(csvUrl.pathname).toBe('/api/v1/reports/energy-revenue.csv');
    expect(Object.fromEntries(csvUrl.searchParams)).toEqual({ groupBy: 'station', from: isoDate(-1), to: isoDate(2) });
    const csv = await (await page.request.get(csvUrl.toString())).text();
    expect(csv.split(/\r?\n/)[0]).toBe('group_by,key,label,currency,sessions,energy_kwh,revenue,revenue_excl_tax');
    for (const id of Object.keys(STATIONS)) expect(csv).toContain(`station,${id},`);
    await shot(page, '04-report');
    await form.getByLabel('Stopped from').fill(isoDate(3));
    await form.getByLabel('Stopped until').fill(isoDate(4));
    await page.getByText('No finished sessions in this period.').waitFor();
  });

  it('offers the sessions CSV for a date range and the full archive to the administrator', async () => {
    await page.getByLabel('Started from').fill(isoDate(-1));
    await page.getByLabel('Started until').fill(isoDate(1));
    const csv = new URL((await page.getByRole('link', { name: 'Download sessions CSV' }).getAttribute('href'))!, server.url);
    expect(csv.pathname).toBe('/api/v1/exports/sessions.csv');
    expect(Date.parse(csv.searchParams.get('from')!)).toBeLessThan(Date.parse(csv.searchParams.get('to')!));
    const sessionsCsv = await (await page.request.get(csv.toString())).text();
    expect(sessionsCsv.trim().split(/\r?\n/)).toHaveLength(3);

    const archive = page.getByRole('link', { name: 'Download all data' });
    expect(await archive.getAttribute('href')).toBe('/api/v1/exports/archive');
    const [download] = await Promise.all([page.waitForEvent('download'), archive.click()]);
    expect(download.suggestedFilename()).toMatch(/^csms-export-.*\.tar\.gz$/);
    const stream = await download.createReadStream();
    const first = (await stream[Symbol.asyncIterator]().next()).value as Buffer;
    stream.destroy();
    // gzip's magic bytes.
    expect([first[0], first[1]]).toEqual([0x1f, 0x8b]);

    // On a phone the page fits the screen (tables turn into cards).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('Group by').selectOption({ label: 'Day' });
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shot(page, '05-exports-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(dashboard.errors).toEqual([]);
  });
});

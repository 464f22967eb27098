// The pages built against shared/contract.md: tariffs (real billing API), and a site's load,
// invoices and the exports, whose data Playwright stands in for (the only mocks here; the rest
// is the real backend), shaped as the contract describes them: load management and the full
// export were not part of this backend when the pages were written, and a fresh server has no
// invoices. Each page must light up from the OpenAPI document alone.

import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLoggedIn, screenshot, type DashboardPage } from '../support/browser.js';
import { engine, startTestServer, TEST_ADMIN, type TestServer } from '../support/test-server.js';

const SITE = 'yard';
const shot = (page: Page, name: string) => screenshot(page, `${engine}-contract-${name}`);

/** Paths the stand-ins add to the real OpenAPI document (only where the backend lacks them). */
const STOOD_IN: Record<string, string[]> = {
  '/api/v1/sites/{id}/load': ['get'],
  '/api/v1/invoices': ['get'],
  '/api/v1/exports/sessions.csv': ['get'],
  '/api/v1/exports/archive': ['get'],
};

const LOAD = {
  limitAmps: 32,
  buildingLoadAmps: 10,
  totalDrawAmps: 16,
  sessions: [{ transactionId: 7, stationId: 'CP-YARD-1', connectorId: 1, allocatedAmps: 16, drawAmps: 15.5 }],
};
const INVOICE = { id: 'inv-1', number: 'INV-2026-000001', issuedAt: '2026-11-01T09:00:00Z', total: 4.35, currency: 'EUR', links: { html: '/api/v1/invoices/inv-1.html', pdf: '/api/v1/invoices/inv-1.pdf' } };

describe('pages built against the contract, their APIs stood in', { timeout: 90_000 }, () => {
  let server: TestServer;
  let dashboard: DashboardPage;
  let page: Page;
  let tariffId = '';

  const json = (route: Route, body: unknown, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.api('POST', '/api/v1/sites', { id: SITE, name: 'Yard', timeZone: 'Europe/Berlin', gridLimitAmps: 32 })).status).toBe(201);
    dashboard = await openLoggedIn(server.url, TEST_ADMIN, { locale: 'en-US' });
    page = dashboard.page;
    const context = page.context();
    await context.route('**/api/openapi.json', async (route) => {
      const document = (await (await route.fetch()).json()) as { paths: Record<string, Record<string, unknown>> };
      for (const [path, methods] of Object.entries(STOOD_IN)) {
        document.paths[path] ??= Object.fromEntries(methods.map((method) => [method, { responses: { 200: { description: 'stand-in' } } }]));
      }
      await json(route, document);
    });
    await context.route(`**/api/v1/sites/${SITE}/load`, (route) => json(route, LOAD));
    await context.route('**/api/v1/invoices', (route) => json(route, [INVOICE]));
    // The page asks for the document list once again with the stand-ins in place.
    await page.reload();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  });

  afterAll(async () => {
    await dashboard?.close();
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

  it('shows a site’s limit against its live draw, with the sessions sharing it, and offers the tariff', async () => {
    await page.goto(`${server.url}/sites/${SITE}`);
    const load = page.getByTestId('site-load');
    await load.locator('.tile').filter({ hasText: 'Limit per phase' }).getByText('32 A').waitFor();
    await load.locator('.tile').filter({ hasText: 'Charging draw' }).getByText('16 A').waitFor();
    await load.locator('.tile').filter({ hasText: 'Headroom' }).getByText('6 A').waitFor();
    await load.getByRole('img', { name: 'Of the 32 A limit, the building uses 10 A and charging 16 A' }).waitFor();
    await load.getByRole('row', { name: /#7 CP-YARD-1, connector 1 16 A 15\.5 A/ }).waitFor();
    // The chart needs two readings: the panel asks again every few seconds.
    await load.getByRole('img', { name: /Charging draw: \d+ readings.*limit 32 A/ }).waitFor({ timeout: 20_000 });
    await shot(page, '02-site-load');

    await page.getByRole('button', { name: 'Change' }).click();
    const edit = page.getByRole('form', { name: 'Change site Yard' });
    await edit.getByLabel('Tariff').selectOption({ label: 'Standard' });
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Site Yard saved.').waitFor();
    expect((await server.api('GET', `/api/v1/sites/${SITE}`)).body).toMatchObject({ tariffId });
    await page.locator('.facts').getByText('Standard').waitFor();
  });

  it('lists invoices with their documents', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).click();
    const row = page.locator('tr[data-invoice="inv-1"]');
    await row.getByText('INV-2026-000001').waitFor();
    await row.getByText('€4.35').waitFor();
    expect(await row.getByRole('link', { name: 'Invoice INV-2026-000001 as PDF' }).getAttribute('href')).toBe('/api/v1/invoices/inv-1.pdf');
    expect(await row.getByRole('link', { name: 'Invoice INV-2026-000001 as HTML' }).getAttribute('href')).toBe('/api/v1/invoices/inv-1.html');
    await shot(page, '03-invoices');
  });

  it('offers the sessions CSV for a date range and the full archive', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports and exports' }).click();
    await page.getByLabel('Started from').fill('2026-11-01');
    await page.getByLabel('Started until').fill('2026-11-30');
    const csv = new URL((await page.getByRole('link', { name: 'Download sessions CSV' }).getAttribute('href'))!, server.url);
    expect(csv.pathname).toBe('/api/v1/exports/sessions.csv');
    expect(Date.parse(csv.searchParams.get('from')!)).toBeLessThan(Date.parse(csv.searchParams.get('to')!));
    expect(await page.getByRole('link', { name: 'Download all data' }).getAttribute('href')).toBe('/api/v1/exports/archive');
    await shot(page, '04-exports');
    expect(dashboard.errors).toEqual([]);
  });
});

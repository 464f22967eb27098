// The operator's journey through the dashboard, in Debian's Chromium against the real backend
// and simulated stations of two brands: log in, see both brands in one list, approve the pending
// one, start a session remotely and watch the connector change live, stop it, open the session
// for its energy and cost (a default tariff bills it), and take the sessions CSV with that cost.
// Screenshots go to test-results/screenshots.

import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { launchBrowser, screenshot, watchForPageErrors } from '../support/browser.js';
import { engine, startTestServer, TEST_ADMIN, type TestServer } from '../support/test-server.js';

const DRIVER = 'DRIVER-0001';
const WALLBOX = 'CP-WALLBOX-1'; // SimWatt, registered before it connects
const PEDESTAL = 'CP-PEDESTAL-1'; // SimVolt, unknown: waits for approval
const shot = (page: Page, name: string) => screenshot(page, `${engine}-${name}`);

// A mark on the page's window survives only as long as the page is not reloaded: it tells that
// what changed on screen came in live.
const markPage = (page: Page) => page.evaluate('window.__notReloaded = true');
const stillSamePage = (page: Page) => page.evaluate('window.__notReloaded === true');

describe('operator journey in the browser', { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  const stations: ChargePoint[] = [];

  beforeAll(async () => {
    server = await startTestServer({ OCPP_UNKNOWN_STATIONS: 'pending' });
    expect((await server.api('POST', '/api/v1/id-tags', { idTag: DRIVER })).status).toBe(201);
    expect((await server.api('POST', '/api/v1/stations', { id: WALLBOX })).status).toBe(201);
    // Every session is billed by the default tariff: €0.30 per kWh and €1 per session, plus 19 % VAT.
    const tariff = await server.api('POST', '/api/v1/tariffs', {
      currency: 'EUR',
      tariff_alt_text: [{ language: 'en', text: 'Standard' }],
      elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 }, { type: 'FLAT', price: 1, vat: 19, step_size: 1 }] }],
    });
    expect(tariff.status).toBe(201);
    expect((await server.api('PUT', '/api/v1/tariff-assignments/default', { tariffId: tariff.body.id })).status).toBe(200);
    const base = `${server.url.replace(/^http/, 'ws')}/ocpp`;
    const common = { url: base, meterIntervalMs: 500, speed: 30, bootRetryMs: 60_000 };
    stations.push(await startStation({ ...common, id: WALLBOX, profile: 'wallbox' }));
    stations.push(await startStation({ ...common, id: PEDESTAL, profile: 'pedestal' }));
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    pageErrors = watchForPageErrors(page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await Promise.all(stations.map((station) => station.close()));
    await server?.close();
  });

  it('logs in as the bootstrap administrator', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Charging dashboard' }).waitFor();
    await shot(page, '01-login');
    await page.getByLabel('E-mail').fill(TEST_ADMIN.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').getByText('Wrong e-mail address or password').waitFor();
    await page.getByLabel('Password').fill(TEST_ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await shot(page, '02-overview');
  });

  it('lists both brands in one list and approves the pending station', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stations' }).click();
    await page.getByRole('heading', { name: 'Stations', level: 1 }).waitFor();
    const rows = page.locator('table tbody tr');
    await page.locator(`tr[data-station="${WALLBOX}"]`).getByText('SimWatt').waitFor();
    await page.locator(`tr[data-station="${PEDESTAL}"]`).getByText('SimVolt').waitFor();
    expect(await rows.count()).toBe(2);
    const pending = page.getByRole('listitem', { name: `Pending station ${PEDESTAL}` });
    await pending.waitFor();
    await shot(page, '03-stations-pending');

    await markPage(page);
    await pending.getByRole('button', { name: `Accept ${PEDESTAL}` }).click();
    await page.getByRole('status').getByText(`Station ${PEDESTAL} accepted.`).waitFor();
    // The station boots again at once and reports its two connectors: the list shows them live.
    const pedestalRow = page.locator(`tr[data-station="${PEDESTAL}"]`);
    await pedestalRow.locator('[data-status="Available"]').nth(1).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('listitem', { name: `Pending station ${PEDESTAL}` }).count()).toBe(0);
    expect(await stillSamePage(page)).toBe(true);

    // Filters narrow the one list by brand.
    await page.getByLabel('Vendor').selectOption('SimVolt');
    expect(await rows.count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    expect(await rows.count()).toBe(2);
    await shot(page, '04-stations-accepted');
  });

  let sessionId: number;

  it('starts a session remotely and watches the connector change live, then stops it', async () => {
    await page.getByRole('link', { name: WALLBOX, exact: true }).click();
    await page.getByRole('heading', { name: `Station ${WALLBOX}` }).waitFor();
    await markPage(page);
    const connector = page.locator('[data-connector="1"]');
    await connector.locator('[data-status="Available"]').waitFor();

    await connector.getByLabel('Id tag to charge with').fill(DRIVER);
    await connector.getByRole('button', { name: 'Start charging' }).click();
    await page.getByRole('status').getByText('Connector 1: RemoteStartTransaction: Accepted').waitFor();
    await connector.locator('[data-status="Charging"]').waitFor({ timeout: 15_000 });
    // Meter values arrive live in the connector card and the message log.
    await connector.getByText(/Power \d/).waitFor({ timeout: 15_000 });
    await page.locator('.message-log').getByText('StartTransaction').first().waitFor();
    await page.locator('.message-log').getByText('MeterValues').first().waitFor();
    await shot(page, '05-station-charging');

    const link = connector.getByRole('link', { name: /Session #\d+/ });
    sessionId = Number(/#(\d+)/.exec((await link.textContent()) ?? '')?.[1]);
    expect(sessionId).toBeGreaterThan(0);
    await page.waitForTimeout(1500); // let some energy flow

    await connector.getByRole('button', { name: 'Stop charging' }).click();
    await page.getByRole('status').getByText('Connector 1: RemoteStopTransaction: Accepted').waitFor();
    await connector.locator('[data-status="Available"]').waitFor({ timeout: 15_000 });
    expect(await stillSamePage(page)).toBe(true);
    await page.getByRole('row').filter({ hasText: 'RemoteStopTransaction' }).first().waitFor();
    await shot(page, '06-station-stopped');
  });

  it('opens the session and shows its energy, charts and cost', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    const row = page.locator(`tr[data-session="${sessionId}"]`);
    await row.getByText('Finished').waitFor({ timeout: 15_000 });
    await row.getByRole('link', { name: `#${sessionId}` }).click();
    await page.getByRole('heading', { name: `Session #${sessionId}` }).waitFor();

    // Rating follows the stop off the charger's path: wait for the stored cost.
    let session: any;
    for (let tries = 0; !session?.cost && tries < 100; tries++) {
      session = (await server.api('GET', `/api/v1/sessions/${sessionId}`)).body;
      if (!session.cost) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(session.energyWh).toBeGreaterThan(0);
    expect(session.cost).toMatchObject({ currency: 'EUR', internal: false });
    // €0.30 per kWh and €1 flat, each plus 19 % VAT (items rounded to the cent).
    expect(session.cost.total).toBeCloseTo((Math.round(session.energyWh * 0.3 / 10) / 100 + 1) * 1.19, 1);
    await page.reload(); // the session page was opened before its rating was stored
    await page.getByRole('heading', { name: `Session #${sessionId}` }).waitFor();
    const shown = (await page.getByTestId('session-energy').textContent()) ?? '';
    expect(shown).toMatch(/\d.*k?Wh/);
    const kwh = shown.includes('kWh') ? Number(shown.replace(/[^\d.]/g, '')) * 1000 : Number(shown.replace(/[^\d]/g, ''));
    expect(Math.abs(kwh - session.energyWh)).toBeLessThanOrEqual(10);
    await page.getByRole('img', { name: /Power/ }).waitFor();
    await page.getByRole('img', { name: /Energy/ }).waitFor();

    const cost = page.getByTestId('session-cost');
    await cost.getByText('Total incl. tax').waitFor();
    await cost.getByText(`€${session.cost.total.toFixed(2)}`).first().waitFor();
    await shot(page, '07-session');
  });

  it('offers the sessions CSV with the session and its cost', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    const { body: session } = await server.api('GET', `/api/v1/sessions/${sessionId}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header).toContain('total');
    const row = rows.find((line) => line.includes(WALLBOX) && line.split(',')[0] === String(sessionId));
    expect(row, csv).toBeDefined();
    expect(row).toContain(session.cost.total.toFixed(2));
    await shot(page, '08-sessions');
  });

  it('works on a phone-sized screen and from the keyboard', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/stations`);
    await page.getByRole('heading', { name: 'Stations', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Menu');
    await page.keyboard.press('Enter');
    await nav.waitFor({ state: 'visible' });
    await shot(page, '09-phone-menu');
    await nav.getByRole('link', { name: 'Id tags' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Id tags', level: 1 }).waitFor();
    await nav.waitFor({ state: 'hidden' });
    await page.goto(`${server.url}/stations`);
    await page.locator(`tr[data-station="${PEDESTAL}"]`).waitFor();
    await shot(page, '10-phone-stations');
    expect(pageErrors).toEqual([]);
  });
});

// The dashboard's working pages beyond the journey, in Debian's Chromium: id tags (add, change,
// delete, CSV import and export), a station's stored configuration read again and a key changed on the station, and the
// overview's figures following a session live.

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { openLoggedIn, screenshot, type DashboardPage } from '../support/browser.js';
import { engine, startTestServer, TEST_ADMIN, type TestServer } from '../support/test-server.js';

const STATION = 'CP-ADMIN-1';
const TAG = 'ADMIN-DRIVER';

describe('dashboard pages in the browser', { timeout: 60_000 }, () => {
  let server: TestServer;
  let dashboard: DashboardPage;
  let page: Page;
  let pageErrors: string[];
  let station: ChargePoint;

  beforeAll(async () => {
    server = await startTestServer();
    await server.api('POST', '/api/v1/id-tags', { idTag: TAG });
    station = await startStation({ url: `${server.url.replace(/^http/, 'ws')}/ocpp`, id: STATION, profile: 'dc-fast', idTag: TAG, meterIntervalMs: 300, speed: 10 });
    dashboard = await openLoggedIn(server.url, TEST_ADMIN, { acceptDownloads: true });
    ({ page, errors: pageErrors } = dashboard);
  });

  afterAll(async () => {
    await dashboard?.close();
    await station?.close();
    await server?.close();
  });

  it('adds, changes and deletes an id tag', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Id tags' }).click();
    await page.getByText('Add an id tag').click();
    const form = page.getByRole('form', { name: 'Add an id tag' });
    await form.getByLabel('Id tag', { exact: true }).fill('CARD-A');
    await form.getByLabel('Group / parent id tag (optional)').fill('FLEET-1');
    await form.getByRole('button', { name: 'Add id tag' }).click();
    await page.getByRole('status').getByText('Id tag CARD-A added.').waitFor();
    const row = page.locator('tr[data-id-tag="CARD-A"]');
    await row.getByText('FLEET-1').waitFor();

    await row.getByRole('button', { name: 'Change CARD-A' }).click();
    const edit = page.getByRole('form', { name: 'Change CARD-A' });
    await edit.getByLabel('Status').selectOption('Blocked');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.locator('tr[data-id-tag="CARD-A"]').getByText('Blocked').waitFor();
    expect((await server.api('GET', '/api/v1/id-tags/CARD-A')).body).toMatchObject({ status: 'Blocked', parentIdTag: 'FLEET-1' });

    await page.locator('tr[data-id-tag="CARD-A"]').getByRole('button', { name: 'Delete CARD-A' }).click();
    await page.getByRole('status').getByText('Id tag CARD-A deleted.').waitFor();
    expect((await server.api('GET', '/api/v1/id-tags/CARD-A')).status).toBe(404);
  });

  it('imports id tags through the backend, which refuses a file with a wrong row and lists it', async () => {
    await page.getByText('Import id tags from a CSV file').click();
    const upload = (lines: string[]) => page.getByLabel('CSV file').setInputFiles({ name: 'tags.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await upload(['idTag,status,internal', 'CSV-1,Accepted,yes', 'CSV-2,blocked,', `${TAG},Blocked,`, 'THIS-ID-TAG-IS-FAR-TOO-LONG,,']);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').getByText(/^Import refused: 1 invalid row.*nothing was imported$/).waitFor();
    await page.getByRole('list', { name: 'Rows that could not be read' }).getByText('Line 5: idTag "THIS-ID-TAG-IS-FAR-TOO-LONG" is longer than 20 characters').waitFor();
    expect((await server.api('GET', '/api/v1/id-tags/CSV-1')).status).toBe(404);
    await screenshot(page, `${engine}-admin-01-csv-refused`);

    // All or nothing: the corrected file creates two and updates the one that exists.
    await upload(['idTag,status,internal', 'CSV-1,Accepted,yes', 'CSV-2,blocked,', `${TAG},Accepted,`]);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').getByText('Import done: 2 added, 1 updated.').waitFor();
    await page.locator('tr[data-id-tag="CSV-2"]').getByText('Blocked').waitFor();
    expect((await server.api('GET', '/api/v1/id-tags/CSV-1')).body).toMatchObject({ status: 'Accepted', internal: true });
    await screenshot(page, `${engine}-admin-02-id-tags`);
  });

  it('exports the id tags as CSV in the format the import reads', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header?.split(',')).toContain('idTag');
    expect(rows.some((row) => row.startsWith('CSV-2,Blocked'))).toBe(true);
  });

  it('reads the configuration from the station and changes a key on it', async () => {
    await page.goto(`${server.url}/stations/${STATION}`);
    await page.getByRole('button', { name: 'Read again from the station' }).click();
    await page.getByRole('status').getByText(`Configuration read from ${STATION}`).waitFor();
    const row = page.getByRole('row', { name: /HeartbeatInterval/ });
    await row.waitFor();
    await row.getByRole('button', { name: 'Edit HeartbeatInterval' }).click();
    await page.getByLabel('New value of HeartbeatInterval').fill('120');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('HeartbeatInterval: Accepted').waitFor();
    await row.getByText('120', { exact: true }).waitFor();
    expect(station.config.value('HeartbeatInterval')).toBe('120');
    await screenshot(page, `${engine}-admin-03-configuration`);
  });

  it('follows a session on the overview without reloading', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    const charging = page.locator('.tile').filter({ hasText: 'Charging now' });
    await charging.getByText('0', { exact: true }).waitFor();
    await page.evaluate('window.__notReloaded = true');

    await station.startSession(1);
    await charging.getByText('1', { exact: true }).waitFor({ timeout: 15_000 });
    // Power comes with the first meter values; the session is listed with it.
    await page.locator('.tile').filter({ hasText: 'Power now' }).getByText(/\d+(\.\d)? kW/).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: STATION }).waitFor();
    await screenshot(page, `${engine}-admin-04-overview-charging`);

    await station.stopSession(1);
    await charging.getByText('0', { exact: true }).waitFor({ timeout: 15_000 });
    await page.getByText('No session is running.').waitFor();
    expect(await page.evaluate('window.__notReloaded === true')).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});

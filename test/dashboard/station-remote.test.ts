// The station page's remote-control panels in Debian's Chromium, against the real backend and a
// simulated station: the stored configuration (shown without asking the station, changed one key
// at a time, read again), reservations (made from the keyboard, cancelled), a firmware file
// uploaded and installed with the station's progress shown, and diagnostics requested; the page
// fits a phone's screen.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { eventually } from '../authorization/fake-station.js';
import { openLoggedIn, screenshot, type DashboardPage } from '../support/browser.js';
import { engine, startTestServer, TEST_ADMIN, type TestServer } from '../support/test-server.js';

const STATION = 'CP-REMOTE-1';
const TAG = 'REMOTE-DRIVER';
const shot = (page: Page, name: string) => screenshot(page, `${engine}-station-${name}`);

/** `read` until `check` holds: the shared polling helper, keeping the value. */
const until = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 30_000) =>
  eventually(async () => {
    const value = await read();
    return check(value) ? { value } : undefined;
  }, what, timeoutMs).then((found) => found.value);

describe('a station’s configuration, reservations, firmware and diagnostics in the browser', { timeout: 90_000 }, () => {
  let server: TestServer;
  let dashboard: DashboardPage;
  let page: Page;
  let station: ChargePoint;

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.api('POST', '/api/v1/id-tags', { idTag: TAG })).status).toBe(201);
    station = await startStation({ url: `${server.url.replace(/^http/, 'ws')}/ocpp`, id: STATION, profile: 'wallbox', idTag: TAG, meterIntervalMs: 0, reconnect: false });
    await station.waitForRegistration('Accepted');
    // The backend reads the configuration once the station has booted.
    await until(async () => (await server.api('GET', `/api/v1/stations/${STATION}/configuration`)).body, (body) => body.keys?.length > 0, 'the stored configuration');
    dashboard = await openLoggedIn(server.url, TEST_ADMIN, { locale: 'en-US' });
    page = dashboard.page;
    await page.goto(`${server.url}/stations/${STATION}`);
    await page.getByRole('heading', { name: `Station ${STATION}` }).waitFor();
  }, 90_000);

  afterAll(async () => {
    await dashboard?.close();
    await station?.close();
    await server?.close();
  });

  it('shows the stored configuration, changes a key on the station and reads it again', async () => {
    const panel = page.getByTestId('station-configuration');
    const row = panel.locator('tr[data-config-key="MeterValueSampleInterval"]');
    await row.getByText(station.config.value('MeterValueSampleInterval')!, { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Edit MeterValueSampleInterval' }).click();
    await panel.getByLabel('New value of MeterValueSampleInterval').fill('30');
    await panel.getByRole('form', { name: 'Change MeterValueSampleInterval' }).getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('MeterValueSampleInterval: Accepted').waitFor();
    await row.locator('td[data-label="Value"]').getByText('30', { exact: true }).waitFor();
    await row.locator('td[data-label="Last change"]').getByText(/^30 → Accepted, .* by /).waitFor();
    expect(station.config.value('MeterValueSampleInterval')).toBe('30');
    const stored = (await server.api('GET', `/api/v1/stations/${STATION}/configuration`)).body as { keys: Array<{ key: string; value: string; lastChange: { status: string } }> };
    expect(stored.keys.find((entry) => entry.key === 'MeterValueSampleInterval')).toMatchObject({ value: '30', lastChange: { status: 'Accepted' } });
    await panel.locator('tr[data-config-key="HeartbeatInterval"]').getByText('read-only').or(panel.getByRole('button', { name: 'Edit HeartbeatInterval' })).waitFor();

    await panel.getByRole('button', { name: 'Read again from the station' }).click();
    await page.getByRole('status').getByText(`Configuration read from ${STATION}: ${stored.keys.length} keys.`).waitFor();
    await shot(page, '01-configuration');
  });

  it('reserves a connector from the keyboard and cancels the reservation', async () => {
    const panel = page.getByTestId('station-reservations');
    await panel.getByText('No reservations for this station.').waitFor();
    const form = panel.getByRole('form', { name: 'Reserve' });
    await form.getByLabel('Connector').selectOption({ label: 'Connector 1' });
    await form.getByLabel('For id tag').fill(TAG);
    await form.getByLabel('For id tag').press('Enter');
    const made = await page.getByRole('status').getByText(new RegExp(`^Reservation \\d+ for ${TAG} is active until`)).textContent();
    const id = Number(/Reservation (\d+)/.exec(made!)![1]);
    const row = panel.locator(`tr[data-reservation="${id}"]`);
    await row.locator('td[data-label="Status"]').getByText('active').waitFor();
    expect((await server.api('GET', `/api/v1/reservations/${id}`)).body).toMatchObject({ stationId: STATION, connectorId: 1, idTag: TAG, status: 'active', stationStatus: 'Accepted' });

    await row.getByRole('button', { name: `Cancel reservation ${id}` }).click();
    await page.getByRole('status').getByText(`Reservation ${id}: cancelled.`).waitFor();
    await row.locator('td[data-label="Status"]').getByText('cancelled').waitFor();
    expect((await server.api('GET', `/api/v1/reservations/${id}`)).body).toMatchObject({ status: 'cancelled' });
    await shot(page, '02-reservations');
  });

  it('uploads a firmware file, installs it with the station’s progress shown, and requests diagnostics', async () => {
    const panel = page.getByTestId('station-maintenance');
    await panel.getByTestId('firmware-status').getByText('nothing reported').waitFor();
    const image = Buffer.from('simulated firmware image 2.1.0\n');
    await panel.getByLabel('Upload a firmware file').setInputFiles({ name: 'wallbox-2.1.0.bin', mimeType: 'application/octet-stream', buffer: image });
    await panel.getByRole('button', { name: 'Upload file' }).click();
    await page.getByRole('status').getByText(`Firmware wallbox-2.1.0.bin uploaded (${image.length} B).`).waitFor();
    const [file] = (await server.api('GET', '/api/v1/firmware')).body as Array<{ id: number; filename: string; size: number }>;
    expect(file).toMatchObject({ filename: 'wallbox-2.1.0.bin', size: image.length });
    // The uploaded file is chosen for the update.
    const form = panel.getByRole('form', { name: 'Firmware update' });
    expect(await form.getByLabel('Firmware file').inputValue()).toBe(String(file!.id));
    await form.getByRole('button', { name: 'Start update' }).click();
    await page.getByRole('status').getByText(/^Firmware update #\d+ sent: CP-REMOTE-1 downloads wallbox-2\.1\.0\.bin\.$/).waitFor();
    // The station reports Downloading … Installed; the panel follows without a reload.
    await panel.getByTestId('firmware-status').getByText('Installed').waitFor({ timeout: 30_000 });
    expect(((await server.api('GET', `/api/v1/stations/${STATION}/maintenance`)).body as { firmware: { status: string; update: { firmwareId: number } } }).firmware).toMatchObject({
      status: 'Installed',
      update: { firmwareId: file!.id },
    });

    await panel.getByRole('button', { name: 'Request diagnostics' }).click();
    await page.getByRole('status').getByText(/^Diagnostics requested: CP-REMOTE-1 uploads CP-REMOTE-1-.*\.log\.$/).waitFor();
    await panel.getByTestId('diagnostics-status').getByText('Uploaded').waitFor({ timeout: 30_000 });
    expect(((await server.api('GET', `/api/v1/stations/${STATION}/maintenance`)).body as { diagnostics: { status: string } }).diagnostics.status).toBe('Uploaded');
    await shot(page, '03-maintenance');
  });

  it('fits a phone’s screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('station-maintenance').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shot(page, '04-phone');
    expect(dashboard.errors).toEqual([]);
  });
});

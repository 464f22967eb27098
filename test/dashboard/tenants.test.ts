// Organisations in Debian's Chromium against the real backend: the platform's owner adds one with
// its first owner on the Security page; that owner logs in, sees the organisation's name, and
// finds none of the platform's stations, while the platform still sees its own. Then the
// platform hands a station over from its page, and it moves to the organisation's list.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLoggedIn, screenshot, type DashboardPage } from '../support/browser.js';
import { engine, startTestServer, TEST_ADMIN, type TestServer } from '../support/test-server.js';

const OWNER = { email: 'owner@northwind.example.test', password: 'northwind-owner-pw' };

describe('organisations in the browser', { timeout: 120_000 }, () => {
  let server: TestServer;
  let platform: DashboardPage | undefined;
  let northwind: DashboardPage | undefined;

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.api('POST', '/api/v1/stations', { id: 'PLATFORM-CP-1' })).status).toBe(201);
  });
  afterAll(async () => {
    await platform?.close();
    await northwind?.close();
    await server?.close();
  });

  it("are added by the platform's owner, whose new owner sees only their own organisation", async () => {
    platform = await openLoggedIn(server.url, TEST_ADMIN, { locale: 'en-US' });
    const page = platform.page;
    await page.getByRole('banner').getByText('· Platform').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Organisations' }).waitFor();
    await page.getByText('Add an organisation').click();
    const form = page.getByRole('form', { name: 'Add an organisation' });
    await form.getByLabel('Name').fill('Northwind Charging');
    await form.getByLabel("Its owner's e-mail").fill(OWNER.email);
    await form.getByLabel("Owner's initial password (at least 10 characters)").fill(OWNER.password);
    await form.getByRole('button', { name: 'Add organisation' }).click();
    await page.getByRole('status').getByText(`Northwind Charging added; ${OWNER.email} can now log in as its owner.`).waitFor();
    await page.locator('tr[data-tenant="Northwind Charging"]').waitFor();
    // The same name again: the backend's reason as it is.
    await form.getByLabel('Name').fill('Northwind Charging');
    await form.getByLabel("Its owner's e-mail").fill('someone-else@northwind.example.test');
    await form.getByLabel("Owner's initial password (at least 10 characters)").fill(OWNER.password);
    await form.getByRole('button', { name: 'Add organisation' }).click();
    await page.getByRole('status').getByText('The organisation could not be added: A tenant named "Northwind Charging" exists').waitFor();
    await screenshot(page, `${engine}-tenants-01-added`);

    northwind = await openLoggedIn(server.url, OWNER, { locale: 'en-US' });
    const theirs = northwind.page;
    await theirs.getByRole('banner').getByText('· Northwind Charging').waitFor();
    await theirs.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stations' }).click();
    await theirs.getByRole('heading', { name: 'Stations', level: 1 }).waitFor();
    await theirs.getByText('No stations').first().waitFor();
    expect(await theirs.getByText('PLATFORM-CP-1').count()).toBe(0);
    // Their Security page shows their organisation and offers no organisations list.
    await theirs.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
    await theirs.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    await theirs.getByRole('definition').getByText('Northwind Charging').waitFor();
    expect(await theirs.getByRole('heading', { name: 'Organisations' }).count()).toBe(0);
    await screenshot(theirs, `${engine}-tenants-02-own-view`);

    // The platform still has its station.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stations' }).click();
    await page.getByText('PLATFORM-CP-1').first().waitFor();
    expect([...platform.errors, ...northwind.errors]).toEqual([]);
  });

  it("hands a station over from the station's page; the organisation then has it", async () => {
    expect((await server.api('POST', '/api/v1/stations', { id: 'NORTHWIND-CP-1' })).status).toBe(201);
    const page = platform!.page;
    await page.goto(`${server.url}/stations/NORTHWIND-CP-1`);
    const form = page.getByRole('form', { name: 'Hand the station over' });
    await form.getByLabel('Organisation').selectOption({ label: 'Northwind Charging' });
    await form.getByRole('button', { name: 'Hand over' }).click();
    await page.getByText('Station NORTHWIND-CP-1 now belongs to Northwind Charging.').waitFor();
    await screenshot(page, `${engine}-tenants-03-handed-over`);
    await page.getByRole('link', { name: 'Back to the stations' }).click();
    await page.getByText('PLATFORM-CP-1').first().waitFor();
    expect(await page.getByText('NORTHWIND-CP-1').count()).toBe(0);

    const theirs = northwind!.page;
    await theirs.goto(`${server.url}/stations`);
    await theirs.getByText('NORTHWIND-CP-1').first().waitFor();
    // Their own admins are not offered a hand-over (it is the platform's to do).
    await theirs.goto(`${server.url}/stations/NORTHWIND-CP-1`);
    await theirs.getByRole('heading', { name: 'Station NORTHWIND-CP-1' }).waitFor();
    expect(await theirs.getByRole('form', { name: 'Hand the station over' }).count()).toBe(0);
    expect([...platform!.errors, ...northwind!.errors]).toEqual([]);
  });
});

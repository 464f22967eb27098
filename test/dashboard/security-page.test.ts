// The Security page in Debian's Chromium against the real backend: the owner adds an operator,
// changes a role, creates an API key whose secret is shown once (and works), revokes it (and it
// stops working), and finds these actions in the audit log; a station's security panel; the CA
// certificate and a revocation; an admin manages operators only; operators and viewers get no forms.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { openLoggedIn, screenshot, type DashboardPage } from '../support/browser.js';
import { engine, startTestServer, TEST_ADMIN, type TestServer } from '../support/test-server.js';

const OPERATOR = { email: 'operator@example.test', password: 'operator-password-1' };
const VIEWER = { email: 'viewer@example.test', password: 'viewer-password-12' };
const ADMIN = { email: 'second-admin@example.test', password: 'admin-password-123' };
const KEY_NAME = 'billing-export-script';
const STATION = 'CP-SEC-1';
const shot = (page: Page, name: string) => screenshot(page, `${engine}-security-${name}`);

describe('security page in the browser', { timeout: 120_000 }, () => {
  let server: TestServer;
  let dashboard: DashboardPage;
  let page: Page;
  let station: OcppTestClient | undefined;

  beforeAll(async () => {
    server = await startTestServer();
    dashboard = await openLoggedIn(server.url, TEST_ADMIN, { locale: 'en-US' });
    page = dashboard.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
  });

  afterAll(async () => {
    await dashboard?.close();
    await station?.close();
    await server?.close();
  });

  it('adds an operator, refuses a duplicate plainly, and changes a role', async () => {
    await page.locator(`tr[data-user="${TEST_ADMIN.email}"]`).getByText('(you)').waitFor();
    await page.getByText('Add a user').click();
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('E-mail').fill(OPERATOR.email);
    await form.getByLabel('Initial password (at least 10 characters)').fill(OPERATOR.password);
    await form.getByLabel('Role').selectOption('operator');
    await form.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').getByText(`${OPERATOR.email} added as operator.`).waitFor();
    const row = page.locator(`tr[data-user="${OPERATOR.email}"]`);
    await expect(row.getByLabel(`Role of ${OPERATOR.email}`).inputValue()).resolves.toBe('operator');
    const users = (await server.api('GET', '/api/v1/users')).body as { email: string; role: string }[];
    expect(users).toContainEqual(expect.objectContaining({ email: OPERATOR.email, role: 'operator' }));

    // The same address again: the backend's own reason, shown as it is.
    await form.getByLabel('E-mail').fill(OPERATOR.email);
    await form.getByLabel('Initial password (at least 10 characters)').fill(OPERATOR.password);
    await form.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').getByText(`The user could not be added: A user with the address ${OPERATOR.email} exists`).waitFor();

    // A role change from the table, and back.
    await row.getByLabel(`Role of ${OPERATOR.email}`).selectOption('viewer');
    await page.getByRole('status').getByText(`${OPERATOR.email} is now viewer.`).waitFor();
    await row.getByLabel(`Role of ${OPERATOR.email}`).selectOption('operator');
    await page.getByRole('status').getByText(`${OPERATOR.email} is now operator.`).waitFor();
    await shot(page, '01-users');
  });

  it('creates an API key, shows its secret once, and revokes it', async () => {
    await page.getByText('Create an API key').click();
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Name (what uses it)').fill(KEY_NAME);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Create API key' }).click();
    const shown = page.getByTestId('new-key-secret');
    await shown.getByText(`The secret of "${KEY_NAME}" is shown this once.`).waitFor();
    const secret = await shown.getByLabel('Secret').inputValue();
    expect(secret.length).toBeGreaterThan(16);
    await shot(page, '02-key-secret');

    // The secret is a working key with the role it was given.
    const asKey = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await asKey('/api/v1/stations')).status).toBe(200);
    expect((await asKey('/api/v1/users')).status).toBe(403);

    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await shown.waitFor({ state: 'detached' });
    await page.reload();
    await page.locator(`tr[data-api-key="${KEY_NAME}"]`).getByText('active').waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.locator(`tr[data-api-key="${KEY_NAME}"]`).getByRole('button', { name: `Revoke ${KEY_NAME}` }).click();
    await page.getByRole('status').getByText(`API key "${KEY_NAME}" revoked.`).waitFor();
    await page.locator(`tr[data-api-key="${KEY_NAME}"]`).getByText(/^revoked/).waitFor();
    expect((await asKey('/api/v1/stations')).status).toBe(401);
  });

  it('lists those actions in the audit log, newest first', async () => {
    const audit = page.getByRole('table', { name: 'Audit log' });
    await page.getByRole('region', { name: 'Audit log' }).getByRole('button', { name: 'Refresh' }).click();
    await audit.getByText('DELETE /api/v1/api-keys/:id').waitFor();
    const actions = await audit.locator('td[data-label="What"]').allInnerTexts();
    const revoked = actions.indexOf('DELETE /api/v1/api-keys/:id');
    const created = actions.indexOf('POST /api/v1/api-keys');
    const userAdded = actions.lastIndexOf('POST /api/v1/users');
    expect(revoked).toBeGreaterThanOrEqual(0);
    expect(created).toBeGreaterThan(revoked);
    expect(userAdded).toBeGreaterThan(created);
    // Who did it and how it ended: the owner, 201 for the user added, 409 for the duplicate.
    const statuses = await audit.locator('tr', { hasText: 'POST /api/v1/users' }).locator('td[data-label="Status"]').allInnerTexts();
    expect(statuses.sort()).toEqual(['201', '409']);
    await audit.locator('tr', { hasText: 'POST /api/v1/api-keys' }).getByText(TEST_ADMIN.email).waitFor();
    await shot(page, '03-audit-log');
  });

  it("shows a station's security profile, its security events and certificates", async () => {
    station = await OcppTestClient.connect(server.ocppUrl(STATION));
    expect((await boot(station)).status).toBe('Accepted');
    const timestamp = new Date(Date.now() - 60_000).toISOString();
    expect(await station.call('SecurityEventNotification', { type: 'InvalidCentralSystemCertificate', timestamp, techInfo: 'CN mismatch' })).toEqual({});
    await page.goto(`${server.url}/stations/${STATION}`);
    const panel = page.getByTestId('station-security');
    await panel.getByText('0 — no authentication').waitFor();
    const events = panel.getByRole('table', { name: 'Security events' });
    await events.getByText('InvalidCentralSystemCertificate').waitFor();
    await events.getByText('CN mismatch').waitFor();
    await panel.getByText('No certificate issued to this station.').waitFor();
    await panel.scrollIntoViewIfNeeded();
    await shot(page, '04-station-security');
  });

  it("shows our CA certificate and revokes a station's certificate by serial number", async () => {
    await page.goto(`${server.url}/security`);
    await expect(page.getByLabel('CA certificate (PEM)').inputValue()).resolves.toContain('-----BEGIN CERTIFICATE-----');
    await page.getByText('No certificate has been revoked.').waitFor();
    await page.getByText('Revoke a certificate').click();
    const form = page.getByRole('form', { name: 'Revoke a certificate' });
    await form.getByLabel('Serial number (hexadecimal)').fill('AB:CD:EF:01');
    await form.getByLabel('Station (optional)').fill(STATION);
    await form.getByLabel('Reason (optional)').fill('charger stolen');
    await form.getByRole('button', { name: 'Revoke certificate' }).click();
    // The backend keeps serial numbers in one spelling: lower-case hexadecimal, no colons.
    await page.getByRole('status').getByText('Certificate abcdef01 revoked.').waitFor();
    const row = page.locator('tr[data-revoked="abcdef01"]');
    await row.getByText('charger stolen').waitFor();
    await row.getByText(STATION).waitFor();
    expect((await server.api('GET', '/api/v1/certificate-revocations')).body).toContainEqual(expect.objectContaining({ serialNumber: 'abcdef01', stationId: STATION }));
    await page.getByRole('table', { name: 'Audit log' }).getByText('POST /api/v1/certificate-revocations').waitFor();
    await shot(page, '05-certificates');
  });

  it('lets an admin manage operators and viewers only, and says why', async () => {
    expect((await server.api('POST', '/api/v1/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    const admin = await openLoggedIn(server.url, ADMIN, { locale: 'en-US' });
    try {
      const { page: adminPage } = admin;
      await adminPage.goto(`${server.url}/security`);
      const owner = adminPage.locator(`tr[data-user="${TEST_ADMIN.email}"]`);
      await owner.getByText('only an owner manages admins and owners').waitFor();
      expect(await owner.getByRole('button').count()).toBe(0);
      const operatorRole = adminPage.locator(`tr[data-user="${OPERATOR.email}"]`).getByLabel(`Role of ${OPERATOR.email}`);
      expect(await operatorRole.locator('option').allInnerTexts()).toEqual(['operator', 'viewer']);
      await adminPage.getByText('Add a user').click();
      expect(await adminPage.getByRole('form', { name: 'Add a user' }).getByLabel('Role').locator('option').allInnerTexts()).toEqual(['operator', 'viewer']);
      await shot(adminPage, '06-admin');
      expect(admin.errors).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  it('offers an operator no forms', async () => {
    const operator = await openLoggedIn(server.url, OPERATOR, { locale: 'en-US' });
    try {
      await operator.page.goto(`${server.url}/security`);
      await operator.page.getByTestId('needs-admin').getByText('These need the admin or owner role; yours is operator.').waitFor();
      expect(await operator.page.getByRole('form').count()).toBe(0);
      expect(operator.errors).toEqual([]);
    } finally {
      await operator.close();
    }
  });

  it('offers a viewer no forms, on a phone too', async () => {
    expect((await server.api('POST', '/api/v1/users', { ...VIEWER, role: 'viewer' })).status).toBe(201);
    const viewer = await openLoggedIn(server.url, VIEWER, { locale: 'en-US', viewport: { width: 390, height: 844 } });
    try {
      const { page: phone } = viewer;
      await phone.goto(`${server.url}/security`);
      await phone.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
      await phone.getByTestId('needs-admin').getByText('These need the admin or owner role; yours is viewer.').waitFor();
      expect(await phone.getByRole('form').count()).toBe(0);
      expect(await phone.getByText('Add a user').count()).toBe(0);
      expect(await phone.getByText('Create an API key').count()).toBe(0);
      // The certificates are for everyone to read; revoking is not offered.
      await expect(phone.getByLabel('CA certificate (PEM)').inputValue()).resolves.toContain('-----BEGIN CERTIFICATE-----');
      await phone.locator('tr[data-revoked="abcdef01"]').waitFor();
      expect(await phone.getByText('Revoke a certificate').count()).toBe(0);
      await shot(phone, '07-viewer-phone');
      expect(viewer.errors).toEqual([]);
    } finally {
      await viewer.close();
    }
    expect(dashboard.errors).toEqual([]);
  });
});

// Tenant isolation over every API endpoint, table-driven from the OpenAPI document (a new route
// is covered without touching this file). Tenant Alpha has one of everything: a site with a
// circuit, a station that is connected with a finished (invoiced) and a running session, id tags
// and a group, a tariff assigned by default and to the group, a load priority, a billing mode,
// firmware, a reservation, a command, a viewer and keys. Tenant Bravo's owner, the strongest role
// there is, then calls every route:
// - with Alpha's ids in the path: the answer is 404 (or a 403 for what only the platform may do),
//   exactly what a missing id gets;
// - without path parameters, and with Alpha's ids in query strings and bodies: nothing in the
//   answer mentions Alpha, and nothing naming Alpha's things is created;
// and afterwards every read Alpha makes answers exactly as before.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { eventually } from '../authorization/fake-station.js';

let server: TestServer;
let alpha: TestTenant;
let bravo: TestTenant;
let alphaStation: OcppTestClient;
/** The value Alpha's things have, by the collection a path parameter follows. */
const alphaIds: Record<string, string> = {};

const energyTariff = (price: number) => ({
  currency: 'EUR',
  elements: [{ price_components: [{ type: 'ENERGY', price, vat: 19, step_size: 1 }] }],
});

function stationAnswers(action: string): unknown {
  switch (action) {
    case 'GetConfiguration':
      return { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] };
    case 'GetLocalListVersion':
      return { listVersion: 0 };
    case 'GetCompositeSchedule':
    case 'DataTransfer':
      return { status: 'Rejected' };
    case 'GetDiagnostics':
      return {};
    default:
      return { status: 'Accepted' };
  }
}

async function expectCreated(answer: Promise<{ status: number; body: any }>): Promise<any> {
  const { status, body } = await answer;
  expect(status, JSON.stringify(body)).toBeGreaterThanOrEqual(200);
  expect(status, JSON.stringify(body)).toBeLessThan(300);
  return body;
}

async function uploadFirmware(tenant: TestTenant, filename: string): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/firmware?filename=${filename}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(1000).fill(7),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: number }).id;
}

beforeAll(async () => {
  server = await startTestServer();
  alpha = await createTestTenant(server, 'Alpha Mobility');
  bravo = await createTestTenant(server, 'Bravo Energy');

  // Alpha's network.
  await expectCreated(alpha.api('POST', '/api/v1/sites', { id: 'alpha-site', name: 'Alpha Depot', timeZone: 'Europe/Berlin', gridLimitAmps: 63 }));
  const tariff = await expectCreated(alpha.api('POST', '/api/v1/tariffs', energyTariff(0.5)));
  await expectCreated(alpha.api('POST', '/api/v1/stations', { id: 'ALPHA-CP-1', siteId: 'alpha-site' }));
  const circuit = await expectCreated(alpha.api('POST', '/api/v1/sites/alpha-site/circuits', { name: 'Alpha feeder', limitAmps: 32, stationIds: ['ALPHA-CP-1'] }));
  await expectCreated(alpha.api('POST', '/api/v1/id-tags', { idTag: 'ALPHA-GROUP', ownerName: 'Alpha Fleet' }));
  await expectCreated(alpha.api('POST', '/api/v1/id-tags', { idTag: 'ALPHA-TAG-1', parentIdTag: 'ALPHA-GROUP', ownerName: 'Alpha Driver' }));
  await expectCreated(alpha.api('PUT', '/api/v1/tariff-assignments/default', { tariffId: tariff.id }));
  await expectCreated(alpha.api('PUT', '/api/v1/tariff-assignments/groups/ALPHA-GROUP', { tariffId: tariff.id }));
  await expectCreated(alpha.api('PUT', '/api/v1/load-priorities/ALPHA-GROUP', { priority: 5 }));
  await expectCreated(alpha.api('PUT', '/api/v1/invoice-customers/ALPHA-GROUP', { billing: 'receipt' }));
  const firmwareId = await uploadFirmware(alpha, 'alpha-fw.bin');
  const viewer = await expectCreated(alpha.api('POST', '/api/v1/users', { email: 'viewer@alpha.example.test', password: 'alpha-viewer-password', role: 'viewer' }));
  const key = await expectCreated(alpha.api('POST', '/api/v1/api-keys', { name: 'Alpha integration', role: 'operator' }));

  // Alpha's station charges: one session finished and billed, one running.
  alphaStation = await OcppTestClient.connect(server.ocppUrl('ALPHA-CP-1'), { onCall: stationAnswers });
  expect((await boot(alphaStation)).status).toBe('Accepted');
  await alphaStation.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  const startedAt = new Date(Date.now() - 3_600_000);
  const first = await alphaStation.call('StartTransaction', { connectorId: 1, idTag: 'ALPHA-TAG-1', meterStart: 0, timestamp: startedAt.toISOString() });
  expect(first.idTagInfo.status).toBe('Accepted');
  await alphaStation.call('MeterValues', {
    connectorId: 1,
    transactionId: first.transactionId,
    meterValue: [{ timestamp: new Date(startedAt.getTime() + 1_800_000).toISOString(), sampledValue: [{ value: '4000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
  });
  await alphaStation.call('StopTransaction', { transactionId: first.transactionId, meterStop: 7_500, timestamp: new Date().toISOString(), idTag: 'ALPHA-TAG-1' });
  await alphaStation.call('StartTransaction', { connectorId: 2, idTag: 'ALPHA-TAG-1', meterStart: 100, timestamp: new Date().toISOString() });
  const invoice = await eventually(async () => ((await alpha.api('GET', '/api/v1/invoices')).body as { id: number }[])[0], "Alpha's receipt");
  const reservation = await expectCreated(
    alpha.api('POST', '/api/v1/stations/ALPHA-CP-1/reservations', { connectorId: 1, idTag: 'ALPHA-TAG-1', expiryDate: new Date(Date.now() + 3_600_000).toISOString() }),
  );
  await expectCreated(alpha.api('POST', '/api/v1/stations/ALPHA-CP-1/commands/GetConfiguration', {}));

  Object.assign(alphaIds, {
    stations: 'ALPHA-CP-1',
    sites: 'alpha-site',
    'id-tags': 'ALPHA-TAG-1',
    sessions: String(first.transactionId),
    tariffs: tariff.id,
    invoices: String(invoice.id),
    reservations: String(reservation.id),
    firmware: String(firmwareId),
    users: String(viewer.id),
    'api-keys': String(key.id),
    tenants: String(alpha.id),
    circuits: circuit.id,
    'load-priorities': 'ALPHA-GROUP',
    'invoice-customers': 'ALPHA-GROUP',
    groups: 'ALPHA-GROUP',
    configuration: 'HeartbeatInterval',
    commands: 'Reset',
    files: '1',
  });

  // Bravo's own things, so its lists are not trivially empty.
  await expectCreated(bravo.api('POST', '/api/v1/sites', { id: 'bravo-site', name: 'Bravo Yard', timeZone: 'UTC', gridLimitAmps: 32 }));
  await expectCreated(bravo.api('POST', '/api/v1/stations', { id: 'BRAVO-CP-1', siteId: 'bravo-site' }));
  await expectCreated(bravo.api('POST', '/api/v1/id-tags', { idTag: 'BRAVO-TAG-1' }));
  await expectCreated(bravo.api('POST', '/api/v1/tariffs', energyTariff(0.3)));
}, 60_000);

afterAll(async () => {
  await alphaStation?.close();
  await server.close();
});

interface Route {
  method: string;
  path: string;
  /** Whether a path parameter names one of Alpha's things. */
  namesAlpha: boolean;
}

/** Every /api/v1 route of the OpenAPI document but log-in and log-out, with Alpha's ids filled in. */
async function apiRoutes(): Promise<Route[]> {
  const document = (await server.api('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/v1/') || path.startsWith('/api/v1/auth/')) continue;
    const segments = path.split('/');
    const filled = segments
      .map((segment, index) => {
        if (!/^\{.+\}/.test(segment)) return segment;
        const value = alphaIds[segments[index - 1]!];
        if (value === undefined) throw new Error(`the test has no Alpha value for ${segment} in ${path}`);
        return segment.replace(/^\{[^}]+\}/, encodeURIComponent(value));
      })
      .join('/');
    for (const method of Object.keys(operations)) routes.push({ method: method.toUpperCase(), path: filled, namesAlpha: filled !== path });
  }
  return routes;
}

/** Calls as a tenant; a stream (the live feed) is only opened and closed. */
async function call(tenant: TestTenant, method: string, path: string, body?: unknown): Promise<{ status: number; text: string; stream: boolean }> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tenant.key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: controller.signal,
  });
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    controller.abort();
    return { status: response.status, text: '', stream: true };
  }
  return { status: response.status, text: await response.text(), stream: false };
}

/** What Alpha reads through every GET route that does not change by itself while the test runs. */
async function alphaView(routes: Route[]): Promise<Map<string, string>> {
  const view = new Map<string, string>();
  // Station activity, timestamps of use and the audit log move on their own (or by Alpha's reads).
  const moving = /\/(messages|commands|load|load\/history|events\/stream|overview|audit-log|api-keys|maintenance|security-events|exports\/archive)$/;
  for (const route of routes) {
    if (route.method !== 'GET' || moving.test(route.path)) continue;
    const answer = await call(alpha, 'GET', route.path);
    // (A running or re-estimated cost is dated by the read.)
    view.set(route.path, `${answer.status} ${answer.text.replace(/"(lastSeenAt|lastUsedAt|online|ratedAt)":[^,}]*/g, '')}`);
  }
  return view;
}

const mentionsAlpha = (text: string) => /alpha/i.test(text);

describe("one tenant's people and keys", () => {
  it("cannot read or change another tenant's data through any endpoint", async () => {
    const routes = await apiRoutes();
    expect(routes.length).toBeGreaterThan(80);
    const before = await alphaView(routes);

    const failures: string[] = [];
    for (const route of routes) {
      const answer = await call(bravo, route.method, route.path, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
      const label = `${route.method} ${route.path} → ${answer.status}`;
      if (route.namesAlpha && /\/(stations|sites|id-tags|sessions|tariffs|invoices|reservations|firmware|users|api-keys)\//.test(route.path + '/')) {
        // A named thing of Alpha's: missing, whatever the method (a 403 is a platform-only route).
        if (answer.status !== 404 && answer.status !== 403) failures.push(`${label}: expected 404`);
      } else if (route.path.startsWith('/api/v1/audit-log')) {
        // Bravo's own log names what Bravo typed (Alpha's ids included), and only Bravo's people.
        const actors = new Set((JSON.parse(answer.text) as { actor: string }[]).map((entry) => entry.actor));
        if ([...actors].some((actor) => !actor.startsWith('Bravo') && !actor.includes('bravo'))) failures.push(`${label}: another tenant's actors ${[...actors].join(', ')}`);
      } else if (answer.status < 500 && mentionsAlpha(answer.text) && !route.namesAlpha) {
        failures.push(`${label}: the answer mentions Alpha: ${answer.text.slice(0, 200)}`);
      } else if (answer.status >= 500) {
        failures.push(`${label}: server error ${answer.text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);

    const after = await alphaView(routes);
    expect([...after.entries()]).toEqual([...before.entries()]);
    // No command reached Alpha's station on Bravo's behalf.
    const commands = (await alpha.api('GET', '/api/v1/stations/ALPHA-CP-1/commands')).body as { requestedBy: string }[];
    expect(commands.map((command) => command.requestedBy)).not.toContain('Bravo Energy owner key');
  });

  it("finds nothing of another tenant's through query filters", async () => {
    const reads = [
      '/api/v1/stations?siteId=alpha-site',
      '/api/v1/sessions?stationId=ALPHA-CP-1',
      '/api/v1/sessions?idTag=ALPHA-TAG-1',
      '/api/v1/id-tags?parentIdTag=ALPHA-GROUP',
      '/api/v1/orphan-stops?stationId=ALPHA-CP-1',
      '/api/v1/reservations?stationId=ALPHA-CP-1',
      '/api/v1/exports/sessions.csv?stationId=ALPHA-CP-1',
      '/api/v1/reports/energy-revenue?groupBy=station',
      '/api/v1/reports/energy-revenue.csv?groupBy=idTag',
      '/api/v1/invoices?customer=ALPHA-GROUP',
    ];
    const alphaInAudit = await call(bravo, 'GET', '/api/v1/audit-log?actor=Alpha%20Mobility%20owner%20key');
    expect(JSON.parse(alphaInAudit.text)).toEqual([]);
    for (const path of reads) {
      const answer = await call(bravo, 'GET', path);
      expect([path, answer.status < 500, mentionsAlpha(answer.text)]).toEqual([path, true, false]);
    }
  });

  it("cannot point its own things at another tenant's", async () => {
    const tariffOfAlpha = alphaIds['tariffs']!;
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/v1/stations', { id: 'BRAVO-CP-2', siteId: 'alpha-site' }],
      ['POST', '/api/v1/stations', { id: 'BRAVO-CP-3', tariffId: tariffOfAlpha }],
      ['PATCH', '/api/v1/stations/BRAVO-CP-1', { siteId: 'alpha-site' }],
      ['PATCH', '/api/v1/stations/BRAVO-CP-1', { tariffId: tariffOfAlpha }],
      ['POST', '/api/v1/sites', { id: 'bravo-2', name: 'Bravo 2', timeZone: 'UTC', tariffId: tariffOfAlpha }],
      ['PATCH', '/api/v1/sites/bravo-site', { tariffId: tariffOfAlpha }],
      ['PUT', '/api/v1/tariff-assignments/default', { tariffId: tariffOfAlpha }],
      ['POST', '/api/v1/sites/bravo-site/circuits', { name: 'Stolen', limitAmps: 16, stationIds: ['ALPHA-CP-1'] }],
      ['POST', '/api/v1/stations/BRAVO-CP-1/firmware-update', { firmwareId: Number(alphaIds['firmware']), retrieveDate: new Date().toISOString() }],
      ['POST', '/api/v1/stations/ALPHA-CP-1/commands/Reset', { type: 'Soft' }],
      ['POST', '/api/v1/stations', { id: 'ALPHA-CP-1' }],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await call(bravo, method, path, body);
      expect([method, path, answer.status >= 400 && answer.status < 500, mentionsAlpha(answer.text.replace(/ALPHA-TAG-1|ALPHA-CP-1|alpha-site/g, ''))]).toEqual([method, path, true, false]);
    }
    // Bravo's things are as they were.
    expect((await bravo.api('GET', '/api/v1/stations/BRAVO-CP-1')).body).toMatchObject({ siteId: 'bravo-site', tariffId: null });
    expect((await bravo.api('GET', '/api/v1/sites/bravo-site/circuits')).body).toEqual([]);

    // Registering a card Alpha has makes Bravo's own row of it (id tags are per tenant): Alpha's is untouched, and gone again it leaves Alpha's.
    const alphaTag = (await alpha.api('GET', '/api/v1/id-tags/ALPHA-TAG-1')).body;
    const copy = await call(bravo, 'POST', '/api/v1/id-tags', { idTag: 'ALPHA-TAG-1', status: 'Blocked' });
    expect([copy.status, JSON.parse(copy.text)]).toMatchObject([201, { idTag: 'ALPHA-TAG-1', status: 'Blocked', parentIdTag: null, ownerName: null }]);
    expect((await call(bravo, 'DELETE', '/api/v1/id-tags/ALPHA-TAG-1')).status).toBe(204);
    expect((await alpha.api('GET', '/api/v1/id-tags/ALPHA-TAG-1')).body).toEqual(alphaTag);
  });

  it("never lets a station use another tenant's id tags", async () => {
    const bravoStation = await OcppTestClient.connect(server.ocppUrl('BRAVO-CP-1'), { onCall: stationAnswers });
    try {
      expect((await boot(bravoStation)).status).toBe('Accepted');
      expect((await bravoStation.call('Authorize', { idTag: 'ALPHA-TAG-1' })).idTagInfo.status).toBe('Invalid');
      expect((await bravoStation.call('Authorize', { idTag: 'BRAVO-TAG-1' })).idTagInfo.status).toBe('Accepted');
      expect((await alphaStation.call('Authorize', { idTag: 'BRAVO-TAG-1' })).idTagInfo.status).toBe('Invalid');
    } finally {
      await bravoStation.close();
    }
  });
});

// Roles on every API route, table-driven over the OpenAPI document (so a new route is covered
// without touching this file): a viewer reads but can change nothing; an operator runs the
// network but not people, keys or station security; owners alone manage admins. Plus API-key
// revocation, the users API and the audit log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/test-server.js';

let server: TestServer;
const keys: Record<'admin' | 'operator' | 'viewer', string> = { admin: '', operator: '', viewer: '' };

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.api('POST', '/api/v1/stations', { id: 'ROLE-1' })).status).toBe(201);
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    const created = await server.api('POST', '/api/v1/api-keys', { name: `${role} key`, role });
    expect(created.status).toBe(201);
    keys[role] = created.body.secret;
  }
});
afterAll(() => server.close());

async function as(secret: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: controller.signal,
  });
  // Streams (the live feed) answer with headers and stay open: the status is all we need.
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    controller.abort();
    return { status: response.status, body: undefined };
  }
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : text };
}

interface Route {
  method: string;
  path: string;
}

/** Every /api/v1 route of the OpenAPI document except log-in, with its parameters filled in. */
async function apiRoutes(): Promise<Route[]> {
  const document = (await server.api('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/v1/') || path.startsWith('/api/v1/auth/')) continue;
    const filled = path.replace(/\{id\}/g, path.startsWith('/api/v1/stations') ? 'ROLE-1' : '1').replace(/\{action\}/g, 'Reset').replace(/\{[^}]+\}/g, 'X');
    for (const method of Object.keys(operations)) routes.push({ method: method.toUpperCase(), path: filled });
  }
  return routes;
}

/** Routes only admins and owners may call, whatever the method. */
const ADMIN_ONLY = [/^\/api\/v1\/exports\/archive$/, /^\/api\/v1\/imports\/archive$/, /^\/api\/v1\/users/, /^\/api\/v1\/api-keys/, /^\/api\/v1\/audit-log/, /^\/api\/v1\/certificate-revocations$/, /\/password\/rotate$/, /\/security-profile\/upgrade$/, /^\/api\/v1\/tenants/];
const adminOnly = (route: Route) => ADMIN_ONLY.some((pattern) => pattern.test(route.path)) && !(route.method === 'GET' && route.path === '/api/v1/certificate-revocations');

describe('the OpenAPI document', () => {
  it("says each route's role", async () => {
    const { paths } = (await server.api('GET', '/api/openapi.json')).body;
    expect(paths['/api/v1/stations'].get.description).toMatch(/^Needs the viewer role or stronger\./);
    expect(paths['/api/v1/stations/{id}/commands/{action}'].post.description).toMatch(/^Needs the operator role or stronger\. Action is one of/);
    expect(paths['/api/v1/users'].post.description).toMatch(/^Needs the admin role or stronger\./);
  });
});

describe('viewer', () => {
  it('may read every GET route but call no other one (403 before anything happens)', async () => {
    const routes = await apiRoutes();
    const changing = routes.filter((route) => route.method !== 'GET');
    expect(changing.length).toBeGreaterThan(15);
    for (const route of routes) {
      const answer = await as(keys.viewer, route.method, route.path, route.method === 'GET' ? undefined : {});
      const expected = route.method !== 'GET' || adminOnly(route) ? 403 : 'not 403';
      expect([`${route.method} ${route.path}`, answer.status === 403 ? 403 : 'not 403']).toEqual([`${route.method} ${route.path}`, expected]);
      if (expected === 'not 403') expect(answer.status, `${route.method} ${route.path}`).not.toBe(401);
    }
    // Nothing changed: the station is as it was, and no command was sent.
    const station = await server.api('GET', '/api/v1/stations/ROLE-1');
    expect(station.body).toMatchObject({ registration: 'accepted', siteId: null, securityProfile: 0 });
    expect((await server.api('GET', '/api/v1/stations/ROLE-1/commands')).body).toEqual([]);
  });

  it('cannot send a command, and the refusal is audited', async () => {
    const refused = await as(keys.viewer, 'POST', '/api/v1/stations/ROLE-1/commands/RemoteStartTransaction', { idTag: 'X' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('viewer');
    const audit = await server.api('GET', '/api/v1/audit-log?actor=viewer%20key&limit=1');
    expect(audit.body[0]).toMatchObject({
      actorKind: 'api-key',
      actor: 'viewer key',
      role: 'viewer',
      action: 'POST /api/v1/stations/:id/commands/:action',
      target: 'ROLE-1',
      params: { id: 'ROLE-1', action: 'RemoteStartTransaction' },
      outcome: 403,
    });
  });
});

describe('operator', () => {
  it('may send commands and change ordinary station settings, but not people, keys or station security', async () => {
    // Offline station: 409 means the role check passed.
    expect((await as(keys.operator, 'POST', '/api/v1/stations/ROLE-1/commands/Reset', { type: 'Soft' })).status).toBe(409);
    expect((await as(keys.operator, 'POST', '/api/v1/stations/ROLE-1/commands/ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' })).status).toBe(409);
    expect((await as(keys.operator, 'POST', '/api/v1/stations/ROLE-1/commands/ChangeConfiguration', { key: 'AuthorizationKey', value: '00' })).status).toBe(403);
    expect((await as(keys.operator, 'POST', '/api/v1/stations/ROLE-1/commands/InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: 'x' })).status).toBe(403);
    expect((await as(keys.operator, 'PATCH', '/api/v1/stations/ROLE-1', { timeZone: 'Europe/Berlin' })).status).toBe(200);
    expect((await as(keys.operator, 'PATCH', '/api/v1/stations/ROLE-1', { password: 'a-new-password' })).status).toBe(403);
    expect((await as(keys.operator, 'PATCH', '/api/v1/stations/ROLE-1', { securityProfile: 1 })).status).toBe(403);
    for (const route of (await apiRoutes()).filter(adminOnly)) {
      expect([route.method, route.path, (await as(keys.operator, route.method, route.path, route.method === 'GET' ? undefined : {})).status]).toEqual([route.method, route.path, 403]);
    }
  });
});

describe('users and API keys', () => {
  it('lets an admin manage operators and viewers, and only an owner manage admins', async () => {
    const operator = await as(keys.admin, 'POST', '/api/v1/users', { email: 'op@example.test', password: 'operator-password', role: 'operator' });
    expect(operator.status).toBe(201);
    expect(operator.body).toMatchObject({ email: 'op@example.test', role: 'operator', lastLoginAt: null });
    expect(operator.body).not.toHaveProperty('passwordHash');
    expect((await as(keys.admin, 'POST', '/api/v1/users', { email: 'adm@example.test', password: 'admin-password', role: 'admin' })).status).toBe(403);
    expect((await as(keys.admin, 'PATCH', `/api/v1/users/${operator.body.id}`, { role: 'admin' })).status).toBe(403);
    expect((await as(keys.admin, 'PATCH', `/api/v1/users/${operator.body.id}`, { role: 'viewer' })).body.role).toBe('viewer');
    expect((await as(keys.admin, 'POST', '/api/v1/api-keys', { name: 'nope', role: 'admin' })).status).toBe(403);

    const admin = await server.api('POST', '/api/v1/users', { email: 'adm@example.test', password: 'admin-password', role: 'admin' });
    expect(admin.status).toBe(201);
    expect((await as(keys.admin, 'DELETE', `/api/v1/users/${admin.body.id}`)).status).toBe(403);
    expect((await server.api('DELETE', `/api/v1/users/${admin.body.id}`)).status).toBe(204);

    // The last owner stays an owner.
    const users = (await server.api('GET', '/api/v1/users')).body as { id: number; role: string }[];
    const owner = users.find((user) => user.role === 'owner')!;
    expect((await server.api('PATCH', `/api/v1/users/${owner.id}`, { role: 'admin' })).status).toBe(409);
    expect((await server.api('DELETE', `/api/v1/users/${owner.id}`)).status).toBe(409);
  });

  it('lets a viewer log in to the dashboard and read, but not send commands', async () => {
    await server.api('POST', '/api/v1/users', { email: 'look@example.test', password: 'viewer-password', role: 'viewer' });
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'look@example.test', password: 'viewer-password' }),
    });
    const me = (await login.json()) as { role: string; csrfToken: string };
    expect(me.role).toBe('viewer');
    const logins = await server.api('GET', '/api/v1/audit-log?actor=look@example.test');
    expect(logins.body[0]).toMatchObject({ actorKind: 'user', role: 'viewer', action: 'POST /api/v1/auth/login', outcome: 200 });
    const cookie = /^(csms_session=[^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    expect((await fetch(`${server.url}/api/v1/stations`, { headers: { cookie } })).status).toBe(200);
    const command = await fetch(`${server.url}/api/v1/stations/ROLE-1/commands/Reset`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'Hard' }),
    });
    expect(command.status).toBe(403);

    // Their own password, and nothing else about themselves.
    const self = (await server.api('GET', '/api/v1/users')).body.find((user: { email: string }) => user.email === 'look@example.test');
    const change = (body: unknown) =>
      fetch(`${server.url}/api/v1/users/${self.id}`, {
        method: 'PATCH',
        headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await change({ password: 'a-new-viewer-password' })).status).toBe(200);
    expect((await change({ role: 'admin' })).status).toBe(403);
  });

  it('stores only a hash of an API key and stops a revoked key at once', async () => {
    const created = await server.api('POST', '/api/v1/api-keys', { name: 'short-lived', role: 'viewer' });
    expect(created.body.secret).toMatch(/^ocpp_/);
    expect((await as(created.body.secret, 'GET', '/api/v1/stations')).status).toBe(200);
    const listed = (await server.api('GET', '/api/v1/api-keys')).body as Record<string, unknown>[];
    expect(listed.find((key) => key['id'] === created.body.id)).toMatchObject({ name: 'short-lived', role: 'viewer', createdBy: 'bootstrap', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.body.secret);
    const revoked = await server.api('DELETE', `/api/v1/api-keys/${created.body.id}`);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await as(created.body.secret, 'GET', '/api/v1/stations')).status).toBe(401);
    // The bootstrap key is the owner's.
    expect((await as(TEST_API_KEY, 'GET', '/api/v1/audit-log')).status).toBe(200);
  });
});

// Dashboard log-in: the bootstrap administrator, the session cookie, CSRF protection of
// cookie-authenticated changes, log-out, and the throttle on wrong passwords.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUser } from '../../src/capabilities/security/users.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Login {
  status: number;
  cookie: string | undefined;
  setCookie: string;
  body: { email?: string; role?: string; csrfToken?: string; detail?: string };
}

async function login(email: string, password: string): Promise<Login> {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { status: response.status, cookie: /^(csms_session=[^;]+)/.exec(setCookie)?.[1], setCookie, body: (await response.json()) as Login['body'] };
}

const withCookie = (cookie: string, method = 'GET', extra: Record<string, string> = {}, body?: unknown) =>
  fetch(`${server.url}${extra['path'] ?? '/api/v1/stations'}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...Object.fromEntries(Object.entries(extra).filter(([name]) => name !== 'path')) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

describe('dashboard log-in', () => {
  it('logs the administrator in with an HttpOnly, SameSite=Strict session cookie, case-insensitively by address', async () => {
    const result = await login(TEST_ADMIN.email.toUpperCase(), TEST_ADMIN.password);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ email: TEST_ADMIN.email, role: 'owner' });
    expect(result.body.csrfToken?.length).toBeGreaterThan(20);
    expect(result.setCookie).toMatch(/HttpOnly/i);
    expect(result.setCookie).toMatch(/SameSite=Strict/i);
    expect(result.setCookie).toMatch(/Path=\//);
    expect(result.cookie).toBeDefined();

    const session = await withCookie(result.cookie!, 'GET', { path: '/api/v1/auth/session' });
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual({ email: TEST_ADMIN.email, role: 'owner', tenant: { id: 1, name: 'Platform', platform: true }, csrfToken: result.body.csrfToken });
    expect((await withCookie(result.cookie!)).status).toBe(200);
  });

  it('refuses a wrong password or an unknown address with the same answer', async () => {
    const wrong = await login(TEST_ADMIN.email, 'not the password');
    const unknown = await login('nobody@example.test', 'whatever');
    for (const result of [wrong, unknown]) {
      expect(result.status).toBe(401);
      expect(result.cookie).toBeUndefined();
      expect(result.body.detail).toBe('Wrong e-mail address or password');
    }
    expect((await fetch(`${server.url}/api/v1/auth/session`)).status).toBe(401);
  });

  it('needs the CSRF token for changes made with the cookie, not for reads, and not with an API key', async () => {
    const { cookie, body } = await login(TEST_ADMIN.email, TEST_ADMIN.password);
    const tag = { idTag: 'CSRF-1' };
    const withoutToken = await withCookie(cookie!, 'POST', { path: '/api/v1/id-tags' }, tag);
    expect(withoutToken.status).toBe(403);
    expect(((await withoutToken.json()) as { detail: string }).detail).toContain('x-csrf-token');
    const wrongToken = await withCookie(cookie!, 'POST', { path: '/api/v1/id-tags', 'x-csrf-token': 'forged' }, tag);
    expect(wrongToken.status).toBe(403);
    const withToken = await withCookie(cookie!, 'POST', { path: '/api/v1/id-tags', 'x-csrf-token': body.csrfToken! }, tag);
    expect(withToken.status).toBe(201);
    expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'CSRF-2' })).status).toBe(201);
  });

  it('records the logged-in person as the sender of a command', async () => {
    const { cookie, body } = await login(TEST_ADMIN.email, TEST_ADMIN.password);
    expect((await server.api('POST', '/api/v1/stations', { id: 'LOGIN-CP' })).status).toBe(201);
    const command = await withCookie(cookie!, 'POST', { path: '/api/v1/stations/LOGIN-CP/commands/ClearCache', 'x-csrf-token': body.csrfToken! }, {});
    expect(command.status).toBe(409); // not connected, but recorded
    const { body: sent } = await server.api('GET', '/api/v1/stations/LOGIN-CP/commands');
    expect(sent[0]).toMatchObject({ action: 'ClearCache', outcome: 'offline', requestedBy: TEST_ADMIN.email });
  });

  it('ends the session on log-out', async () => {
    const { cookie } = await login(TEST_ADMIN.email, TEST_ADMIN.password);
    const out = await withCookie(cookie!, 'POST', { path: '/api/v1/auth/logout' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/csms_session=;/);
    const after = await withCookie(cookie!);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { detail: string }).detail).toContain('log in again');
  });

  it('locks an address for a while after five wrong passwords', async () => {
    const email = 'throttled@example.test';
    await ensureAdminUser(server.server.storage.db, { email, password: 'the right password' });
    for (let i = 0; i < 5; i++) expect((await login(email, `wrong ${i}`)).status).toBe(401);
    const locked = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'the right password' }),
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the bootstrap administrator', () => {
  it('ADMIN_PASSWORD sets exactly that password on the next start', async () => {
    const db = server.server.storage.db;
    await ensureAdminUser(db, { email: 'reset@example.test', password: 'first password' });
    expect((await login('reset@example.test', 'first password')).status).toBe(200);
    await ensureAdminUser(db, { email: 'reset@example.test', password: 'second password' });
    expect((await login('reset@example.test', 'first password')).status).toBe(401);
    expect((await login('reset@example.test', 'second password')).status).toBe(200);
  });

  it('without a password, creates a named administrator once and returns the generated password', async () => {
    const db = server.server.storage.db;
    const generated = await ensureAdminUser(db, { email: 'Ops@Example.test', password: undefined });
    expect(generated).toMatchObject({ email: 'ops@example.test' });
    expect((await login('ops@example.test', generated!.password)).status).toBe(200);
    expect(await ensureAdminUser(db, { email: 'ops@example.test', password: undefined })).toBeUndefined();
    // Users exist, so a start without ADMIN_EMAIL creates nobody.
    expect(await ensureAdminUser(db, { email: undefined, password: undefined })).toBeUndefined();
  });
});

// A second (third, ...) tenant for a test: created by the platform's key with its first owner,
// who logs in and makes the tenant's own API key. `api` then calls as that tenant.

import type { TestServer } from './test-server.js';

export interface TestTenant {
  id: number;
  name: string;
  owner: { email: string; password: string };
  /** The tenant's owner API key. */
  key: string;
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
}

export async function createTestTenant(server: TestServer, name: string): Promise<TestTenant> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const owner = { email: `owner@${slug}.example.test`, password: `${slug}-owner-password` };
  const created = await server.api('POST', '/api/v1/tenants', { name, owner });
  if (created.status !== 201) throw new Error(`tenant ${name} not created: ${created.status} ${JSON.stringify(created.body)}`);

  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(owner),
  });
  if (login.status !== 200) throw new Error(`owner of ${name} cannot log in: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const keyAnswer = await fetch(`${server.url}/api/v1/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: `${name} owner key`, role: 'owner' }),
  });
  if (keyAnswer.status !== 201) throw new Error(`no key for ${name}: ${keyAnswer.status}`);
  const key = ((await keyAnswer.json()) as { secret: string }).secret;

  return {
    id: created.body.id,
    name,
    owner,
    key,
    async api(method, path, body) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (CSV, HTML, PDF): the text
      }
      return { status: response.status, body: parsed as any, headers: response.headers };
    },
  };
}

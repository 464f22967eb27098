// Tenants themselves: the platform's admins create them with a first owner, who works inside
// the new tenant only; nobody else lists or changes tenants.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';

let server: TestServer;
let acme: TestTenant;

beforeAll(async () => {
  server = await startTestServer();
  acme = await createTestTenant(server, 'Acme Charging');
});
afterAll(() => server.close());

describe('tenants', () => {
  it('are created by the platform with their first owner, who sees only their own tenant', async () => {
    const listed = (await server.api('GET', '/api/v1/tenants')).body as { id: number; name: string; platform: boolean }[];
    expect(listed.map((tenant) => [tenant.name, tenant.platform])).toEqual([
      ['Platform', true],
      ['Acme Charging', false],
    ]);
    expect((await acme.api('GET', '/api/v1/tenant')).body).toMatchObject({ id: acme.id, name: 'Acme Charging', platform: false });
    expect((await acme.api('GET', '/api/v1/tenants')).status).toBe(403);
    expect((await acme.api('POST', '/api/v1/tenants', { name: 'Sneaky', owner: { email: 'x@sneaky.test', password: 'sneaky-password' } })).status).toBe(403);
    // The new owner's people and keys are the new tenant's only.
    const users = (await acme.api('GET', '/api/v1/users')).body as { email: string }[];
    expect(users.map((user) => user.email)).toEqual([acme.owner.email]);
    const keys = (await acme.api('GET', '/api/v1/api-keys')).body as { name: string }[];
    expect(keys.map((key) => key.name)).toEqual(['Acme Charging owner key']);
    expect(((await server.api('GET', '/api/v1/users')).body as { email: string }[]).map((user) => user.email)).not.toContain(acme.owner.email);
  });

  it('refuse a taken name or owner address, and a bad body, without creating anything', async () => {
    expect((await server.api('POST', '/api/v1/tenants', { name: 'Acme Charging', owner: { email: 'new@acme2.test', password: 'long-enough-pw' } })).status).toBe(409);
    expect((await server.api('POST', '/api/v1/tenants', { name: 'Other', owner: { email: acme.owner.email, password: 'long-enough-pw' } })).status).toBe(409);
    expect((await server.api('POST', '/api/v1/tenants', { name: 'Other' })).status).toBe(400);
    expect(((await server.api('GET', '/api/v1/tenants')).body as unknown[]).length).toBe(2);
  });

  it('may be renamed by their own admins or the platform, not by another tenant', async () => {
    expect((await acme.api('PATCH', `/api/v1/tenants/${acme.id}`, { invoiceAddress: '1 Main St' })).body).toMatchObject({ invoiceAddress: '1 Main St' });
    expect((await acme.api('PATCH', '/api/v1/tenants/1', { name: 'Taken over' })).status).toBe(403);
    expect((await server.api('PATCH', `/api/v1/tenants/${acme.id}`, { vatId: 'DE123' })).body).toMatchObject({ name: 'Acme Charging', vatId: 'DE123' });
    expect((await server.api('PATCH', `/api/v1/tenants/${acme.id}`, { name: 'Platform' })).status).toBe(409);
    expect((await server.api('PATCH', '/api/v1/tenants/999', { vatId: 'X' })).status).toBe(404);
  });

  it("get further owners from the platform only (e.g. after an import, which carries no people)", async () => {
    const second = { email: 'second@acme.example.test', password: 'second-owner-password' };
    expect((await acme.api('POST', `/api/v1/tenants/${acme.id}/owners`, second)).status).toBe(403);
    expect((await server.api('POST', '/api/v1/tenants/999/owners', second)).status).toBe(404);
    expect((await server.api('POST', `/api/v1/tenants/${acme.id}/owners`, second)).body).toEqual({ tenantId: acme.id, email: second.email, role: 'owner' });
    expect((await server.api('POST', `/api/v1/tenants/${acme.id}/owners`, second)).status).toBe(409);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(second) });
    expect(((await login.json()) as { tenant: { name: string } }).tenant.name).toBe('Acme Charging');
    const owners = ((await acme.api('GET', '/api/v1/users')).body as { email: string; role: string }[]).filter((user) => user.role === 'owner');
    expect(owners.map((user) => user.email).sort()).toEqual([acme.owner.email, second.email].sort());
    // Tidy: back to one owner, so the next test finds the last one.
    const added = ((await acme.api('GET', '/api/v1/users')).body as { id: number; email: string }[]).find((user) => user.email === second.email)!;
    expect((await acme.api('DELETE', `/api/v1/users/${added.id}`)).status).toBe(204);
  });

  it("keep the last owner of each tenant", async () => {
    const owner = ((await acme.api('GET', '/api/v1/users')).body as { id: number }[])[0]!;
    expect((await acme.api('DELETE', `/api/v1/users/${owner.id}`)).status).toBe(409);
    // The platform's people cannot reach another tenant's people at all.
    expect((await server.api('DELETE', `/api/v1/users/${owner.id}`)).status).toBe(404);
  });
});

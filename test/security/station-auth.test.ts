// Security profile 1 end to end: Basic auth before the upgrade, the policy for stations without
// a password, password rotation through ChangeConfiguration AuthorizationKey, the station-auth
// throttle, and the rule that a profile is never lowered silently.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, OcppTestClient, type OcppClientOptions } from '../support/ocpp-client.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../support/test-server.js';
import { basicAuth, refusal } from './pki.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ STATION_AUTH_MAX_FAILURES: '3' });
});
afterAll(() => server.close());

const connect = (id: string, options: OcppClientOptions = {}) => OcppTestClient.connect(server.ocppUrl(id), options);
const withPassword = (id: string, password: string): OcppClientOptions => ({ headers: { Authorization: basicAuth(id, password) } });

describe('security profile 1', () => {
  const password = 'profile-one-secret';
  beforeAll(async () => {
    expect((await server.api('POST', '/api/v1/stations', { id: 'P1-1', password })).status).toBe(201);
    const patched = await server.api('PATCH', '/api/v1/stations/P1-1', { securityProfile: 1 });
    expect(patched.body).toMatchObject({ securityProfile: 1, hasPassword: true });
  });

  it('lets in the right password, and answers 401 to a wrong or missing one before any upgrade', async () => {
    const client = await connect('P1-1', withPassword('P1-1', password));
    expect((await boot(client)).status).toBe('Accepted');
    await client.close();
    const wrong = await refusal(connect('P1-1', withPassword('P1-1', 'not-the-password')));
    expect(wrong.statusCode).toBe(401);
    const missing = await refusal(connect('P1-1'));
    expect(missing.statusCode).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ status: 401, detail: 'Wrong or missing station credentials' });
  });

  it('refuses a profile-1 station that has no password, and will not take its password away', async () => {
    await server.api('POST', '/api/v1/stations', { id: 'P1-NOPW' });
    // Profile 0 without a password: let in (unsecured; the registration policy still applies).
    const open = await connect('P1-NOPW');
    await open.close();
    const refused = await server.api('PATCH', '/api/v1/stations/P1-NOPW', { securityProfile: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('needs a station password');
    expect((await server.api('PATCH', '/api/v1/stations/P1-1', { password: null })).status).toBe(409);
  });

  it('never lowers a profile silently', async () => {
    const silent = await server.api('PATCH', '/api/v1/stations/P1-1', { securityProfile: 0 });
    expect(silent.status).toBe(409);
    expect((await server.api('GET', '/api/v1/stations/P1-1')).body.securityProfile).toBe(1);
    const said = await server.api('PATCH', '/api/v1/stations/P1-1', { securityProfile: 0, allowDowngrade: true });
    expect(said.body.securityProfile).toBe(0);
    const audit = await server.api('GET', '/api/v1/audit-log?target=P1-1');
    expect(audit.body.slice(0, 2).map((entry: any) => [entry.action, entry.outcome])).toEqual([
      ['PATCH /api/v1/stations/:id', 200],
      ['PATCH /api/v1/stations/:id', 409],
    ]);
    expect((await server.api('PATCH', '/api/v1/stations/P1-1', { securityProfile: 1 })).status).toBe(200);
  });

  it('locks a station id after repeated wrong passwords (429, even for the right one), not other stations', async () => {
    await server.api('POST', '/api/v1/stations', { id: 'P1-GUESS', password });
    for (let i = 0; i < 3; i++) expect((await refusal(connect('P1-GUESS', withPassword('P1-GUESS', `guess-${i}`)))).statusCode).toBe(401);
    const locked = await refusal(connect('P1-GUESS', withPassword('P1-GUESS', password)));
    expect(locked.statusCode).toBe(429);
    // Another station is not affected.
    const other = await connect('P1-1', withPassword('P1-1', password));
    await other.close();
  });
});

describe('password rotation (ChangeConfiguration AuthorizationKey)', () => {
  const password = 'first-password-1';
  beforeAll(async () => {
    await server.api('POST', '/api/v1/stations', { id: 'ROT-1', password });
    await server.api('PATCH', '/api/v1/stations/ROT-1', { securityProfile: 1 });
  });

  it('sends the new password as hex, stores it when accepted, and keeps the old one until the new one is used', async () => {
    let authorizationKey = '';
    const station = await connect('ROT-1', {
      ...withPassword('ROT-1', password),
      onCall: (action, payload) => {
        if (action === 'ChangeConfiguration' && payload.key === 'AuthorizationKey') authorizationKey = payload.value;
        return { status: 'Accepted' };
      },
    });
    const rotated = await server.api('POST', '/api/v1/stations/ROT-1/password/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ status: 'Accepted' });
    expect(authorizationKey).toMatch(/^([0-9a-f]{2}){16,40}$/);
    const newPassword = Buffer.from(authorizationKey, 'hex').toString('utf8');
    await station.close();

    // The station reconnects before applying the key: the old password still works.
    const early = await connect('ROT-1', withPassword('ROT-1', password));
    await early.close();
    // It applies the key: the new password works, and from then on the old one does not.
    const applied = await connect('ROT-1', withPassword('ROT-1', newPassword));
    await applied.close();
    expect((await refusal(connect('ROT-1', withPassword('ROT-1', password)))).statusCode).toBe(401);
  });

  it('changes nothing when the station rejects the key, and answers 409 when it is offline', async () => {
    await server.api('POST', '/api/v1/stations', { id: 'ROT-2', password });
    const station = await connect('ROT-2', { ...withPassword('ROT-2', password), onCall: () => ({ status: 'Rejected' }) });
    const rejected = await server.api('POST', '/api/v1/stations/ROT-2/password/rotate');
    expect(rejected.status).toBe(409);
    expect(rejected.body.stationStatus).toBe('Rejected');
    await station.close();
    const again = await connect('ROT-2', withPassword('ROT-2', password));
    await again.close();
    expect((await server.api('POST', '/api/v1/stations/ROT-2/password/rotate')).status).toBe(409);
  });
});

describe('SecurityEventNotification', () => {
  it('is stored once per event and listed newest first', async () => {
    const client = await connect('SEC-EV');
    const event = { type: 'FirmwareUpdated', timestamp: '2026-11-01T10:00:00Z', techInfo: '1.2.3' };
    expect(await client.call('SecurityEventNotification', event)).toEqual({});
    expect(await client.call('SecurityEventNotification', event)).toEqual({});
    expect(await client.call('SecurityEventNotification', { type: 'ResetOrReboot', timestamp: '2026-11-02T10:00:00Z' })).toEqual({});
    await client.close();
    const events = await server.api('GET', '/api/v1/stations/SEC-EV/security-events');
    expect(events.body.map((row: any) => [row.type, row.timestamp, row.techInfo])).toEqual([
      ['ResetOrReboot', '2026-11-02T10:00:00.000Z', null],
      ['FirmwareUpdated', '2026-11-01T10:00:00.000Z', '1.2.3'],
    ]);
  });
});

describe('dashboard log-in throttle per address', () => {
  it('refuses an address that tried many e-mail addresses, even with a right password', async () => {
    const login = (email: string, password: string) =>
      fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    for (let i = 0; i < 30; i++) expect((await login(`spray-${i}@example.test`, 'guess')).status).toBe(401);
    const locked = await login(TEST_ADMIN.email, TEST_ADMIN.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

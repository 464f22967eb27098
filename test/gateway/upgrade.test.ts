// The WebSocket upgrade: sub-protocol negotiation, the station id taken from the URL, and the
// station's Basic-auth password. Every refusal is an HTTP answer before any upgrade.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { basicAuth, expectHeartbeat, rawUpgrade } from './gateway-helpers.js';

let server: TestServer;
let wsBase: string;
beforeAll(async () => {
  // Many wrong passwords in a row on purpose: the station-auth throttle is tested in test/security.
  server = await startTestServer({ STATION_AUTH_MAX_FAILURES: '0' });
  wsBase = server.url.replace(/^http/, 'ws');
});
afterAll(() => server.close());

const station = (id: string) => server.api('GET', `/api/v1/stations/${encodeURIComponent(id)}`);

/** Connecting must fail with this HTTP status; resolves with the refusal's body. */
async function refusedWith(url: string, status: number, options: Parameters<typeof OcppTestClient.connect>[1] = {}): Promise<string> {
  const error = await OcppTestClient.connect(url, options).then(
    async (client) => {
      await client.close();
      throw new Error(`${url} was accepted`);
    },
    (reason: unknown) => reason as { statusCode?: number; body?: string },
  );
  expect(error.statusCode).toBe(status);
  return error.body ?? '';
}

describe('sub-protocol negotiation', () => {
  it('echoes ocpp1.6 when the station offers it', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('PROTO-1'), { protocols: 'ocpp1.6' });
    expect(client.socket.protocol).toBe('ocpp1.6');
    await expectHeartbeat(client);
    await client.close();
  });

  it('serves a station that offers no sub-protocol as OCPP 1.6, answering without the header', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('PROTO-2'), { protocols: null });
    expect(client.socket.protocol).toBe('');
    await expectHeartbeat(client);
    await client.close();
    const answer = await rawUpgrade(server.url, '/ocpp/PROTO-2');
    expect(answer.status).toBe(101);
    expect(answer.headers['sec-websocket-protocol']).toBeUndefined();
  });

  it('picks ocpp1.6 from a list that starts with an unknown protocol', async () => {
    for (const protocols of [['foo', 'ocpp1.6'], ['ocpp2.0.1', 'ocpp1.6']]) {
      const client = await OcppTestClient.connect(server.ocppUrl('PROTO-3'), { protocols });
      expect(client.socket.protocol, protocols.join(',')).toBe('ocpp1.6');
      await expectHeartbeat(client);
      await client.close();
    }
  });

  it("answers in the station's own spelling of ocpp1.6", async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('PROTO-4'), { protocols: 'OCPP1.6' });
    expect(client.socket.protocol).toBe('OCPP1.6');
    await expectHeartbeat(client);
    await client.close();
  });

  it('refuses a station offering only protocols it does not speak, with 400 and no upgrade', async () => {
    for (const protocols of ['ocpp2.0.1', 'foo', ['ocpp2.0', 'ocpp1.5']]) {
      const body = await refusedWith(server.ocppUrl('PROTO-5'), 400, { protocols });
      expect(body, String(protocols)).toContain('ocpp1.6');
    }
    const raw = await rawUpgrade(server.url, '/ocpp/PROTO-5', { 'Sec-WebSocket-Protocol': 'ocpp2.0.1' });
    expect(raw.status).toBe(400);
    expect(raw.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(raw.body)).toMatchObject({ status: 400 });
    // Refused before the upgrade: the station was never created.
    expect((await station('PROTO-5')).status).toBe(404);
  });
});

describe('station id from the URL', () => {
  it('URL-decodes the id: /ocpp/CP%2001 is station "CP 01"', async () => {
    const client = await OcppTestClient.connect(`${wsBase}/ocpp/CP%2001`);
    await expectHeartbeat(client);
    const answer = await server.api('GET', '/api/v1/stations/CP%2001');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: 'CP 01', online: true });
    await client.close();
  });

  it('takes the last segment of any path', async () => {
    const client = await OcppTestClient.connect(`${wsBase}/some/prefix/CP7`);
    await expectHeartbeat(client);
    expect((await station('CP7')).body).toMatchObject({ id: 'CP7', online: true });
    expect((await station('prefix')).status).toBe(404);
    await client.close();

    const short = await OcppTestClient.connect(`${wsBase}/CP7b`);
    await expectHeartbeat(short);
    expect((await station('CP7b')).body).toMatchObject({ id: 'CP7b', online: true });
    await short.close();
  });

  it('ignores a trailing slash and a query string', async () => {
    const slash = await OcppTestClient.connect(`${wsBase}/ocpp/CP8/`);
    await expectHeartbeat(slash);
    expect((await station('CP8')).body).toMatchObject({ id: 'CP8', online: true });
    await slash.close();

    const query = await OcppTestClient.connect(`${wsBase}/ocpp/CP9?token=abc`);
    await expectHeartbeat(query);
    expect((await station('CP9')).body).toMatchObject({ id: 'CP9', online: true });
    await query.close();
  });

  it('serves a URL with a doubled slash (a base URL ending in "/" plus "/" and the id)', async () => {
    const client = await OcppTestClient.connect(`${wsBase}//CP10`);
    await expectHeartbeat(client);
    expect((await station('CP10')).body).toMatchObject({ id: 'CP10', online: true });
    await client.close();

    const nested = await OcppTestClient.connect(`${wsBase}/ocpp//CP11`);
    await expectHeartbeat(nested);
    expect((await station('CP11')).body).toMatchObject({ id: 'CP11', online: true });
    await nested.close();
  });

  it('accepts an id of 64 characters', async () => {
    const id = 'L'.repeat(64);
    const client = await OcppTestClient.connect(server.ocppUrl(id));
    await expectHeartbeat(client);
    expect((await station(id)).body).toMatchObject({ id, online: true });
    await client.close();
  });

  it.each([
    ['no id at all', '/ocpp/'],
    ['the route prefix alone', '/ocpp'],
    ['the bare root', '/'],
    ['an id over 64 characters', `/ocpp/${'L'.repeat(65)}`],
    ['a malformed percent-encoding', '/ocpp/CP%ZZ'],
    ['a truncated percent-encoding', '/ocpp/CP%2'],
    ['an encoded slash', '/ocpp/CP%2F01'],
    ['an encoded control character', '/ocpp/CP%0A01'],
  ])('refuses %s with 400 before any upgrade', async (_what, path) => {
    const answer = await rawUpgrade(server.url, path);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, title: 'Bad Request' });
    await refusedWith(`${wsBase}${path}`, 400);
  });

  it('refuses upgrades on /api/ paths with 404', async () => {
    for (const path of ['/api/v1/stations', '/api/v1/stations/CP1', '/api/anything', '//api/v1/stations']) {
      const answer = await rawUpgrade(server.url, path);
      expect(answer.status, path).toBe(404);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 404 });
      await refusedWith(`${wsBase}${path}`, 404);
    }
    expect((await station('stations')).status).toBe(404);
    expect((await station('CP1')).status).toBe(404);
  });
});

describe('station Basic auth', () => {
  const id = 'AUTH-1';
  const password = 'correct-horse-1';

  beforeAll(async () => {
    const created = await server.api('POST', '/api/v1/stations', { id, password });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, hasPassword: true });
  });

  it('lets the station in with the right credentials', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl(id), { headers: { Authorization: basicAuth(id, password) } });
    await expectHeartbeat(client);
    expect((await station(id)).body.online).toBe(true);
    await client.close();
  });

  it('accepts the scheme name in any letter case', async () => {
    const token = Buffer.from(`${id}:${password}`).toString('base64');
    const client = await OcppTestClient.connect(server.ocppUrl(id), { headers: { Authorization: `basic ${token}` } });
    await expectHeartbeat(client);
    await client.close();
  });

  it.each([
    ['a wrong password', { Authorization: basicAuth(id, 'wrong-password') }],
    ['no Authorization header', {}],
    ['another user name', { Authorization: basicAuth('AUTH-2', password) }],
    ['the user name in another letter case', { Authorization: basicAuth('auth-1', password) }],
    ['credentials without a colon', { Authorization: `Basic ${Buffer.from(`${id}${password}`).toString('base64')}` }],
    ['a Bearer token', { Authorization: `Bearer ${password}` }],
  ])('refuses %s with 401 before any upgrade', async (_what, headers: Record<string, string>) => {
    const answer = await rawUpgrade(server.url, `/ocpp/${id}`, { 'Sec-WebSocket-Protocol': 'ocpp1.6', ...headers });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Basic /);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 401 });
    await refusedWith(server.ocppUrl(id), 401, { headers });
  });

  it('lets a station without a password in, with or without credentials', async () => {
    const open = await OcppTestClient.connect(server.ocppUrl('AUTH-OPEN'));
    await expectHeartbeat(open);
    await open.close();
    const withCredentials = await OcppTestClient.connect(server.ocppUrl('AUTH-OPEN'), { headers: { Authorization: basicAuth('AUTH-OPEN', 'anything-at-all') } });
    await expectHeartbeat(withCredentials);
    await withCredentials.close();
  });

  it('follows a password change through the API', async () => {
    const newPassword = 'battery-staple-2';
    expect((await server.api('PATCH', `/api/v1/stations/${id}`, { password: newPassword })).status).toBe(200);
    await refusedWith(server.ocppUrl(id), 401, { headers: { Authorization: basicAuth(id, password) } });
    const client = await OcppTestClient.connect(server.ocppUrl(id), { headers: { Authorization: basicAuth(id, newPassword) } });
    await expectHeartbeat(client);
    await client.close();
  });
});

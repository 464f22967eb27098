// Authorize: the idTagInfo for every kind of tag, matched case-insensitively (CiString20).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let client: OcppTestClient;
const FUTURE = new Date(Date.now() + 30 * 24 * 3600_000).toISOString();
const PAST = new Date(Date.now() - 24 * 3600_000).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  const tags = [
    { idTag: 'AUTH-OK' },
    { idTag: 'AUTH-BLOCKED', status: 'Blocked' },
    { idTag: 'AUTH-EXPIRED', status: 'Expired' },
    { idTag: 'AUTH-LAPSED', status: 'Accepted', expiryDate: PAST },
    { idTag: 'AUTH-VALID-TO', status: 'Accepted', expiryDate: FUTURE },
    { idTag: 'AbC123' },
    { idTag: 'FLEET-PARENT' },
    { idTag: 'AUTH-CHILD', parentIdTag: 'FLEET-PARENT' },
  ];
  for (const tag of tags) expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
  client = await OcppTestClient.connect(server.ocppUrl('AUTH-STATION'));
  expect((await boot(client)).status).toBe('Accepted');
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const authorize = async (idTag: string) => (await client.call('Authorize', { idTag })).idTagInfo;

describe('Authorize', () => {
  it('answers Accepted for a known tag', async () => {
    expect(await authorize('AUTH-OK')).toEqual({ status: 'Accepted' });
  });

  it('answers Blocked for a blocked tag', async () => {
    expect((await authorize('AUTH-BLOCKED')).status).toBe('Blocked');
  });

  it('answers Expired for a tag whose status is Expired', async () => {
    expect((await authorize('AUTH-EXPIRED')).status).toBe('Expired');
  });

  it('answers Expired for an Accepted tag whose expiryDate has passed, and returns the date', async () => {
    const info = await authorize('AUTH-LAPSED');
    expect(info.status).toBe('Expired');
    expect(Date.parse(info.expiryDate)).toBe(Date.parse(PAST));
  });

  it('answers Accepted with the expiryDate for a tag that expires later', async () => {
    const info = await authorize('AUTH-VALID-TO');
    expect(info.status).toBe('Accepted');
    expect(Date.parse(info.expiryDate)).toBe(Date.parse(FUTURE));
  });

  it('answers Invalid for an unknown tag', async () => {
    expect(await authorize('NOBODY-KNOWS')).toEqual({ status: 'Invalid' });
  });

  it('matches case-insensitively', async () => {
    expect((await authorize('abc123')).status).toBe('Accepted');
    expect((await authorize('ABC123')).status).toBe('Accepted');
    expect((await authorize('auth-blocked')).status).toBe('Blocked');
  });

  it('returns the parentIdTag', async () => {
    expect(await authorize('AUTH-CHILD')).toEqual({ status: 'Accepted', parentIdTag: 'FLEET-PARENT' });
    expect(await authorize('auth-child')).toEqual({ status: 'Accepted', parentIdTag: 'FLEET-PARENT' });
  });

  it('follows changes made through the API at once', async () => {
    expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'AUTH-CHANGING' })).status).toBe(201);
    expect((await authorize('AUTH-CHANGING')).status).toBe('Accepted');
    expect((await server.api('PATCH', '/api/v1/id-tags/auth-changing', { status: 'Blocked' })).status).toBe(200);
    expect((await authorize('AUTH-CHANGING')).status).toBe('Blocked');
    expect((await server.api('DELETE', '/api/v1/id-tags/AUTH-CHANGING')).status).toBe(204);
    expect((await authorize('AUTH-CHANGING')).status).toBe('Invalid');
  });
});

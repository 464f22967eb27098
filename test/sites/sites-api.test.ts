// /api/v1/sites: create, list, change and delete sites, and stations joining them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('sites', () => {
  it('creates a site with defaults, generates an id when none is given, and lists it', async () => {
    const created = await server.api('POST', '/api/v1/sites', { name: 'Car park West', timeZone: 'Europe/Amsterdam', gridLimitAmps: 63 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Car park West',
      timeZone: 'Europe/Amsterdam',
      gridLimitAmps: 63,
      phases: 3,
      voltage: 230,
      minCurrentAmps: 6,
      tariffId: null,
      stationIds: [],
    });
    expect(created.body.id).toMatch(/^site-[0-9a-f]{10}$/);

    const list = await server.api('GET', '/api/v1/sites');
    expect(list.status).toBe(200);
    expect(list.body.map((site: { id: string }) => site.id)).toContain(created.body.id);
    expect((await server.api('GET', `/api/v1/sites/${created.body.id}`)).body).toEqual(created.body);
  });

  it('refuses a bad zone, a bad phase count, unknown fields and a duplicate id, naming the field', async () => {
    const zone = await server.api('POST', '/api/v1/sites', { name: 'X', timeZone: 'Mars/Olympus' });
    expect(zone.status).toBe(400);
    expect(zone.body.detail).toContain('timeZone');
    const phases = await server.api('POST', '/api/v1/sites', { name: 'X', timeZone: 'UTC', phases: 2 });
    expect(phases.status).toBe(400);
    expect(phases.body.detail).toContain('phases');
    const unknown = await server.api('POST', '/api/v1/sites', { name: 'X', timeZone: 'UTC', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('colour');
    expect((await server.api('POST', '/api/v1/sites', { id: 'dup', name: 'A', timeZone: 'UTC' })).status).toBe(201);
    expect((await server.api('POST', '/api/v1/sites', { id: 'dup', name: 'B', timeZone: 'UTC' })).status).toBe(409);
    expect((await server.api('GET', '/api/v1/sites/none')).status).toBe(404);
  });

  it('changes a site, takes stations in, and deletes it only once empty', async () => {
    const site = (await server.api('POST', '/api/v1/sites', { id: 'depot', name: 'Depot', timeZone: 'UTC' })).body;
    const patched = await server.api('PATCH', '/api/v1/sites/depot', { gridLimitAmps: 32, phases: 1, name: 'Depot North' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: 'depot', name: 'Depot North', gridLimitAmps: 32, phases: 1, timeZone: 'UTC' });
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(site.updatedAt));

    expect((await server.api('POST', '/api/v1/stations', { id: 'S-1', siteId: 'nowhere' })).status).toBe(400);
    expect((await server.api('POST', '/api/v1/stations', { id: 'S-1', siteId: 'depot' })).status).toBe(201);
    expect((await server.api('POST', '/api/v1/stations', { id: 'S-2' })).status).toBe(201);
    const joined = await server.api('PATCH', '/api/v1/stations/S-2', { siteId: 'depot' });
    expect(joined.status).toBe(200);
    expect(joined.body.siteId).toBe('depot');
    expect((await server.api('GET', '/api/v1/sites/depot')).body.stationIds).toEqual(['S-1', 'S-2']);
    expect((await server.api('GET', '/api/v1/stations?siteId=depot')).body.map((s: { id: string }) => s.id)).toEqual(['S-1', 'S-2']);

    const refused = await server.api('DELETE', '/api/v1/sites/depot');
    expect(refused.status).toBe(409);
    expect(refused.body.stationIds).toEqual(['S-1', 'S-2']);

    for (const id of ['S-1', 'S-2']) expect((await server.api('PATCH', `/api/v1/stations/${id}`, { siteId: null })).status).toBe(200);
    expect((await server.api('DELETE', '/api/v1/sites/depot')).status).toBe(204);
    expect((await server.api('GET', '/api/v1/sites/depot')).status).toBe(404);
  });
});

// /api/v1/tariffs: OCPI 2.2.1 Tariff objects, validated strictly, versioned on every change;
// assignments to token groups, stations, sites and the default, with their references checked.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const energyTariff = (price: number) => ({
  currency: 'EUR',
  type: 'REGULAR',
  tariff_alt_text: [{ language: 'en', text: `${price} EUR per kWh` }],
  elements: [{ price_components: [{ type: 'ENERGY', price, vat: 19, step_size: 1 }] }],
});

describe('tariffs', () => {
  it('creates a tariff with an id of ours, lists it, and versions every change', async () => {
    const created = await server.api('POST', '/api/v1/tariffs', { ...energyTariff(0.3), idle_grace_minutes: 15, idle_fee_cap: 10, min_price: { excl_vat: 1, incl_vat: 1.19 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ currency: 'EUR', version: 1, idle_grace_minutes: 15, idle_fee_cap: 10, min_price: { excl_vat: 1, incl_vat: 1.19 } });
    expect(created.body.id).toMatch(/^tariff-[0-9a-f]{10}$/);
    expect(Date.parse(created.body.last_updated)).not.toBeNaN();
    const id = created.body.id as string;

    const patched = await server.api('PATCH', `/api/v1/tariffs/${id}`, { elements: energyTariff(0.35).elements, min_price: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, version: 2, idle_grace_minutes: 15 });
    expect(patched.body.min_price).toBeUndefined();
    expect(patched.body.elements[0].price_components[0].price).toBe(0.35);

    expect((await server.api('GET', `/api/v1/tariffs/${id}`)).body.version).toBe(2);
    const first = await server.api('GET', `/api/v1/tariffs/${id}?version=1`);
    expect(first.body).toMatchObject({ version: 1, min_price: { excl_vat: 1 } });
    expect(first.body.elements[0].price_components[0].price).toBe(0.3);
    expect((await server.api('GET', `/api/v1/tariffs/${id}/versions`)).body.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await server.api('GET', `/api/v1/tariffs/${id}?version=3`)).status).toBe(404);
    expect((await server.api('GET', '/api/v1/tariffs')).body.map((t: { id: string }) => t.id)).toContain(id);
  });

  it('refuses what is not a valid OCPI tariff with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...energyTariff(0.3), currency: 'EUX' }, 'currency'],
      [{ ...energyTariff(0.3), currency: 'eur' }, 'currency'],
      [{ currency: 'EUR', elements: [] }, 'elements'],
      [{ currency: 'EUR' }, 'elements'],
      [{ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: -1, step_size: 1 }] }] }, 'price'],
      [{ currency: 'EUR', elements: [{ price_components: [{ type: 'KWH', price: 1, step_size: 1 }] }] }, 'type'],
      [{ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 1 }] }] }, 'step_size'],
      [{ ...energyTariff(0.3), elements: [{ ...energyTariff(0.3).elements[0], restrictions: { start_time: '25:00' } }] }, 'start_time'],
      [{ ...energyTariff(0.3), elements: [{ ...energyTariff(0.3).elements[0], restrictions: { day_of_week: ['FUNDAY'] } }] }, 'day_of_week'],
      [{ ...energyTariff(0.3), elements: [{ ...energyTariff(0.3).elements[0], restrictions: { min_kwh: 20, max_kwh: 10 } }] }, 'max_kwh'],
      [{ ...energyTariff(0.3), elements: [{ ...energyTariff(0.3).elements[0], restrictions: { start_date: '2026-02-30' } }] }, 'start_date'],
      [{ ...energyTariff(0.3), elements: [{ ...energyTariff(0.3).elements[0], restrictions: { start_time: '08:00', end_time: '08:00' } }] }, 'end_time'],
      [{ ...energyTariff(0.3), min_price: { excl_vat: 5 }, max_price: { excl_vat: 2 } }, 'max_price'],
      [{ ...energyTariff(0.3), idle_grace_minutes: -5 }, 'idle_grace_minutes'],
      [{ ...energyTariff(0.3), colour: 'red' }, 'colour'],
      [{ ...energyTariff(0.3), id: 'mine' }, 'id'],
    ];
    for (const [body, field] of cases) {
      const response = await server.api('POST', '/api/v1/tariffs', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.detail, JSON.stringify(body)).toContain(field);
    }
    const id = (await server.api('POST', '/api/v1/tariffs', energyTariff(0.3))).body.id;
    const bad = await server.api('PATCH', `/api/v1/tariffs/${id}`, { currency: 'ABC' });
    expect(bad.status).toBe(400);
    expect((await server.api('PATCH', `/api/v1/tariffs/${id}`, { elements: null })).status).toBe(400);
    expect((await server.api('GET', `/api/v1/tariffs/${id}`)).body.version).toBe(1);
  });

  it('assigns tariffs to groups, stations, sites and as default, checks references, and deletes only unassigned tariffs', async () => {
    const a = (await server.api('POST', '/api/v1/tariffs', energyTariff(0.3))).body.id as string;
    const b = (await server.api('POST', '/api/v1/tariffs', energyTariff(0.4))).body.id as string;
    expect((await server.api('POST', '/api/v1/sites', { id: 'tariff-site', name: 'S', timeZone: 'UTC', tariffId: 'nope' })).status).toBe(400);
    expect((await server.api('POST', '/api/v1/sites', { id: 'tariff-site', name: 'S', timeZone: 'UTC', tariffId: a })).status).toBe(201);
    expect((await server.api('POST', '/api/v1/stations', { id: 'TARIFF-ST', siteId: 'tariff-site', tariffId: 'nope' })).status).toBe(400);
    expect((await server.api('POST', '/api/v1/stations', { id: 'TARIFF-ST', siteId: 'tariff-site' })).status).toBe(201);
    const refused = await server.api('PATCH', '/api/v1/stations/TARIFF-ST', { tariffId: 'nope' });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('tariffId');
    const station = await server.api('PATCH', '/api/v1/stations/TARIFF-ST', { tariffId: b });
    expect(station.status).toBe(200);
    expect(station.body.tariffId).toBe(b);

    expect((await server.api('PUT', '/api/v1/tariff-assignments/groups/NO-SUCH-GROUP', { tariffId: a })).status).toBe(404);
    expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'GRP-CARD', parentIdTag: 'GRP-A' })).status).toBe(201);
    expect((await server.api('PUT', '/api/v1/tariff-assignments/groups/GRP-A', { tariffId: 'nope' })).status).toBe(400);
    expect((await server.api('PUT', '/api/v1/tariff-assignments/groups/GRP-A', { tariffId: a })).status).toBe(200);
    expect((await server.api('PUT', '/api/v1/tariff-assignments/default', { tariffId: b })).status).toBe(200);
    const assignments = (await server.api('GET', '/api/v1/tariff-assignments')).body;
    expect(assignments).toMatchObject({ default: b, groups: [{ groupIdTag: 'grp-a', tariffId: a }] });
    expect(assignments.stations).toContainEqual({ stationId: 'TARIFF-ST', tariffId: b });
    expect(assignments.sites).toContainEqual({ siteId: 'tariff-site', tariffId: a });

    const inUse = await server.api('DELETE', `/api/v1/tariffs/${a}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.usedBy).toEqual(['token group grp-a', 'site tariff-site']);
    expect((await server.api('DELETE', '/api/v1/tariff-assignments/groups/grp-a')).status).toBe(204);
    expect((await server.api('PATCH', '/api/v1/sites/tariff-site', { tariffId: null })).status).toBe(200);
    expect((await server.api('DELETE', `/api/v1/tariffs/${a}`)).status).toBe(204);
    expect((await server.api('GET', `/api/v1/tariffs/${a}`)).status).toBe(404);
    expect((await server.api('PATCH', '/api/v1/stations/TARIFF-ST', { tariffId: a })).status).toBe(400);
    expect((await server.api('DELETE', '/api/v1/tariff-assignments/default')).status).toBe(204);
    expect((await server.api('DELETE', '/api/v1/tariff-assignments/default')).status).toBe(404);
  });

  it('documents the tariff API in the OpenAPI document', async () => {
    const doc = (await server.api('GET', '/api/openapi.json')).body;
    for (const path of ['/api/v1/tariffs', '/api/v1/tariffs/{id}', '/api/v1/tariff-assignments', '/api/v1/sessions/{id}/rate', '/api/v1/exports/sessions.csv']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});

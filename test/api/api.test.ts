// The HTTP API of shared/contract.md: bearer keys, problem+json errors, stations, id tags,
// sessions, OpenAPI, health and metrics.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ OCPP_UNKNOWN_STATIONS: 'pending' });
});
afterAll(() => server.close());

describe('authentication', () => {
  it('refuses requests without a key or with a wrong one, as problem+json', async () => {
    for (const authorization of [undefined, 'Bearer wrong-key', 'Basic abc']) {
      const response = await fetch(`${server.url}/api/v1/stations`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { status: number; detail: string };
      expect(problem.status).toBe(401);
      expect(problem.detail.length).toBeGreaterThan(10);
    }
  });

  it('leaves health, metrics and the OpenAPI document open', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('ocpp_stations_connected');
    expect(metrics).toMatch(/ocpp_message_log_dropped_frames 0/);
    const openapi = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(openapi.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/stations', '/api/v1/stations/{id}', '/api/v1/id-tags', '/api/v1/sessions', '/api/v1/sessions/{id}']) {
      expect(Object.keys(openapi.paths)).toContain(path);
    }
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await server.api('GET', '/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.detail).toContain('/api/v1/nothing-here');
  });
});

describe('stations', () => {
  it('pre-registers, refuses duplicates and bad fields, and edits', async () => {
    expect((await server.api('POST', '/api/v1/sites', { id: 'site-a', name: 'Depot A', timeZone: 'Europe/Berlin' })).status).toBe(201);
    const created = await server.api('POST', '/api/v1/stations', { id: 'PRE-1', timeZone: 'Europe/Berlin', siteId: 'site-a' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'PRE-1', registration: 'accepted', online: false, timeZone: 'Europe/Berlin', siteId: 'site-a', connectors: [] });

    expect((await server.api('POST', '/api/v1/stations', { id: 'PRE-1' })).status).toBe(409);

    const badZone = await server.api('POST', '/api/v1/stations', { id: 'PRE-2', timeZone: 'Mars/Olympus' });
    expect(badZone.status).toBe(400);
    expect(badZone.body.detail).toContain('timeZone');

    const unknownField = await server.api('POST', '/api/v1/stations', { id: 'PRE-3', colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.detail).toContain('colour');

    const missingId = await server.api('POST', '/api/v1/stations', {});
    expect(missingId.status).toBe(400);
    expect(missingId.body.detail).toContain('id');

    const patched = await server.api('PATCH', '/api/v1/stations/PRE-1', { timeZone: null, password: 'long-enough-secret' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ timeZone: null, hasPassword: true });

    expect((await server.api('GET', '/api/v1/stations/NOPE')).status).toBe(404);
    expect((await server.api('PATCH', '/api/v1/stations/NOPE', { timeZone: null })).status).toBe(404);
  });

  it('lists stations with live status and lets an operator approve a pending one', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('PENDING-1'), {
      onCall: (action) => (action === 'TriggerMessage' ? { status: 'Accepted' } : {}),
    });
    expect((await boot(client, 'BrandA', 'ModelA')).status).toBe('Pending');
    await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });

    const pending = await server.api('GET', '/api/v1/stations?registration=pending');
    expect(pending.body.map((station: { id: string }) => station.id)).toContain('PENDING-1');
    const online = await server.api('GET', '/api/v1/stations?online=true');
    const station = online.body.find((candidate: { id: string }) => candidate.id === 'PENDING-1');
    expect(station).toMatchObject({ vendor: 'BrandA', model: 'ModelA', online: true, registration: 'pending' });
    expect(station.connectors).toEqual([expect.objectContaining({ connectorId: 1, status: 'Available', errorCode: 'NoError' })]);

    const trigger = client.waitFor((frame) => frame[0] === 2 && frame[2] === 'TriggerMessage');
    expect((await server.api('POST', '/api/v1/stations/PENDING-1/accept')).body.registration).toBe('accepted');
    expect((await trigger)[3]).toEqual({ requestedMessage: 'BootNotification' });
    expect((await boot(client, 'BrandA', 'ModelA')).status).toBe('Accepted');

    expect((await server.api('POST', '/api/v1/stations/PENDING-1/reject')).body.registration).toBe('rejected');
    expect((await boot(client, 'BrandA', 'ModelA')).status).toBe('Rejected');

    const events = await server.api('GET', '/api/v1/stations/PENDING-1/events?kind=BootNotification');
    expect(events.body).toHaveLength(3);
    await client.close();
  });
});

describe('id tags', () => {
  it('creates, finds case-insensitively, edits and deletes', async () => {
    const created = await server.api('POST', '/api/v1/id-tags', { idTag: 'Card-ABC', expiryDate: '2030-01-01T00:00:00Z', parentIdTag: 'FLEET' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ idTag: 'Card-ABC', status: 'Accepted', expiryDate: '2030-01-01T00:00:00.000Z', parentIdTag: 'FLEET', internal: false });
    expect((await server.api('PATCH', '/api/v1/id-tags/card-abc', { internal: true })).body.internal).toBe(true);

    const duplicate = await server.api('POST', '/api/v1/id-tags', { idTag: 'card-abc' });
    expect(duplicate.status).toBe(409);

    expect((await server.api('GET', '/api/v1/id-tags/CARD-ABC')).body.idTag).toBe('Card-ABC');
    const blocked = await server.api('PATCH', '/api/v1/id-tags/card-abc', { status: 'Blocked', expiryDate: null });
    expect(blocked.body).toMatchObject({ status: 'Blocked', expiryDate: null });

    const tooLong = await server.api('POST', '/api/v1/id-tags', { idTag: 'X'.repeat(21) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.detail).toContain('idTag');

    const badStatus = await server.api('POST', '/api/v1/id-tags', { idTag: 'Y1', status: 'Maybe' });
    expect(badStatus.status).toBe(400);

    expect((await server.api('DELETE', '/api/v1/id-tags/CARD-abc')).status).toBe(204);
    expect((await server.api('GET', '/api/v1/id-tags/Card-ABC')).status).toBe(404);
    expect((await server.api('DELETE', '/api/v1/id-tags/Card-ABC')).status).toBe(404);
  });
});

describe('sessions', () => {
  it('lists and filters sessions, with meter values', async () => {
    await server.api('POST', '/api/v1/stations', { id: 'SESS-1' });
    await server.api('POST', '/api/v1/id-tags', { idTag: 'SESS-TAG' });
    const client = await OcppTestClient.connect(server.ocppUrl('SESS-1'));
    await boot(client);
    const first = await client.call('StartTransaction', { connectorId: 1, idTag: 'SESS-TAG', meterStart: 0, timestamp: '2026-03-01T10:00:00Z' });
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: first.transactionId,
      meterValue: [{ timestamp: '2026-03-01T10:30:00Z', sampledValue: [{ value: '3.5', unit: 'kWh' }, { value: '7000', measurand: 'Power.Active.Import', unit: 'W' }] }],
    });
    await client.call('StopTransaction', { transactionId: first.transactionId, meterStop: 7000, timestamp: '2026-03-01T11:00:00Z', reason: 'EVDisconnected' });
    const second = await client.call('StartTransaction', { connectorId: 2, idTag: 'sess-tag', meterStart: 100, timestamp: '2026-03-02T10:00:00Z' });

    const all = await server.api('GET', '/api/v1/sessions?stationId=SESS-1');
    expect(all.body.map((session: { id: number }) => session.id)).toEqual([second.transactionId, first.transactionId]);
    const active = await server.api('GET', '/api/v1/sessions?stationId=SESS-1&active=true');
    expect(active.body.map((session: { id: number }) => session.id)).toEqual([second.transactionId]);
    const byTag = await server.api('GET', '/api/v1/sessions?idTag=SESS-TAG&to=2026-03-01T23:00:00Z');
    expect(byTag.body.map((session: { id: number }) => session.id)).toEqual([first.transactionId]);
    const paged = await server.api('GET', '/api/v1/sessions?stationId=SESS-1&limit=1&offset=1');
    expect(paged.body.map((session: { id: number }) => session.id)).toEqual([first.transactionId]);

    const session = await server.api('GET', `/api/v1/sessions/${first.transactionId}`);
    expect(session.body).toMatchObject({ energyWh: 7000, stopReason: 'EVDisconnected', idTagStatus: 'Accepted', active: false });
    const samples = await server.api('GET', `/api/v1/sessions/${first.transactionId}/meter-values`);
    expect(samples.body).toEqual([
      expect.objectContaining({ measurand: 'Energy.Active.Import.Register', value: 3500, unit: 'Wh', rawValue: '3.5', rawUnit: 'kWh' }),
      expect.objectContaining({ measurand: 'Power.Active.Import', value: 7000, unit: 'W' }),
    ]);

    expect((await server.api('GET', '/api/v1/sessions/999999')).status).toBe(404);
    // Not a session id: no such session (ownership is checked before the parameters' format).
    expect(await server.api('GET', '/api/v1/sessions/abc')).toMatchObject({ status: 404, body: { detail: 'No session abc' } });
    expect((await server.api('GET', '/api/v1/sessions?limit=0')).status).toBe(400);
    await client.close();
  });
});

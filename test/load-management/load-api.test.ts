// Load management's settings through the API, each seen to reach real (simulated) stations: a
// kW limit and a station that takes watts only, building load (fixed, reported, stale), a
// sub-circuit, priority per token group, and the validation of each.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const clock = manualClock(new Date());
let server: TestServer;
const stations: ChargePoint[] = [];

async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function station(id: string, siteId: string, profile = 'wallbox', idTag = 'LOAD-TAG'): Promise<ChargePoint> {
  expect((await server.api('POST', '/api/v1/stations', { id, siteId })).status).toBe(201);
  const started = await startStation({ url: `${server.url.replace(/^http/, 'ws')}/ocpp`, id, profile, idTag, meterIntervalMs: 0, reconnect: false });
  stations.push(started);
  return started;
}

const load = async (siteId: string) => (await server.api('GET', `/api/v1/sites/${siteId}/load`)).body;
const limitOf = (body: any, stationId: string): number | undefined => body?.sessions?.find((session: any) => session.stationId === stationId)?.limitAmps;
/** The limit the station holds for its running session on connector 1, as its TxProfile says. */
const txProfile = (charger: ChargePoint) => charger.installedProfiles().find((entry) => entry.profile.chargingProfilePurpose === 'TxProfile')?.profile;
const heldA = (charger: ChargePoint) => Math.round((charger.allowedPowerW(1) / 690) * 10) / 10;

beforeAll(async () => {
  server = await startTestServer({}, { clock });
  for (const idTag of ['LOAD-TAG', 'VIP', 'STAFF']) expect((await server.api('POST', '/api/v1/id-tags', { idTag })).status).toBe(201);
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'VIP-1', parentIdTag: 'VIP' })).status).toBe(201);
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'STAFF-1', parentIdTag: 'STAFF' })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await Promise.all(stations.map((charger) => charger.close()));
  await server.close();
});

describe('load management settings', () => {
  it('turns a kW limit into amps and sends watts to a station that takes only watts, at its highest stack level', async () => {
    const site = await server.api('POST', '/api/v1/sites', { id: 'kw', name: 'kW site', timeZone: 'UTC', gridLimitKw: 22, phases: 3, voltage: 230 });
    expect(site.body).toMatchObject({ gridLimitKw: 22, gridLimitAmps: null });
    const dc = await station('KW-DC', 'kw', 'dc-fast');
    await dc.startSession(1);
    const body = await until(() => load('kw'), (value) => limitOf(value, 'KW-DC') !== undefined && txProfile(dc) !== undefined, 'the session to be allocated');
    // 22 kW / (3 × 230 V) = 31.88 A, down to 31.8 A, sent as 31.8 × 690 W.
    expect(body.limitAmps).toBeCloseTo(31.884, 2);
    expect(limitOf(body, 'KW-DC')).toBe(31.8);
    const profile = txProfile(dc)!;
    expect(profile).toMatchObject({ stackLevel: 8, transactionId: dc.sessions()[0]!.transactionId, chargingSchedule: { chargingRateUnit: 'W' } });
    expect(profile.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 21942 }]);
    expect(Date.parse(profile.validTo!)).toBe(clock.now().getTime() + 900_000);
    // Its fallback: both connectors at half the site, after a lease-long wait at 0.
    const fallback = dc.installedProfiles().find((entry) => entry.profile.chargingProfilePurpose === 'TxDefaultProfile')!;
    expect(fallback.connectorId).toBe(0);
    expect(fallback.profile.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 0 },
      { startPeriod: 900, limit: 10971 },
    ]);
    expect(dc.powerW(1)).toBe(21942);
    // Its meter reports DC current at 400 V; the draw counts its power over the site's phases.
    await dc.sendMeterValues(1);
    const drawn = await until(() => load('kw'), (value) => value.sessions?.[0]?.drawAmps !== null, 'the draw');
    expect(drawn.sessions[0].drawAmps).toBe(31.8);

    // Past half its lease, the unchanged limit is sent again with a new validTo.
    clock.advance(451_000);
    await server.api('PATCH', '/api/v1/sites/kw', { name: 'kW site, renewed' });
    await until(async () => Date.parse(txProfile(dc)!.validTo!), (validTo) => validTo === clock.now().getTime() + 900_000, 'the lease to be renewed');
    expect(txProfile(dc)!.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 21942 }]);
  });

  it('counts building load: fixed, then reported, then the worst case once reports go stale', async () => {
    await server.api('POST', '/api/v1/sites', { id: 'bldg', name: 'Office', timeZone: 'UTC', gridLimitAmps: 40, buildingLoadAmps: 10, buildingLoadWorstCaseAmps: 25 });
    const charger = await station('BL-1', 'bldg');
    await charger.startSession(1);
    let body = await until(() => load('bldg'), (value) => limitOf(value, 'BL-1') === 30, 'the fixed building load');
    expect(body).toMatchObject({ buildingAmps: 10, buildingSource: 'fixed' });

    const report = await server.api('PUT', '/api/v1/sites/bldg/building-load', { amps: 5 });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({ amps: 5, reportedAt: clock.now().toISOString() });
    body = await until(() => load('bldg'), (value) => value.buildingSource === 'reported' && limitOf(value, 'BL-1') === 32, 'the reported load');
    await until(async () => heldA(charger), (amps) => amps === 32, 'the station to hold 32 A');

    clock.advance(301_000);
    await server.api('PATCH', '/api/v1/sites/bldg', { name: 'Office (stale)' });
    body = await until(() => load('bldg'), (value) => value.buildingSource === 'worst_case' && limitOf(value, 'BL-1') === 15, 'the worst case');
    expect(body.buildingAmps).toBe(25);
    await until(async () => heldA(charger), (amps) => amps === 15, 'the station to hold 15 A');
    expect((await server.api('PUT', '/api/v1/sites/bldg/building-load', { amps: -1 })).status).toBe(400);
    expect((await server.api('PUT', '/api/v1/sites/nowhere/building-load', { amps: 1 })).status).toBe(404);
  });

  it('keeps a sub-circuit inside its own limit; a station sits on one circuit of its own site, and leaves it with the site', async () => {
    await server.api('POST', '/api/v1/sites', { id: 'feeders', name: 'Depot', timeZone: 'UTC', gridLimitAmps: 50 });
    const [a, b, c] = [await station('FD-A', 'feeders'), await station('FD-B', 'feeders'), await station('FD-C', 'feeders')];
    await server.api('POST', '/api/v1/stations', { id: 'ELSEWHERE' });
    expect((await server.api('POST', '/api/v1/sites/feeders/circuits', { id: 'f1', name: 'Feeder 1', limitAmps: 10, stationIds: ['FD-A', 'ELSEWHERE'] })).status).toBe(400);
    const created = await server.api('POST', '/api/v1/sites/feeders/circuits', { id: 'f1', name: 'Feeder 1', limitAmps: 10, stationIds: ['FD-A', 'FD-B'] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'f1', siteId: 'feeders', name: 'Feeder 1', limitAmps: 10, stationIds: ['FD-A', 'FD-B'] });
    expect((await server.api('POST', '/api/v1/sites/feeders/circuits', { id: 'f2', name: 'Feeder 2', limitAmps: 10, stationIds: ['FD-B'] })).status).toBe(409);
    expect((await server.api('POST', '/api/v1/sites/feeders/circuits', { id: 'f1', name: 'Again', limitAmps: 10 })).status).toBe(409);
    // A station that leaves the site leaves its circuit, and may then join a circuit of its new site.
    await server.api('POST', '/api/v1/sites', { id: 'feeders-2', name: 'Depot 2', timeZone: 'UTC', gridLimitAmps: 50 });
    await server.api('POST', '/api/v1/stations', { id: 'FD-MOVER', siteId: 'feeders' });
    expect((await server.api('POST', '/api/v1/sites/feeders/circuits', { id: 'f-move', name: 'Feeder M', limitAmps: 10, stationIds: ['FD-MOVER'] })).status).toBe(201);
    expect((await server.api('PATCH', '/api/v1/stations/FD-MOVER', { siteId: 'feeders-2' })).status).toBe(200);
    expect((await server.api('GET', '/api/v1/sites/feeders/circuits')).body.find((circuit: any) => circuit.id === 'f-move').stationIds).toEqual([]);
    expect((await server.api('POST', '/api/v1/sites/feeders-2/circuits', { id: 'f-new', name: 'Feeder N', limitAmps: 10, stationIds: ['FD-MOVER'] })).status).toBe(201);
    expect((await server.api('DELETE', '/api/v1/sites/feeders/circuits/f-move')).status).toBe(204);

    for (const charger of [a, b, c]) await charger.startSession(1);
    // 10 A on the feeder: the first EV takes it all, the second waits; the third is outside it.
    let body = await until(() => load('feeders'), (value) => value.sessions?.length === 3 && limitOf(value, 'FD-A') === 10, 'the circuit limit');
    expect(limitOf(body, 'FD-B')).toBe(0);
    expect(limitOf(body, 'FD-C')).toBe(32);
    expect(body.circuits).toEqual([{ id: 'f1', name: 'Feeder 1', limitAmps: 10, allocatedAmps: 10 }]);

    const patched = await server.api('PATCH', '/api/v1/sites/feeders/circuits/f1', { limitAmps: 20 });
    expect(patched.body.limitAmps).toBe(20);
    body = await until(() => load('feeders'), (value) => limitOf(value, 'FD-A') === 10 && limitOf(value, 'FD-B') === 10, 'the wider circuit');
    await until(async () => heldA(b), (amps) => amps === 10, 'FD-B to charge');
    expect((await server.api('GET', '/api/v1/sites/feeders/circuits')).body.map((circuit: any) => circuit.id)).toEqual(['f1']);
    expect((await server.api('DELETE', '/api/v1/sites/feeders/circuits/f1')).status).toBe(204);
    expect((await server.api('DELETE', '/api/v1/sites/feeders/circuits/f1')).status).toBe(404);
    await until(() => load('feeders'), (value) => limitOf(value, 'FD-A')! > 10, 'the circuit to be gone');
  });

  it('serves a token group with priority first', async () => {
    await server.api('POST', '/api/v1/sites', { id: 'prio', name: 'Fleet yard', timeZone: 'UTC', gridLimitAmps: 20 });
    const staff = await station('PR-1', 'prio', 'wallbox', 'STAFF-1');
    const vip = await station('PR-2', 'prio', 'wallbox', 'VIP-1');
    expect((await server.api('PUT', '/api/v1/load-priorities/VIP', { priority: 10 })).body).toEqual({ idTag: 'VIP', priority: 10 });
    await staff.startSession(1);
    await until(() => load('prio'), (value) => limitOf(value, 'PR-1') === 20, 'the first session alone');
    await vip.startSession(1);
    const body = await until(() => load('prio'), (value) => limitOf(value, 'PR-2') === 14, 'the VIP session first');
    expect(limitOf(body, 'PR-1')).toBe(6);
    expect(body.sessions.find((session: any) => session.stationId === 'PR-2').priority).toBe(10);
    expect((await server.api('GET', '/api/v1/load-priorities')).body).toEqual([{ idTag: 'VIP', priority: 10 }]);
    expect((await server.api('DELETE', '/api/v1/load-priorities/VIP')).status).toBe(204);
    await until(() => load('prio'), (value) => limitOf(value, 'PR-1') === 10 && limitOf(value, 'PR-2') === 10, 'equal shares again');
  });

  it('answers history by time window and refuses bad requests', async () => {
    const now = clock.now();
    const all = await server.api('GET', `/api/v1/sites/prio/load/history?from=${new Date(now.getTime() - 60_000).toISOString()}&to=${now.toISOString()}`);
    expect(all.status).toBe(200);
    expect(all.body.length).toBeGreaterThan(2);
    expect(all.body[0]).toMatchObject({ limitAmps: 20, buildingAmps: 0 });
    const none = await server.api('GET', `/api/v1/sites/prio/load/history?to=${new Date(now.getTime() - 3_600_000).toISOString()}`);
    expect(none.body).toEqual([]);
    expect((await server.api('GET', `/api/v1/sites/prio/load/history?from=${now.toISOString()}&to=${new Date(now.getTime() - 1).toISOString()}`)).status).toBe(400);
    expect((await server.api('GET', '/api/v1/sites/nowhere/load')).status).toBe(404);
    expect((await server.api('PUT', '/api/v1/stations/PR-1/load-settings', { maxCurrentAmps: 2 })).status).toBe(400);
    expect((await server.api('PUT', '/api/v1/stations/nobody/load-settings', { maxCurrentAmps: 16 })).status).toBe(404);
  });
});

// Sessions run over real OCPP sockets (raw client and the simulator) and are rated when they
// stop: each tariff element, price windows across both daylight-saving changes at a site in
// Europe/Berlin, idle time with a grace period, kWh meters, a meter reset, internal users, the
// assignment precedence, the tariff version a session started under, and re-rating.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { itemsOf, ratedSession, runSession } from './session-driver.js';

let server: TestServer;
const clients: OcppTestClient[] = [];
const simulated: ChargePoint[] = [];

async function tariff(body: Record<string, unknown>): Promise<string> {
  const response = await server.api('POST', '/api/v1/tariffs', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id as string;
}

async function station(id: string, fields: Record<string, unknown>): Promise<OcppTestClient> {
  expect((await server.api('POST', '/api/v1/stations', { id, ...fields })).status).toBe(201);
  const client = await OcppTestClient.connect(server.ocppUrl(id));
  clients.push(client);
  expect((await boot(client)).status).toBe('Accepted');
  return client;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const tag of [{ idTag: 'BILL-CARD' }, { idTag: 'FLEET' }, { idTag: 'FLEET-1', parentIdTag: 'FLEET' }, { idTag: 'STAFF', internal: true }]) {
    expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
  }
  expect((await server.api('POST', '/api/v1/sites', { id: 'berlin', name: 'Berlin depot', timeZone: 'Europe/Berlin' })).status).toBe(201);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all(simulated.map((cp) => cp.close()));
  await server.close();
});

describe('rating sessions when they stop', () => {
  it('bills FLAT, ENERGY, TIME and PARKING_TIME after the idle grace period, with VAT per item', async () => {
    const id = await tariff({
      currency: 'EUR',
      idle_grace_minutes: 10,
      elements: [
        {
          price_components: [
            { type: 'FLAT', price: 1, vat: 19, step_size: 1 },
            { type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 },
            { type: 'TIME', price: 2, vat: 19, step_size: 60 },
            { type: 'PARKING_TIME', price: 6, vat: 19, step_size: 60 },
          ],
        },
      ],
    });
    const client = await station('BILL-ELEMENTS', { siteId: 'berlin', tariffId: id });
    const tx = await runSession(client, {
      idTag: 'BILL-CARD',
      start: '2026-06-10T08:00:00Z',
      meterStartWh: 1000,
      steps: [
        { at: '2026-06-10T08:30:00Z', registerWh: 11_000, powerW: 20_000 },
        { at: '2026-06-10T09:00:00Z', status: 'SuspendedEV' },
        { at: '2026-06-10T09:00:00Z', registerWh: 21_000, powerW: 0 },
      ],
      stop: '2026-06-10T09:40:00Z',
      meterStopWh: 21_000,
    });
    const session = await ratedSession(server, tx);
    expect(itemsOf(session.cost)).toEqual([
      ['FLAT', 1, 1, 1, 1.19],
      ['ENERGY', 20, 0.3, 6, 7.14],
      ['TIME', 1, 2, 2, 2.38],
      ['PARKING_TIME', 0.5, 6, 3, 3.57], // 40 min idle, the first 10 free
    ]);
    expect(session.cost).toMatchObject({ currency: 'EUR', totalExclTax: 12, total: 14.28, tariffId: id, tariffVersion: 1, internal: false, chargingSeconds: 3600, idleSeconds: 2400 });

    const timeline = (await server.api('GET', `/api/v1/sessions/${tx}/timeline`)).body;
    expect(timeline).toMatchObject({ energyWh: 20_000, tariffId: id, tariffSource: 'station' });
    expect(timeline.intervals.map((i: { kind: string }) => i.kind)).toEqual(['charging', 'charging', 'idle']);
  });

  it('applies min_price and max_price, and a token group tariff before the station one', async () => {
    const capped = await tariff({ currency: 'EUR', max_price: { excl_vat: 5, incl_vat: 5.95 }, elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 19, step_size: 1 }] }] });
    const minimum = await tariff({ currency: 'EUR', min_price: { excl_vat: 2, incl_vat: 2.38 }, elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 19, step_size: 1 }] }] });
    expect((await server.api('PUT', '/api/v1/tariff-assignments/groups/FLEET', { tariffId: capped })).status).toBe(200);
    const client = await station('BILL-LIMITS', { siteId: 'berlin', tariffId: minimum });

    const fleet = await runSession(client, { idTag: 'FLEET-1', start: '2026-06-11T08:00:00Z', meterStartWh: 0, stop: '2026-06-11T10:00:00Z', meterStopWh: 30_000 });
    expect((await ratedSession(server, fleet)).cost).toMatchObject({ tariffId: capped, totalExclTax: 5, total: 5.95, priceLimit: 'max_price' });
    expect(itemsOf((await ratedSession(server, fleet)).cost)).toEqual([['ENERGY', 30, 0.5, 15, 17.85]]);

    const small = await runSession(client, { idTag: 'BILL-CARD', start: '2026-06-11T11:00:00Z', meterStartWh: 30_000, stop: '2026-06-11T11:10:00Z', meterStopWh: 31_000 });
    expect((await ratedSession(server, small)).cost).toMatchObject({ tariffId: minimum, totalExclTax: 2, total: 2.38, priceLimit: 'min_price' });
  });

  it('splits energy at a price window in the site time zone across the October and March daylight-saving changes', async () => {
    const id = await tariff({
      currency: 'EUR',
      elements: [
        { price_components: [{ type: 'ENERGY', price: 0.2, vat: 0, step_size: 1 }], restrictions: { start_time: '22:00', end_time: '06:00' } },
        { price_components: [{ type: 'ENERGY', price: 0.4, vat: 0, step_size: 1 }] },
      ],
    });
    expect((await server.api('POST', '/api/v1/sites', { id: 'berlin-tou', name: 'Berlin time of use', timeZone: 'Europe/Berlin', tariffId: id })).status).toBe(201);
    const client = await station('BILL-DST', { siteId: 'berlin-tou' });
    // 6 kWh per hour for three hours; readings every 30 minutes.
    const steadySession = (start: string) => {
      const t0 = Date.parse(start);
      const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
      return {
        idTag: 'BILL-CARD',
        start,
        meterStartWh: 0,
        steps: [30, 60, 90, 120, 150].map((m) => ({ at: at(m), registerWh: m * 100 })),
        stop: at(180),
        meterStopWh: 18_000,
      };
    };
    // 25 Oct 2026, 03:00 CEST → 02:00 CET. 03:00Z–06:00Z is 04:00–07:00 CET; night ends 06:00 CET = 05:00Z.
    const october = await ratedSession(server, await runSession(client, steadySession('2026-10-25T03:00:00Z')));
    expect(itemsOf(october.cost)).toEqual([
      ['ENERGY', 12, 0.2, 2.4, 2.4],
      ['ENERGY', 6, 0.4, 2.4, 2.4],
    ]);
    // 29 Mar 2026, 02:00 CET → 03:00 CEST. 03:00Z–06:00Z is 05:00–08:00 CEST; night ends 06:00 CEST = 04:00Z.
    const march = await ratedSession(server, await runSession(client, steadySession('2026-03-29T03:00:00Z')));
    expect(itemsOf(march.cost)).toEqual([
      ['ENERGY', 6, 0.2, 1.2, 1.2],
      ['ENERGY', 12, 0.4, 4.8, 4.8],
    ]);
    // Across the change itself: 00:00Z–02:00Z on 25 Oct is 02:00 CEST–02:00 CET, all of it night.
    const overnight = await ratedSession(server, await runSession(client, { idTag: 'BILL-CARD', start: '2026-10-25T00:00:00Z', meterStartWh: 0, stop: '2026-10-25T02:00:00Z', meterStopWh: 10_000 }));
    expect(itemsOf(overnight.cost)).toEqual([['ENERGY', 10, 0.2, 2, 2]]);
  });

  it('rates kWh-unit meters, a meter reset, per-phase power and a meterStop of 0', async () => {
    const id = await tariff({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 0, step_size: 1 }, { type: 'PARKING_TIME', price: 3, vat: 0, step_size: 1 }] }] });
    const client = await station('BILL-METERS', { siteId: 'berlin', tariffId: id });

    const kwh = await runSession(client, {
      idTag: 'BILL-CARD',
      start: '2026-07-01T08:00:00Z',
      meterStartWh: 100_000,
      steps: [{ at: '2026-07-01T08:30:00Z', registerKWh: '105.5' }, { at: '2026-07-01T09:00:00Z', registerKWh: '110.25' }],
      stop: '2026-07-01T09:00:00Z',
      meterStopWh: 110_250,
    });
    expect(itemsOf((await ratedSession(server, kwh)).cost)).toEqual([['ENERGY', 10.25, 0.3, 3.08, 3.08]]); // 3.075 → 3.08 half-up

    const reset = await runSession(client, {
      idTag: 'BILL-CARD',
      start: '2026-07-02T08:00:00Z',
      meterStartWh: 50_000,
      steps: [{ at: '2026-07-02T08:20:00Z', registerWh: 55_000 }, { at: '2026-07-02T08:40:00Z', registerWh: 1000 }],
      stop: '2026-07-02T09:00:00Z',
      meterStopWh: 4000,
    });
    const resetSession = await ratedSession(server, reset);
    expect(resetSession.flags).toContain('meter_reset');
    expect(itemsOf(resetSession.cost)).toEqual([['ENERGY', 9, 0.3, 2.7, 2.7]]); // 5 + 1 + 3 kWh

    // Per-phase power drops to almost nothing at 08:30: the last half hour is idle (parking).
    const phases = await runSession(client, {
      idTag: 'BILL-CARD',
      start: '2026-07-03T08:00:00Z',
      meterStartWh: 0,
      steps: [
        { at: '2026-07-03T08:00:00Z', perPhaseW: [3700, 3700, 3700] },
        { at: '2026-07-03T08:30:00Z', registerWh: 5550 },
        { at: '2026-07-03T08:30:00Z', perPhaseW: [10, 5, 0] },
      ],
      stop: '2026-07-03T09:00:00Z',
      meterStopWh: 0, // this charger does not know its register at the stop
    });
    const phaseSession = await ratedSession(server, phases);
    expect(itemsOf(phaseSession.cost)).toEqual([
      ['ENERGY', 5.55, 0.3, 1.67, 1.67],
      ['PARKING_TIME', 0.5, 3, 1.5, 1.5],
    ]);
    expect(phaseSession.cost).toMatchObject({ chargingSeconds: 1800, idleSeconds: 1800 });
  });

  it('bills a simulated kWh-meter station (pedestal profile) exactly for the energy it reports', async () => {
    const id = await tariff({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 20, step_size: 1 }] }] });
    expect((await server.api('POST', '/api/v1/stations', { id: 'BILL-SIM', siteId: 'berlin', tariffId: id })).status).toBe(201);
    const cp = await startStation({ url: `${server.url.replace(/^http/, 'ws')}/ocpp`, id: 'BILL-SIM', profile: 'pedestal', idTag: 'BILL-CARD', meterIntervalMs: 50, speed: 600 });
    simulated.push(cp);
    await cp.startSession(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const stop = await cp.stopSession(1);
    const session = await ratedSession(server, stop.transactionId);
    expect(stop.energyWh).toBeGreaterThan(0);
    expect(session.energyWh).toBe(stop.energyWh);
    const excl = Math.round((stop.energyWh / 1000) * 0.25 * 100 + 1e-9) / 100;
    expect(session.cost.totalExclTax).toBeCloseTo(excl, 10);
    expect(session.cost.total).toBeCloseTo(Math.round(excl * 1.2 * 100 + 1e-9) / 100, 10);
  });

  it('rates internal users at zero but records the cost', async () => {
    const id = await tariff({ currency: 'EUR', min_price: { excl_vat: 1 }, elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 }] }] });
    const client = await station('BILL-STAFF', { siteId: 'berlin', tariffId: id });
    const tx = await runSession(client, { idTag: 'STAFF', start: '2026-06-12T08:00:00Z', meterStartWh: 0, stop: '2026-06-12T09:00:00Z', meterStopWh: 10_000 });
    const session = await ratedSession(server, tx);
    expect(session.cost).toMatchObject({ internal: true, total: 0, totalExclTax: 0, tariffId: id });
    expect(itemsOf(session.cost)).toEqual([['ENERGY', 10, 0.3, 0, 0]]);
  });

  it('keeps the tariff version a session started under, shows a running estimate, and re-rates on request', async () => {
    const id = await tariff({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 0, step_size: 1 }] }] });
    const client = await station('BILL-VERSION', { siteId: 'berlin', tariffId: id });
    const start = new Date(Date.now() - 3600_000).toISOString();
    const started = await client.call('StartTransaction', { connectorId: 1, idTag: 'BILL-CARD', meterStart: 0, timestamp: start });
    const tx = started.transactionId as number;
    await client.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [{ timestamp: new Date(Date.now() - 1800_000).toISOString(), sampledValue: [{ value: '4000' }] }] });

    // The start event records the version; wait until it has.
    const deadline = Date.now() + 10_000;
    let running = (await server.api('GET', `/api/v1/sessions/${tx}/timeline`)).body;
    while (running.tariffVersion === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      running = (await server.api('GET', `/api/v1/sessions/${tx}/timeline`)).body;
    }
    expect(running).toMatchObject({ tariffId: id, tariffVersion: 1, energyWh: 4000, estimatedCost: { total: 1.2 } });
    expect((await server.api('POST', `/api/v1/sessions/${tx}/rate`)).status).toBe(409);

    expect((await server.api('PATCH', `/api/v1/tariffs/${id}`, { elements: [{ price_components: [{ type: 'ENERGY', price: 0.9, vat: 0, step_size: 1 }] }] })).body.version).toBe(2);
    await client.call('StopTransaction', { transactionId: tx, meterStop: 5000, timestamp: new Date().toISOString() });
    const session = await ratedSession(server, tx);
    expect(session.cost).toMatchObject({ tariffVersion: 1, total: 1.5 });

    const rerated = await server.api('POST', `/api/v1/sessions/${tx}/rate`);
    expect(rerated.status).toBe(200);
    expect(rerated.body.cost).toMatchObject({ tariffId: id, tariffVersion: 1, total: 1.5 });
    expect((await server.api('POST', '/api/v1/sessions/999999/rate')).status).toBe(404);

    // A session started after the change pays the new price.
    const later = await runSession(client, { idTag: 'BILL-CARD', start: new Date().toISOString(), meterStartWh: 5000, stop: new Date(Date.now() + 60_000).toISOString(), meterStopWh: 6000 });
    expect((await ratedSession(server, later)).cost).toMatchObject({ tariffVersion: 2, total: 0.9 });
  });
});

// Energy and revenue reports over real HTTP with real sessions: every grouping's sums equal the
// sums of the sessions themselves (from /api/v1/sessions), per currency; days in the site's zone
// or the tz asked for; the CSV has a header and the same rows; keyset pages lose nothing.

import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/api/csv.js';
import { energyRevenue } from '../../src/capabilities/reports/energy-revenue.js';
import type { OcppTestClient } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { chargeSession, costOf, item, rateSession, standInForRating, station } from '../invoicing/rating-stand-in.js';

let server: TestServer;
const clients: OcppTestClient[] = [];
const SITE_ZONE = 'Europe/Berlin';
const DAY0 = DateTime.utc().startOf('day').minus({ days: 10 });
const FROM = DAY0.minus({ days: 1 }).toISO()!;
const TO = DAY0.plus({ days: 5 }).toISO()!;

const STATION_SITE: Record<string, string | null> = { 'REP-A': 'rep-site', 'REP-B': 'rep-site', 'REP-C': null };
const TAG_GROUP: Record<string, string> = { 'REP-GRP-1': 'rep-grp', 'REP-GRP-2': 'rep-grp', 'REP-GRP': 'rep-grp', 'REP-SOLO': 'rep-solo' };

interface Expected {
  id: number;
  stationId: string;
  idTag: string;
  stoppedAt: Date;
  energyWh: number;
  cost: { currency: string; total: number; totalExclTax: number } | null;
}
const sessions: Expected[] = [];

beforeAll(async () => {
  server = await startTestServer({ INVOICE_TIME_ZONE: 'UTC' });
  standInForRating(server);
  expect((await server.api('POST', '/api/v1/sites', { id: 'rep-site', name: 'Report Depot', timeZone: SITE_ZONE })).status).toBe(201);
  for (const tag of [{ idTag: 'REP-GRP', ownerName: 'Group Owner' }, { idTag: 'REP-GRP-1', parentIdTag: 'REP-GRP' }, { idTag: 'REP-GRP-2', parentIdTag: 'REP-GRP' }, { idTag: 'REP-SOLO' }]) {
    expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
  }
  const plan: { stationId: string; idTag: string; day: number; hour: number; energyWh: number; cost?: ReturnType<typeof costOf> }[] = [
    { stationId: 'REP-A', idTag: 'REP-GRP-1', day: 0, hour: 9, energyWh: 10_000, cost: costOf([item('ENERGY', 10, 0.3, 19, 3, 3.57)]) },
    { stationId: 'REP-A', idTag: 'REP-GRP-2', day: 0, hour: 14, energyWh: 5_250, cost: costOf([item('ENERGY', 5.25, 0.4, 19, 2.1, 2.5), item('FLAT', 1, 1, 19, 1, 1.19)]) },
    // Stops at 23:30 UTC: already the next day in Berlin.
    { stationId: 'REP-B', idTag: 'REP-SOLO', day: 1, hour: 23, energyWh: 7_777, cost: costOf([item('ENERGY', 7.777, 0.35, 19, 2.72, 3.24)]) },
    { stationId: 'REP-B', idTag: 'REP-GRP', day: 2, hour: 10, energyWh: 3_000, cost: costOf([item('ENERGY', 3, 0.5, 8.1, 1.5, 1.62)], { currency: 'CHF' }) },
    { stationId: 'REP-C', idTag: 'REP-SOLO', day: 2, hour: 11, energyWh: 12_345, cost: costOf([item('ENERGY', 12.345, 0.3, 19, 3.7, 4.4)]) },
    { stationId: 'REP-C', idTag: 'REP-GRP-1', day: 3, hour: 8, energyWh: 4_000 }, // never rated
    { stationId: 'REP-A', idTag: 'REP-GRP-2', day: 3, hour: 16, energyWh: 6_500, cost: costOf([item('ENERGY', 6.5, 0, 19, 0, 0)], { internal: true }) },
  ];
  const byStation = new Map<string, OcppTestClient>();
  for (const stationId of Object.keys(STATION_SITE)) {
    byStation.set(stationId, await station(server, stationId, clients));
    const site = STATION_SITE[stationId];
    if (site) expect((await server.api('PATCH', `/api/v1/stations/${stationId}`, { siteId: site })).status).toBe(200);
  }
  for (const step of plan) {
    const startedAt = DAY0.plus({ days: step.day, hours: step.hour }).toJSDate();
    const stoppedAt = new Date(startedAt.getTime() + 30 * 60_000);
    const id = await chargeSession(byStation.get(step.stationId)!, { idTag: step.idTag, startedAt, stoppedAt, energyWh: step.energyWh });
    if (step.cost) await rateSession(server, id, step.cost);
    sessions.push({ id, stationId: step.stationId, idTag: step.idTag, stoppedAt, energyWh: step.energyWh, cost: step.cost ?? null });
  }
  // The sessions as the API tells them: the reports must agree with these.
  for (const session of sessions) {
    const body = (await server.api('GET', `/api/v1/sessions/${session.id}`)).body;
    expect(body.energyWh).toBe(session.energyWh);
    expect(body.cost?.total ?? null).toBe(session.cost?.total ?? null);
  }
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

type Key = (session: Expected) => string;
const KEYS: Record<string, Key> = {
  station: (session) => session.stationId,
  site: (session) => STATION_SITE[session.stationId] ?? '',
  group: (session) => TAG_GROUP[session.idTag]!,
  day: (session) => DateTime.fromJSDate(session.stoppedAt, { zone: STATION_SITE[session.stationId] ? SITE_ZONE : 'UTC' }).toFormat('yyyy-MM-dd'),
  month: (session) => DateTime.fromJSDate(session.stoppedAt, { zone: STATION_SITE[session.stationId] ? SITE_ZONE : 'UTC' }).toFormat('yyyy-MM'),
};

/** The expected rows from the sessions themselves: sums in cents, per key and currency. */
function expectedRows(key: Key) {
  const rows = new Map<string, { key: string; currency: string | null; sessions: number; energyWh: number; cents: number; centsExcl: number }>();
  for (const session of sessions) {
    const currency = session.cost?.currency ?? null;
    const id = `${key(session)}|${currency}`;
    const row = rows.get(id) ?? { key: key(session), currency, sessions: 0, energyWh: 0, cents: 0, centsExcl: 0 };
    row.sessions += 1;
    row.energyWh += session.energyWh;
    row.cents += Math.round((session.cost?.total ?? 0) * 100);
    row.centsExcl += Math.round((session.cost?.totalExclTax ?? 0) * 100);
    rows.set(id, row);
  }
  return [...rows.values()]
    .map((row) => ({
      key: row.key,
      currency: row.currency,
      sessions: row.sessions,
      energyWh: row.energyWh,
      revenue: row.currency === null ? null : row.cents / 100,
      revenueExclTax: row.currency === null ? null : row.centsExcl / 100,
    }))
    .sort((a, b) => (a.key === b.key ? String(a.currency ?? '').localeCompare(String(b.currency ?? '')) : a.key < b.key ? -1 : 1));
}

async function report(query: string): Promise<any[]> {
  const response = await server.api('GET', `/api/v1/reports/energy-revenue?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}&${query}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return response.body;
}

describe('energy and revenue report', () => {
  for (const groupBy of Object.keys(KEYS)) {
    it(`by ${groupBy}: the sums equal the sessions' sums, per currency`, async () => {
      const rows = await report(`groupBy=${groupBy}`);
      expect(rows.map(({ key, currency, sessions: count, energyWh, revenue, revenueExclTax }) => ({ key, currency, sessions: count, energyWh, revenue, revenueExclTax }))).toEqual(
        expectedRows(KEYS[groupBy]!),
      );
      for (const row of rows) expect(row.energyKWh).toBeCloseTo(row.energyWh / 1000, 9);
    });
  }

  it('labels groups by their owner and sites by their name', async () => {
    expect((await report('groupBy=group')).find((row) => row.key === 'rep-grp' && row.currency === 'EUR')?.label).toBe('Group Owner');
    const sites = await report('groupBy=site');
    expect(sites.find((row) => row.key === 'rep-site')?.label).toBe('Report Depot');
    expect(sites.find((row) => row.key === '')?.label).toBe('No site');
  });

  it('days follow the tz asked for; from/to select by stop time; station and site filters', async () => {
    const late = sessions[2]!;
    const utcDays = (await report('groupBy=day&tz=UTC')).map((row) => row.key);
    expect(utcDays).toContain(DateTime.fromJSDate(late.stoppedAt, { zone: 'UTC' }).toFormat('yyyy-MM-dd'));
    expect(KEYS['day']!(late)).not.toBe(DateTime.fromJSDate(late.stoppedAt, { zone: 'UTC' }).toFormat('yyyy-MM-dd'));

    const oneDay = DAY0.toFormat('yyyy-MM-dd');
    const response = await server.api('GET', `/api/v1/reports/energy-revenue?groupBy=station&from=${oneDay}&to=${DAY0.plus({ days: 1 }).toFormat('yyyy-MM-dd')}&tz=UTC`);
    expect(response.body).toEqual([expect.objectContaining({ key: 'REP-A', currency: 'EUR', sessions: 2, energyWh: 15_250, revenue: 7.26, revenueExclTax: 6.1 })]);

    const atSite = await report('groupBy=station&siteId=rep-site');
    expect([...new Set(atSite.map((row) => row.key))]).toEqual(['REP-A', 'REP-B']);
    const oneStation = await report('groupBy=month&stationId=REP-C');
    expect(oneStation.reduce((sum, row) => sum + row.sessions, 0)).toBe(sessions.filter((session) => session.stationId === 'REP-C').length);

    expect((await server.api('GET', '/api/v1/reports/energy-revenue?groupBy=site&tz=Mars/Olympus')).status).toBe(400);
    expect((await server.api('GET', '/api/v1/reports/energy-revenue?groupBy=planet')).status).toBe(400);
  });

  it('CSV: a header row, then the same rows as JSON', async () => {
    const response = await fetch(`${server.url}/api/v1/reports/energy-revenue.csv?groupBy=station&from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`, {
      headers: { authorization: 'Bearer test-api-key-0123456789' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await response.text()).map((row) => row.cells);
    expect(header).toEqual(['group_by', 'key', 'label', 'currency', 'sessions', 'energy_kwh', 'revenue', 'revenue_excl_tax']);
    const json = await report('groupBy=station');
    expect(rows).toHaveLength(json.length);
    rows.forEach((cells, i) => {
      const row = json[i];
      expect(cells[0]).toBe('station');
      expect(cells[1]).toBe(row.key);
      expect(cells[3]).toBe(row.currency ?? '');
      expect(Number(cells[4])).toBe(row.sessions);
      expect(Number(cells[5])).toBeCloseTo(row.energyWh / 1000, 3);
      expect(cells[6] === '' ? null : Number(cells[6])).toBe(row.revenue);
      expect(cells[7] === '' ? null : Number(cells[7])).toBe(row.revenueExclTax);
    });
  });

  it('pages of two groups give the same rows as one page', async () => {
    const query = { tenantId: 1, groupBy: 'station' as const, from: new Date(FROM), to: new Date(TO), defaultTimeZone: 'UTC' };
    const all: unknown[] = [];
    for await (const row of energyRevenue(server.server.storage.db, query, 1000)) all.push(row);
    const paged: unknown[] = [];
    for await (const row of energyRevenue(server.server.storage.db, query, 2)) paged.push(row);
    expect(all.length).toBeGreaterThan(3);
    expect(paged).toEqual(all);
  });
});

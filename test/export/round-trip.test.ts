// Full export → import: simulated stations run real sessions against one instance; its archive,
// imported into a fresh instance (same database engine, and the other one), makes every listing
// and detail of the API answer the same, and exports the same data again. An instance that holds
// data refuses an import; a corrupt archive is refused with a clear 400 and leaves nothing.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { createScratchDatabase, engine, startTestServer, type TestServer } from '../support/test-server.js';
import { alterArchive, buildArchive, downloadArchive, everyListingPath, openArchive, readAll, uploadArchive } from './archive-helpers.js';

const run = promisify(execFile);
const TIMEOUT = 180_000;
const TAG = 'EXP-CARD-1';

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Id tags, a site, a tariff, a pre-registered station with a password, and sessions with meter values from simulated stations. */
async function populate(server: TestServer): Promise<void> {
  const tags = [
    { idTag: 'EXP-FLEET', ownerName: 'Fleet Ltd', maxConcurrentTx: 3 },
    { idTag: TAG, parentIdTag: 'EXP-FLEET', expiryDate: '2031-06-30T12:00:00.000Z', ownerName: 'Ada Lovelace' },
    { idTag: 'EXP-STAFF', internal: true },
    { idTag: 'EXP-BLOCKED', status: 'Blocked' },
  ];
  for (const tag of tags) expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
  const site = await server.api('POST', '/api/v1/sites', { name: 'Depot North', timeZone: 'Europe/Berlin', gridLimitAmps: 80.5 });
  expect(site.status).toBe(201);
  expect((await server.api('POST', '/api/v1/stations', { id: 'EXP-SECURE', password: 'correct-horse-1', timeZone: 'Europe/Berlin', siteId: site.body.id })).status).toBe(201);

  // Every session is rated under a default tariff; the paid ones get receipts.
  const tariff = await server.api('POST', '/api/v1/tariffs', {
    currency: 'EUR',
    type: 'REGULAR',
    elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 }, { type: 'FLAT', price: 0.5, vat: 19, step_size: 1 }] }],
  });
  expect(tariff.status).toBe(201);
  expect((await server.api('PUT', '/api/v1/tariff-assignments/default', { tariffId: tariff.body.id })).status).toBe(200);
  expect((await server.api('PUT', '/api/v1/invoice-customers/EXP-FLEET', { billing: 'receipt' })).status).toBe(200);

  const url = `${server.url.replace(/^http/, 'ws')}/ocpp`;
  const stations: ChargePoint[] = [];
  try {
    const wallbox = await startStation({ url, id: 'EXP-SECURE', profile: 'wallbox', password: 'correct-horse-1', idTag: TAG, meterIntervalMs: 40, speed: 30 });
    const fast = await startStation({ url, id: 'EXP DC#2', profile: 'dc-fast', idTag: 'EXP-STAFF', meterIntervalMs: 40, speed: 30 });
    stations.push(wallbox, fast);
    for (const [station, connector] of [[wallbox, 1], [fast, 1], [fast, 2], [wallbox, 1]] as const) {
      const session = await station.startSession(connector);
      await until(async () => (await server.api('GET', `/api/v1/sessions/${session.transactionId}/meter-values`)).body.length >= 6, 'meter values');
      await station.stopSession(connector);
    }
    await fast.startSession(1); // left running: an active session must survive the trip too
    await until(async () => (await server.api('GET', '/api/v1/sessions?active=true')).body.length === 1, 'the running session');
    // A command from the API, recorded with its answer.
    expect((await server.api('POST', `/api/v1/stations/${encodeURIComponent('EXP DC#2')}/commands/GetConfiguration`, { key: ['HeartbeatInterval'] })).status).toBe(200);
  } finally {
    await Promise.all(stations.map((station) => station.close()));
  }
  await until(() => !server.server.caller.isOnline('EXP-SECURE') && !server.server.caller.isOnline('EXP DC#2'), 'the stations to go offline');
  // Rating and receipts follow the stops as events; the archive is taken once they are done.
  await until(async () => (await server.api('GET', '/api/v1/sessions?active=false')).body.every((session: any) => session.cost), 'the ratings');
  const receipts = async () => (await server.api('GET', '/api/v1/invoices?kind=receipt')).body as any[];
  await until(async () => (await receipts()).length === 2, 'the receipts of the two paid sessions');
  const credit = await server.api('POST', `/api/v1/invoices/${(await receipts())[0].id}/credit-note`, { reason: 'Goodwill' });
  expect(credit.status).toBe(201);
  // The station's own last frames (its close) are written to the log after it goes away.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

/** Table files of an archive (the manifest differs only in its export time, checked apart). */
async function tableFiles(archive: Buffer): Promise<Record<string, string>> {
  return Object.fromEntries((await openArchive(archive)).filter(([name]) => name !== 'manifest.json').map(([name, content]) => [name, content.toString('utf8')]));
}

async function manifestOf(archive: Buffer): Promise<any> {
  const [first] = await openArchive(archive);
  expect(first![0]).toBe('manifest.json');
  return JSON.parse(first![1].toString('utf8'));
}

/** A fresh instance on the other engine than this test run's. */
async function startOnOtherEngine(): Promise<TestServer> {
  if (engine === 'postgres') return startTestServer({}, { dataDir: 'memory://', clock });
  const scratch = await createScratchDatabase();
  const server = await startTestServer({}, { databaseUrl: scratch.url, clock });
  return { ...server, close: async () => (await server.close(), await scratch.drop()) };
}

/**
 * Real time while the data is made; then one frozen instant for every instance, so answers
 * computed from "now" (a running session's cost so far, rated at now) are alike.
 */
let frozen: Date | undefined;
const clock: Clock = { now: () => frozen ?? new Date() };

let source: TestServer;
let archive: Buffer;
let paths: string[];
let expected: Record<string, [number, unknown]>;

beforeAll(async () => {
  source = await startTestServer({}, { clock });
  await populate(source);
  frozen = new Date();
  archive = await downloadArchive(source);
  paths = await everyListingPath(source);
  expected = await readAll(source, paths);
}, TIMEOUT);
afterAll(() => source?.close());

describe('the archive', () => {
  it('holds every exported table with its rows, described by the manifest', async () => {
    const manifest = await manifestOf(archive);
    expect(manifest).toMatchObject({ format: 'ocpp-csms-export', formatVersion: 1, includesMessageLog: true });
    expect(manifest.schemaVersion).toMatch(/^\d{4}_/);
    const rows = Object.fromEntries(manifest.tables.map((table: any) => [table.name, table.rows]));
    expect(rows['stations']).toBe(2);
    expect(rows['sites']).toBe(1);
    expect(rows['id_tags']).toBe(4);
    expect(rows['transactions']).toBe(5);
    expect(rows['meter_values']).toBeGreaterThan(20);
    expect(rows['ocpp_messages']).toBeGreaterThan(20);
    expect(rows['invoices']).toBe(3); // two receipts and a credit note
    expect(rows['document_counters']).toBeGreaterThanOrEqual(2);
    expect(rows['tariff_versions']).toBe(1);
    expect(rows['station_commands']).toBeGreaterThanOrEqual(1);
    expect(Object.keys(manifest.excludedTables).sort()).toEqual(['api_keys', 'audit_log', 'user_sessions', 'users']);
    // Parents come before the tables that reference them.
    const order = manifest.tables.map((table: any) => table.name);
    expect(order.indexOf('stations')).toBeLessThan(order.indexOf('transactions'));
    expect(order.indexOf('stations')).toBeLessThan(order.indexOf('connectors'));
    expect(order.indexOf('sites')).toBeLessThan(order.indexOf('stations'));

    const files = await tableFiles(archive);
    const sessions = files['tables/transactions/000001.ndjson']!.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(sessions).toHaveLength(5);
    // The documented encoding: UTC instants with microseconds, bigints as strings, arrays as arrays.
    expect(sessions[0].started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(typeof sessions[0].meter_start_wh).toBe('string');
    expect(Array.isArray(sessions[0].flags)).toBe(true);
    const station = files['tables/stations/000001.ndjson']!.split('\n').map((line) => line && JSON.parse(line)).find((row) => row?.id === 'EXP-SECURE');
    expect(station.password_hash).toMatch(/^scrypt/);
    expect(station.time_zone).toBe('Europe/Berlin');
  });

  it('leaves the message log out unless asked for', async () => {
    const small = await downloadArchive(source, '');
    const manifest = await manifestOf(small);
    expect(manifest.includesMessageLog).toBe(false);
    expect(manifest.tables.map((table: any) => table.name)).not.toContain('ocpp_messages');
    expect(manifest.excludedTables).toHaveProperty('ocpp_messages');
  });
});

const otherEngine = engine === 'postgres' ? 'embedded' : 'postgres';
describe.each([
  [`${engine} (the same engine)`, () => startTestServer({}, { clock })],
  [`${otherEngine} (exported from ${engine})`, startOnOtherEngine],
])('imported into a fresh instance on %s', (_name, start) => {
  let target: TestServer;
  beforeAll(async () => {
    target = await start();
  }, TIMEOUT);
  afterAll(() => target?.close());

  it('answers every listing and detail of the API the same, and exports the same data', async () => {
    const imported = await uploadArchive(target, archive);
    expect(imported.status).toBe(200);
    expect(imported.body.imported.tables.transactions).toBe(5);

    expect(paths).toEqual(
      expect.arrayContaining(['/api/v1/stations', '/api/v1/id-tags', '/api/v1/sessions', '/api/v1/stations/EXP%20DC%232/commands', '/api/v1/sites', '/api/v1/tariffs', '/api/v1/invoices']),
    );
    expect(paths.filter((path) => /^\/api\/v1\/sessions\/\d+\/meter-values$/.test(path))).toHaveLength(5);
    expect(paths.length).toBeGreaterThanOrEqual(30);
    expect(await readAll(target, paths)).toEqual(expected);

    const again = await downloadArchive(target);
    expect(await tableFiles(again)).toEqual(await tableFiles(archive));
    const { exportedAt: _first, ...before } = await manifestOf(archive);
    const { exportedAt: _second, ...after } = await manifestOf(again);
    expect(after).toEqual(before);
  }, TIMEOUT);

  it('goes on numbering sessions and receipts after the imported ones', async () => {
    const url = `${target.url.replace(/^http/, 'ws')}/ocpp`;
    const station = await startStation({ url, id: 'EXP-SECURE', profile: 'wallbox', password: 'correct-horse-1', idTag: TAG, meterIntervalMs: 0 });
    try {
      const session = await station.startSession(1);
      const ids = (expected['/api/v1/sessions']![1] as { id: number }[]).map((row) => row.id);
      expect(session.transactionId).toBe(Math.max(...ids) + 1);
      await station.stopSession(1);
      const receipts = async () => (await target.api('GET', '/api/v1/invoices?kind=receipt')).body as { number: string }[];
      await until(async () => (await receipts()).length === 3, 'the new receipt');
      expect((await receipts()).map((receipt) => receipt.number.slice(-6)).sort()).toEqual(['000001', '000002', '000003']);
    } finally {
      await station.close();
    }
  }, TIMEOUT);
});

describe('refusals', () => {
  it('refuses an import into an instance that holds data, and changes nothing', async () => {
    const refused = await uploadArchive(source, archive);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/already holds data/);
    expect(refused.body.tables).toEqual(expect.arrayContaining(['stations', 'id_tags', 'transactions']));
    expect(await readAll(source, ['/api/v1/stations', '/api/v1/id-tags', '/api/v1/sessions'])).toEqual({
      '/api/v1/stations': expected['/api/v1/stations'],
      '/api/v1/id-tags': expected['/api/v1/id-tags'],
      '/api/v1/sessions': expected['/api/v1/sessions'],
    });
  });

  it('asks for credentials and for the archive itself', async () => {
    expect((await fetch(`${source.url}/api/v1/exports/archive`)).status).toBe(401);
    expect((await fetch(`${source.url}/api/v1/imports/archive`, { method: 'POST', headers: { 'content-type': 'application/gzip' }, body: archive })).status).toBe(401);
    const json = await source.api('POST', '/api/v1/imports/archive', { tables: [] });
    expect(json.status).toBe(400);
    expect(json.body.detail).toMatch(/Content-Type application\/gzip/);
  });

  it('refuses corrupt archives with a clear 400, imports nothing, and still takes a good one afterwards', async () => {
    const target = await startTestServer({}, { clock });
    try {
      const lastTable = (await manifestOf(archive)).tables.filter((table: any) => table.rows > 0).at(-1).name;
      const cases: [string, Buffer, RegExp][] = [
        ['not gzip', Buffer.from('hello, this is not an archive'), /not a readable \.tar\.gz/],
        ['cut short', archive.subarray(0, Math.floor(archive.length * 0.8)), /not a readable \.tar\.gz|incomplete/],
        [
          'a newer schema',
          await alterArchive(archive, (name, content) => (name === 'manifest.json' ? content.replace(/"schemaVersion": "[^"]+"/, '"schemaVersion": "9999_future"') : content)),
          /schema version 9999_future/,
        ],
        [
          'a bad value in the last table',
          await alterArchive(archive, (name, content) => (name.startsWith(`tables/${lastTable}/`) ? content.replace(/"id":\d+/, '"id":"twelve"') : content)),
          new RegExp(`tables/${lastTable}/000001\\.ndjson \\(lines 1–`),
        ],
        [
          'a missing row',
          await alterArchive(archive, (name, content) => (name === 'tables/transactions/000001.ndjson' ? content.split('\n').slice(1).join('\n') : content)),
          /transactions: the manifest announces 5 rows, the archive holds 4/,
        ],
        ['no manifest', await buildArchive([['tables/stations/000001.ndjson', '{"id":"X"}\n']]), /must begin with manifest\.json/],
      ];
      for (const [what, bad, detail] of cases) {
        const answer = await uploadArchive(target, bad);
        expect({ what, status: answer.status, type: answer.body.title }).toEqual({ what, status: 400, type: 'Bad Request' });
        expect(answer.body.detail).toMatch(/^Nothing was imported: /);
        expect(answer.body.detail).toMatch(detail);
        for (const path of ['/api/v1/stations', '/api/v1/id-tags', '/api/v1/sessions']) expect((await target.api('GET', path)).body).toEqual([]);
      }
      expect((await uploadArchive(target, archive)).status).toBe(200);
      expect(await readAll(target, paths)).toEqual(expected);
    } finally {
      await target.close();
    }
  }, TIMEOUT);
});

describe('npm run export / npm run import', () => {
  // The CLI works on the database directly: the source's PostgreSQL database (while its server
  // runs), imported into a new embedded database folder, then served.
  it.runIf(engine === 'postgres')('exports from DATABASE_URL and imports into DATA_DIR', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'export-cli-'));
    try {
      const file = join(folder, 'all.tar.gz');
      const env = { ...process.env, DATABASE_URL: source.server.services.config.databaseUrl!, LOG_LEVEL: 'warn' };
      const exported = await run('npx', ['tsx', 'src/export/cli.ts', 'export', '--out', file, '--with-message-log'], { env });
      expect(exported.stderr).toMatch(/exported \d+ rows of \d+ tables/);

      const dataDir = join(folder, 'data');
      const importEnv = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' };
      const imported = await run('npx', ['tsx', 'src/export/cli.ts', 'import', file], { env: importEnv });
      expect(imported.stderr).toMatch(/imported \d+ rows/);
      const again = await run('npx', ['tsx', 'src/export/cli.ts', 'import', file], { env: importEnv }).catch((error: { code: number; stderr: string }) => error);
      expect(again).toMatchObject({ code: 4, stderr: expect.stringMatching(/already holds data/) });

      const target = await startTestServer({}, { dataDir, clock });
      try {
        expect(await readAll(target, paths)).toEqual(expected);
      } finally {
        await target.close();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, TIMEOUT);
});

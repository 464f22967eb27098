// StopTransaction: closing a session with its energy, transactionData, retransmissions, stops
// for transactions we do not know (0, -1, unknown, another station's), meter resets, and a stop
// that arrives after the backend closed the session itself.

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterValues, orphanStops } from '../../src/storage/schema.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
const clients: OcppTestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  for (const tag of [{ idTag: 'STOP-OK' }, { idTag: 'STOP-OTHER' }, { idTag: 'STOP-BLOCKED', status: 'Blocked' }, { idTag: 'STOP-CHILD', parentIdTag: 'STOP-OK' }]) {
    expect((await server.api('POST', '/api/v1/id-tags', tag)).status).toBe(201);
  }
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

async function station(id: string): Promise<OcppTestClient> {
  const client = await OcppTestClient.connect(server.ocppUrl(id));
  clients.push(client);
  expect((await boot(client)).status).toBe('Accepted');
  return client;
}

const T0 = Date.now() - 3 * 3600_000;
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

async function start(client: OcppTestClient, connectorId: number, meterStart: number, minutes = 0, idTag = 'STOP-OK'): Promise<number> {
  const answer = await client.call('StartTransaction', { connectorId, idTag, meterStart, timestamp: iso(minutes) });
  return answer.transactionId as number;
}

async function session(id: number) {
  const response = await server.api('GET', `/api/v1/sessions/${id}`);
  expect(response.status).toBe(200);
  return response.body;
}

async function orphansOf(stationId: string) {
  const response = await server.api('GET', `/api/v1/orphan-stops?stationId=${encodeURIComponent(stationId)}`);
  expect(response.status).toBe(200);
  return response.body as Record<string, unknown>[];
}

const meterRowsOf = (stationId: string) => server.server.storage.db.select().from(meterValues).where(eq(meterValues.stationId, stationId));

describe('StopTransaction', () => {
  it('closes the session with meterStop, reason and energy = stop − start', async () => {
    const client = await station('STOP-BASIC');
    const tx = await start(client, 1, 1_000);
    const before = Date.now();
    const answer = await client.call('StopTransaction', { transactionId: tx, meterStop: 5_250, timestamp: iso(45), reason: 'EVDisconnected' });
    expect(answer).toEqual({});
    const body = await session(tx);
    expect(body).toMatchObject({
      active: false,
      startedAt: iso(0),
      stoppedAt: iso(45),
      meterStartWh: 1_000,
      meterStopWh: 5_250,
      energyWh: 4_250,
      stopReason: 'EVDisconnected',
      stopIdTag: null,
      stoppedBy: 'station',
      flags: [],
    });
    expect(Date.parse(body.stopReceivedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('a stop without reason was stopped locally', async () => {
    const client = await station('STOP-LOCAL');
    const tx = await start(client, 1, 0);
    await client.call('StopTransaction', { transactionId: tx, meterStop: 10, timestamp: iso(5) });
    expect((await session(tx)).stopReason).toBe('Local');
  });

  it('returns idTagInfo when an idTag is given, and keeps it as stopIdTag', async () => {
    const client = await station('STOP-IDTAG');
    const a = await start(client, 1, 0);
    expect(await client.call('StopTransaction', { transactionId: a, idTag: 'stop-ok', meterStop: 10, timestamp: iso(5) })).toEqual({
      idTagInfo: { status: 'Accepted' },
    });
    expect((await session(a)).stopIdTag).toBe('stop-ok');

    const b = await start(client, 1, 10, 10);
    expect((await client.call('StopTransaction', { transactionId: b, idTag: 'STOP-BLOCKED', meterStop: 20, timestamp: iso(15) })).idTagInfo.status).toBe('Blocked');
    const c = await start(client, 1, 20, 20);
    expect(await client.call('StopTransaction', { transactionId: c, idTag: 'STOP-CHILD', meterStop: 30, timestamp: iso(25) })).toEqual({
      idTagInfo: { status: 'Accepted', parentIdTag: 'STOP-OK' },
    });
    const d = await start(client, 1, 30, 30);
    expect((await client.call('StopTransaction', { transactionId: d, idTag: 'NOT-A-CARD', meterStop: 40, timestamp: iso(35) })).idTagInfo.status).toBe('Invalid');
    // Whatever the tag's status, the session is closed.
    for (const id of [b, c, d]) expect((await session(id)).active).toBe(false);
  });

  it('stores transactionData as meter values of the session, normalised', async () => {
    const client = await station('STOP-DATA');
    const tx = await start(client, 1, 2_000);
    await client.call('StopTransaction', {
      transactionId: tx,
      meterStop: 9_500,
      timestamp: iso(60),
      reason: 'Remote',
      transactionData: [
        { timestamp: iso(0), sampledValue: [{ value: '2.0', context: 'Transaction.Begin', unit: 'kWh' }] },
        { timestamp: iso(30), sampledValue: [{ value: '5600', context: 'Sample.Periodic', unit: 'Wh' }, { value: '31.8', measurand: 'Current.Import', phase: 'L1', unit: 'A' }] },
        { timestamp: iso(60), sampledValue: [{ value: '9.5', context: 'Transaction.End', unit: 'kWh' }, { value: '80', measurand: 'SoC', location: 'EV', context: 'Transaction.End' }] },
      ],
    });
    const samples = (await server.api('GET', `/api/v1/sessions/${tx}/meter-values`)).body as Record<string, unknown>[];
    expect(samples.map((row) => [row.sampledAt, row.context, row.measurand, row.phase, row.value, row.unit, row.rawValue, row.rawUnit, row.source])).toEqual([
      [iso(0), 'Transaction.Begin', 'Energy.Active.Import.Register', null, 2_000, 'Wh', '2.0', 'kWh', 'StopTransaction'],
      [iso(30), 'Sample.Periodic', 'Energy.Active.Import.Register', null, 5_600, 'Wh', '5600', 'Wh', 'StopTransaction'],
      [iso(30), 'Sample.Periodic', 'Current.Import', 'L1', 31.8, 'A', '31.8', 'A', 'StopTransaction'],
      [iso(60), 'Transaction.End', 'Energy.Active.Import.Register', null, 9_500, 'Wh', '9.5', 'kWh', 'StopTransaction'],
      [iso(60), 'Transaction.End', 'SoC', null, 80, 'Percent', '80', null, 'StopTransaction'],
    ]);
    expect(await session(tx)).toMatchObject({ energyWh: 7_500, meterStopWh: 9_500, flags: [] });
  });

  it('accepts transactionData as a single object', async () => {
    const client = await station('STOP-DATA-OBJ');
    const tx = await start(client, 1, 0);
    await client.call('StopTransaction', {
      transactionId: tx,
      meterStop: 700,
      timestamp: iso(20),
      transactionData: { timestamp: iso(20), sampledValue: { value: '700', context: 'Transaction.End' } },
    });
    const samples = (await server.api('GET', `/api/v1/sessions/${tx}/meter-values`)).body as Record<string, unknown>[];
    expect(samples).toEqual([expect.objectContaining({ value: 700, context: 'Transaction.End', source: 'StopTransaction' })]);
  });

  it('a retransmitted stop changes nothing', async () => {
    const client = await station('STOP-RETX');
    const tx = await start(client, 1, 100);
    const request = {
      transactionId: tx,
      idTag: 'STOP-OK',
      meterStop: 3_100,
      timestamp: iso(50),
      reason: 'EVDisconnected',
      transactionData: [{ timestamp: iso(50), sampledValue: [{ value: '3100', context: 'Transaction.End' }] }],
    };
    const first = await client.call('StopTransaction', request);
    const after = await session(tx);
    const rows = await meterRowsOf('STOP-RETX');
    expect(rows).toHaveLength(1);

    const second = await client.call('StopTransaction', request);
    expect(second).toEqual(first);
    expect(second).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(await session(tx)).toEqual(after);
    expect(await meterRowsOf('STOP-RETX')).toHaveLength(1);

    // A different second stop does not replace the first one either.
    expect(await client.call('StopTransaction', { transactionId: tx, meterStop: 99_999, timestamp: iso(90), reason: 'Other' })).toEqual({});
    expect(await session(tx)).toEqual(after);
    expect(after).toMatchObject({ meterStopWh: 3_100, energyWh: 3_000, stopReason: 'EVDisconnected' });
    expect(await orphansOf('STOP-RETX')).toEqual([]);
  });

  it('flags an implausible stop timestamp but closes the session', async () => {
    const client = await station('STOP-1970');
    const tx = await start(client, 1, 0);
    expect(await client.call('StopTransaction', { transactionId: tx, meterStop: 10, timestamp: '1970-01-01T00:01:00Z' })).toEqual({});
    const body = await session(tx);
    expect(body.active).toBe(false);
    expect(body.meterStopWh).toBe(10);
    expect(body.flags).toContain('implausible_stop_timestamp');
  });
});

describe('StopTransaction for a transaction we do not know', () => {
  for (const reported of [0, -1, 424_242]) {
    it(`transactionId ${reported} without an open session: CALLRESULT and kept as an orphan stop`, async () => {
      const id = `STOP-ORPHAN-${reported}`;
      const client = await station(id);
      const frame = await client.callFrame('StopTransaction', { transactionId: reported, idTag: 'STOP-OK', meterStop: 4_000, timestamp: iso(30), reason: 'PowerLoss' });
      expect(frame[0]).toBe(3);
      expect(frame[2]).toEqual({ idTagInfo: { status: 'Accepted' } });
      const orphans = await orphansOf(id);
      expect(orphans).toEqual([
        expect.objectContaining({
          stationId: id,
          reportedTransactionId: reported,
          idTag: 'STOP-OK',
          meterStopWh: 4_000,
          stoppedAt: iso(30),
          reason: 'PowerLoss',
          linkedSessionId: null,
        }),
      ]);
      // Retransmitted: still one orphan stop, still a CALLRESULT.
      expect((await client.callFrame('StopTransaction', { transactionId: reported, idTag: 'STOP-OK', meterStop: 4_000, timestamp: iso(30), reason: 'PowerLoss' }))[0]).toBe(3);
      expect(await orphansOf(id)).toHaveLength(1);
    });
  }

  it('links the orphan stop to the station’s single open session and closes it', async () => {
    const client = await station('STOP-LINK');
    const tx = await start(client, 2, 1_500, 0);
    const answer = await client.call('StopTransaction', {
      transactionId: -1,
      meterStop: 6_500,
      timestamp: iso(40),
      transactionData: [{ timestamp: iso(40), sampledValue: [{ value: '6500', context: 'Transaction.End' }] }],
    });
    expect(answer).toEqual({});
    const body = await session(tx);
    expect(body).toMatchObject({ active: false, stoppedAt: iso(40), meterStopWh: 6_500, energyWh: 5_000, stoppedBy: 'station', stopReason: 'Local' });
    expect(body.flags).toEqual(['linked_orphan_stop']);
    expect(await orphansOf('STOP-LINK')).toEqual([expect.objectContaining({ reportedTransactionId: -1, linkedSessionId: tx })]);
    // Its transactionData belongs to the linked session.
    const samples = (await server.api('GET', `/api/v1/sessions/${tx}/meter-values`)).body as Record<string, unknown>[];
    expect(samples).toEqual([expect.objectContaining({ connectorId: 2, value: 6_500, context: 'Transaction.End' })]);

    // Retransmitted: nothing changes.
    await client.call('StopTransaction', {
      transactionId: -1,
      meterStop: 6_500,
      timestamp: iso(40),
      transactionData: [{ timestamp: iso(40), sampledValue: [{ value: '6500', context: 'Transaction.End' }] }],
    });
    expect(await session(tx)).toEqual(body);
    expect(await orphansOf('STOP-LINK')).toHaveLength(1);
  });

  it('does not link when several open sessions fit, and picks the one the idTag names', async () => {
    const client = await station('STOP-AMBIG');
    const first = await start(client, 1, 0, 0, 'STOP-OK');
    const second = await start(client, 2, 0, 5, 'STOP-OTHER');
    await client.call('StopTransaction', { transactionId: 0, meterStop: 1_000, timestamp: iso(30) });
    expect((await session(first)).active).toBe(true);
    expect((await session(second)).active).toBe(true);
    expect(await orphansOf('STOP-AMBIG')).toEqual([expect.objectContaining({ reportedTransactionId: 0, linkedSessionId: null })]);

    await client.call('StopTransaction', { transactionId: 0, idTag: 'stop-other', meterStop: 2_000, timestamp: iso(35) });
    expect(await session(second)).toMatchObject({ active: false, meterStopWh: 2_000, energyWh: 2_000, flags: ['linked_orphan_stop'] });
    expect((await session(first)).active).toBe(true);
    const orphans = await orphansOf('STOP-AMBIG');
    expect(orphans).toHaveLength(2);
    expect(orphans.find((orphan) => orphan.meterStopWh === 2_000)?.linkedSessionId).toBe(second);
  });

  it('keeps the transactionData of an unlinked orphan stop with the reported id', async () => {
    const client = await station('STOP-ORPHAN-DATA');
    await client.call('StopTransaction', {
      transactionId: 0,
      meterStop: 900,
      timestamp: iso(10),
      transactionData: [{ timestamp: iso(10), sampledValue: [{ value: '900', context: 'Transaction.End' }] }],
    });
    const rows = await meterRowsOf('STOP-ORPHAN-DATA');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ transactionId: null, reportedTransactionId: 0, value: 900, source: 'StopTransaction' });
    const [orphan] = await server.server.storage.db.select().from(orphanStops).where(eq(orphanStops.stationId, 'STOP-ORPHAN-DATA'));
    expect(orphan?.transactionData).toEqual([{ timestamp: iso(10), sampledValue: [{ value: '900', context: 'Transaction.End' }] }]);
  });

  it('treats another station’s transaction as unknown', async () => {
    const owner = await station('STOP-OWNER');
    const tx = await start(owner, 1, 0);
    const stranger = await station('STOP-STRANGER');
    const frame = await stranger.callFrame('StopTransaction', { transactionId: tx, meterStop: 5_000, timestamp: iso(30) });
    expect(frame[0]).toBe(3);
    expect(await session(tx)).toMatchObject({ active: true, stoppedAt: null, meterStopWh: null });
    expect(await orphansOf('STOP-STRANGER')).toEqual([expect.objectContaining({ reportedTransactionId: tx, linkedSessionId: null })]);
    expect(await orphansOf('STOP-OWNER')).toEqual([]);
  });
});

describe('StopTransaction energy and late stops', () => {
  it('detects a meter reset and counts energy per the reset rule', async () => {
    const client = await station('STOP-RESET');
    const tx = await start(client, 1, 10_000, 0);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [{ timestamp: iso(20), sampledValue: [{ value: '15000' }] }],
    });
    // The meter was replaced: the new register started at zero.
    await client.call('StopTransaction', { transactionId: tx, meterStop: 2_000, timestamp: iso(60) });
    const body = await session(tx);
    expect(body).toMatchObject({ active: false, meterStartWh: 10_000, meterStopWh: 2_000, energyWh: 5_000 + 2_000 });
    expect(body.flags).toEqual(['meter_reset']);
  });

  it('counts nothing for an implausible jump after a reset and flags it', async () => {
    const client = await station('STOP-RESET-2');
    const tx = await start(client, 1, 900_000, 0);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [{ timestamp: iso(10), sampledValue: [{ value: '901000' }] }],
    });
    // One second later the register reads 500 kWh: no charger delivers that.
    const oneSecondLater = new Date(T0 + 10 * 60_000 + 1000).toISOString();
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [{ timestamp: oneSecondLater, sampledValue: [{ value: '500000' }] }],
    });
    await client.call('StopTransaction', { transactionId: tx, meterStop: 500_400, timestamp: iso(30) });
    const body = await session(tx);
    expect(body.energyWh).toBe(1_000 + 400);
    expect(body.flags).toEqual(expect.arrayContaining(['meter_reset', 'implausible_energy']));
  });

  it('counts the Outlet register only when a charger also reports its Inlet register', async () => {
    // A DC charger meters both sides: the AC inlet (with the conversion losses) and the DC outlet.
    const client = await station('STOP-INLET');
    const tx = await start(client, 1, 10_000, 0);
    const both = (minutes: number, outlet: number, inlet: number) => ({
      timestamp: iso(minutes),
      sampledValue: [
        { value: String(outlet), measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' },
        { value: String(inlet), measurand: 'Energy.Active.Import.Register', location: 'Inlet', unit: 'Wh' },
      ],
    });
    await client.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [both(10, 20_000, 21_000), both(20, 30_000, 31_500)] });
    // meterStop is the outlet register, below the inlet's last reading.
    await client.call('StopTransaction', { transactionId: tx, meterStop: 35_000, timestamp: iso(30), transactionData: [both(30, 35_000, 36_800)] });
    const body = await session(tx);
    expect(body.energyWh).toBe(25_000);
    expect(body.flags).toEqual([]);
    expect((await server.api('GET', `/api/v1/sessions/${tx}/meter-values`)).body).toHaveLength(6);
  });

  it('uses the Inlet register of a charger that reports no Outlet one', async () => {
    const client = await station('STOP-INLET-ONLY');
    const tx = await start(client, 1, 1_000, 0);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [{ timestamp: iso(10), sampledValue: [{ value: '4000', location: 'Inlet' }] }],
    });
    // No stop: the next start closes the session from its last (Inlet) reading.
    await start(client, 1, 4_000, 30);
    expect(await session(tx)).toMatchObject({ stoppedBy: 'backend', meterStopWh: 4_000, energyWh: 3_000, flags: ['closed_by_new_start'] });
  });

  it('a stop after the backend closed the session replaces the backend’s values', async () => {
    const client = await station('STOP-LATE');
    const old = await start(client, 1, 1_000, 0);
    await client.call('MeterValues', { connectorId: 1, transactionId: old, meterValue: [{ timestamp: iso(20), sampledValue: [{ value: '3000' }] }] });
    // A new start on the connector closes the old session (its stop was lost)...
    const fresh = await start(client, 1, 4_000, 60, 'STOP-OTHER');
    expect(await session(old)).toMatchObject({ stoppedBy: 'backend', meterStopWh: 3_000, energyWh: 2_000, flags: ['closed_by_new_start'] });
    // ...and then the stop arrives from the station's queue.
    expect(await client.call('StopTransaction', { transactionId: old, meterStop: 3_900, timestamp: iso(45), reason: 'EVDisconnected' })).toEqual({});
    const replaced = await session(old);
    expect(replaced).toMatchObject({
      active: false,
      stoppedBy: 'station',
      stoppedAt: iso(45),
      meterStopWh: 3_900,
      energyWh: 2_900,
      stopReason: 'EVDisconnected',
    });
    expect(replaced.flags).toEqual(['stop_after_backend_close']);
    expect(await session(fresh)).toMatchObject({ active: true });

    // Retransmitted: nothing changes any more.
    await client.call('StopTransaction', { transactionId: old, meterStop: 3_900, timestamp: iso(45), reason: 'EVDisconnected' });
    expect(await session(old)).toEqual(replaced);
  });
});

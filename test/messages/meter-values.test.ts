// MeterValues: every sampled value is kept with its context, measurand, phase, location and unit
// (raw and normalised), linked to the right session (or none), stored once however often it is
// sent, and read through the quirk layer (single objects, numbers, loose timestamps, vendor units).

import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterValues } from '../../src/storage/schema.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
const clients: OcppTestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'MV-CARD' })).status).toBe(201);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

async function station(id: string, vendor = 'TestVendor', extra: Record<string, string> = {}): Promise<OcppTestClient> {
  const client = await OcppTestClient.connect(server.ocppUrl(id));
  clients.push(client);
  expect((await boot(client, vendor, 'TestModel', extra)).status).toBe('Accepted');
  return client;
}

const rowsOf = (stationId: string) =>
  server.server.storage.db
    .select()
    .from(meterValues)
    .where(eq(meterValues.stationId, stationId))
    .orderBy(asc(meterValues.sampledAt), asc(meterValues.id));

const samplesOf = async (transactionId: number) => {
  const response = await server.api('GET', `/api/v1/sessions/${transactionId}/meter-values`);
  expect(response.status).toBe(200);
  return response.body as Record<string, unknown>[];
};

const T0 = Date.now() - 2 * 3600_000;
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

async function start(client: OcppTestClient, connectorId: number, minutes: number, meterStart = 0): Promise<number> {
  const answer = await client.call('StartTransaction', { connectorId, idTag: 'MV-CARD', meterStart, timestamp: iso(minutes) });
  expect(answer.idTagInfo.status).toBe('Accepted');
  return answer.transactionId as number;
}

describe('MeterValues', () => {
  it('keeps every sampled value with context, measurand, phase, location and unit, raw and normalised', async () => {
    const client = await station('MV-ALL');
    const tx = await start(client, 1, 0);
    const answer = await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [
        {
          timestamp: iso(5),
          sampledValue: [
            { value: '12.345', context: 'Sample.Periodic', format: 'Raw', measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'kWh' },
            { value: '7.2', context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'kW' },
            { value: '16.1', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
            { value: '16.0', measurand: 'Current.Import', phase: 'L2', unit: 'A' },
            { value: '15.9', measurand: 'Current.Import', phase: 'L3', unit: 'A' },
            { value: '231.4', measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
            { value: '54', context: 'Sample.Clock', measurand: 'SoC', location: 'EV', unit: 'Percent' },
            { value: '31.5', measurand: 'Temperature', location: 'Body', unit: 'Celsius' },
            { value: '32', measurand: 'Current.Offered' },
          ],
        },
      ],
    });
    expect(answer).toEqual({});

    const samples = await samplesOf(tx);
    const pick = (measurand: string, phase: string | null = null) => samples.find((row) => row.measurand === measurand && row.phase === phase);
    expect(samples).toHaveLength(9);
    expect(pick('Energy.Active.Import.Register')).toEqual({
      sampledAt: iso(5),
      connectorId: 1,
      measurand: 'Energy.Active.Import.Register',
      phase: null,
      location: 'Outlet',
      context: 'Sample.Periodic',
      value: 12_345,
      unit: 'Wh',
      rawValue: '12.345',
      rawUnit: 'kWh',
      source: 'MeterValues',
    });
    expect(pick('Power.Active.Import')).toMatchObject({ value: 7_200, unit: 'W', rawValue: '7.2', rawUnit: 'kW', location: 'Outlet' });
    expect(pick('Current.Import', 'L1')).toMatchObject({ value: 16.1, unit: 'A', rawUnit: 'A' });
    expect(pick('Current.Import', 'L2')).toMatchObject({ value: 16, unit: 'A', rawValue: '16.0' });
    expect(pick('Current.Import', 'L3')).toMatchObject({ value: 15.9, unit: 'A' });
    expect(pick('Voltage', 'L1-N')).toMatchObject({ value: 231.4, unit: 'V' });
    expect(pick('SoC')).toMatchObject({ value: 54, unit: 'Percent', location: 'EV', context: 'Sample.Clock' });
    expect(pick('Temperature')).toMatchObject({ value: 31.5, unit: 'Celsius', location: 'Body' });
    // Unit left out: the measurand's default (A), the raw unit stays empty.
    expect(pick('Current.Offered')).toMatchObject({ value: 32, unit: 'A', rawUnit: null });

    const rows = await rowsOf('MV-ALL');
    expect(rows).toHaveLength(9);
    expect(rows.every((row) => row.transactionId === tx && row.reportedTransactionId === null)).toBe(true);
    expect(rows.find((row) => row.measurand === 'Energy.Active.Import.Register')?.format).toBe('Raw');
  });

  it('fills the spec defaults: measurand Energy.Active.Import.Register, unit Wh, context Sample.Periodic, location Outlet', async () => {
    const client = await station('MV-DEFAULTS');
    const tx = await start(client, 1, 0);
    await client.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [{ timestamp: iso(3), sampledValue: [{ value: '4711' }] }] });
    expect(await samplesOf(tx)).toEqual([
      expect.objectContaining({
        measurand: 'Energy.Active.Import.Register',
        context: 'Sample.Periodic',
        location: 'Outlet',
        phase: null,
        value: 4711,
        unit: 'Wh',
        rawValue: '4711',
        rawUnit: null,
      }),
    ]);
  });

  it('normalises kWh registers to Wh exactly', async () => {
    const client = await station('MV-KWH');
    const tx = await start(client, 1, 0);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [
        { timestamp: iso(1), sampledValue: [{ value: '0.1', unit: 'kWh' }] },
        { timestamp: iso(2), sampledValue: [{ value: '1234.5678', unit: 'kWh' }] },
        { timestamp: iso(3), sampledValue: [{ value: '7', unit: 'kWh' }] },
      ],
    });
    expect((await samplesOf(tx)).map((row) => [row.value, row.unit, row.rawValue])).toEqual([
      [100, 'Wh', '0.1'],
      [1_234_567.8, 'Wh', '1234.5678'],
      [7_000, 'Wh', '7'],
    ]);
  });

  it('keeps per-phase values of the same measurand side by side', async () => {
    const client = await station('MV-PHASES');
    const tx = await start(client, 1, 0);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [
        {
          timestamp: iso(4),
          sampledValue: [
            { value: '1000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: '330', measurand: 'Energy.Active.Import.Register', phase: 'L1', unit: 'Wh' },
            { value: '335', measurand: 'Energy.Active.Import.Register', phase: 'L2', unit: 'Wh' },
            { value: '335', measurand: 'Energy.Active.Import.Register', phase: 'L3', unit: 'Wh' },
            { value: '230', measurand: 'Voltage', phase: 'L1-N' },
            { value: '231', measurand: 'Voltage', phase: 'L2-N' },
            { value: '229', measurand: 'Voltage', phase: 'L3-N' },
            { value: '398', measurand: 'Voltage', phase: 'L1-L2' },
          ],
        },
      ],
    });
    const samples = await samplesOf(tx);
    expect(samples.map((row) => `${String(row.measurand)}/${String(row.phase)}=${String(row.value)}`).sort()).toEqual(
      [
        'Energy.Active.Import.Register/null=1000',
        'Energy.Active.Import.Register/L1=330',
        'Energy.Active.Import.Register/L2=335',
        'Energy.Active.Import.Register/L3=335',
        'Voltage/L1-N=230',
        'Voltage/L2-N=231',
        'Voltage/L3-N=229',
        'Voltage/L1-L2=398',
      ].sort(),
    );
    // Only the total register counts for the session's energy, not the phase registers.
    await client.call('StopTransaction', { transactionId: tx, meterStop: 1500, timestamp: iso(10) });
    expect((await server.api('GET', `/api/v1/sessions/${tx}`)).body.energyWh).toBe(1500);
  });

  it('a retransmitted MeterValues changes nothing', async () => {
    const client = await station('MV-RETX');
    const tx = await start(client, 1, 0);
    const request = {
      connectorId: 1,
      transactionId: tx,
      meterValue: [
        { timestamp: iso(5), sampledValue: [{ value: '500' }, { value: '11000', measurand: 'Power.Active.Import', unit: 'W' }] },
        { timestamp: iso(10), sampledValue: [{ value: '1400' }, { value: '10900', measurand: 'Power.Active.Import', unit: 'W' }] },
      ],
    };
    expect(await client.call('MeterValues', request)).toEqual({});
    const first = await rowsOf('MV-RETX');
    expect(first).toHaveLength(4);
    expect(await client.call('MeterValues', request)).toEqual({});
    expect(await client.call('MeterValues', structuredClone(request))).toEqual({});
    const after = await rowsOf('MV-RETX');
    expect(after).toHaveLength(4);
    expect(after.map((row) => [row.id, row.value, row.receivedAt.getTime()])).toEqual(first.map((row) => [row.id, row.value, row.receivedAt.getTime()]));
  });

  it('links MeterValues without transactionId to the session of that connector by time', async () => {
    const client = await station('MV-NO-TX');
    const earlier = await start(client, 1, 0, 0);
    await client.call('StopTransaction', { transactionId: earlier, meterStop: 3000, timestamp: iso(30) });
    const current = await start(client, 1, 40, 3000);
    const otherConnector = await start(client, 2, 0, 0);

    await client.call('MeterValues', {
      connectorId: 1,
      meterValue: [
        { timestamp: iso(-10), sampledValue: [{ value: '0' }] }, // before any session
        { timestamp: iso(10), sampledValue: [{ value: '1000' }] }, // during the earlier one
        { timestamp: iso(35), sampledValue: [{ value: '3000' }] }, // between the two
        { timestamp: iso(50), sampledValue: [{ value: '4000' }] }, // during the current one
      ],
    });
    const rows = (await rowsOf('MV-NO-TX')).filter((row) => row.connectorId === 1);
    expect(rows.map((row) => [row.sampledAt.toISOString(), row.transactionId, row.reportedTransactionId])).toEqual([
      [iso(-10), null, null],
      [iso(10), earlier, null],
      [iso(35), null, null],
      [iso(50), current, null],
    ]);
    expect(await samplesOf(otherConnector)).toEqual([]);
  });

  it('stores values of connector 0 (the station meter) linked to no session', async () => {
    const client = await station('MV-CONN0');
    const tx = await start(client, 1, 0);
    await client.call('MeterValues', {
      connectorId: 0,
      meterValue: [{ timestamp: iso(5), sampledValue: [{ value: '98765', unit: 'Wh' }, { value: '22000', measurand: 'Power.Active.Import', unit: 'W' }] }],
    });
    // Even when it names the running transaction, connector 0 is the station total.
    await client.call('MeterValues', {
      connectorId: 0,
      transactionId: tx,
      meterValue: [{ timestamp: iso(6), sampledValue: [{ value: '98800', unit: 'Wh' }] }],
    });
    const rows = (await rowsOf('MV-CONN0')).filter((row) => row.connectorId === 0);
    expect(rows.map((row) => [row.measurand, row.value, row.transactionId, row.reportedTransactionId])).toEqual([
      ['Energy.Active.Import.Register', 98_765, null, null],
      ['Power.Active.Import', 22_000, null, null],
      ['Energy.Active.Import.Register', 98_800, null, tx],
    ]);
    expect(await samplesOf(tx)).toEqual([]);
    // The station total does not leak into the session's energy.
    await client.call('StopTransaction', { transactionId: tx, meterStop: 1_500, timestamp: iso(10) });
    expect((await server.api('GET', `/api/v1/sessions/${tx}`)).body).toMatchObject({ energyWh: 1_500, flags: [] });
  });

  it('stores values with an unknown transactionId with the reported id', async () => {
    const client = await station('MV-UNKNOWN');
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: 987_654_321,
      meterValue: [{ timestamp: iso(5), sampledValue: [{ value: '1234' }] }],
    });
    const rows = await rowsOf('MV-UNKNOWN');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ transactionId: null, reportedTransactionId: 987_654_321, value: 1234 });
  });

  it('does not attach values to another station’s transaction', async () => {
    const owner = await station('MV-OWNER');
    const ownersTx = await start(owner, 1, 0);
    const intruder = await station('MV-INTRUDER');
    await intruder.call('MeterValues', {
      connectorId: 1,
      transactionId: ownersTx,
      meterValue: [{ timestamp: iso(5), sampledValue: [{ value: '1' }] }],
    });
    expect(await samplesOf(ownersTx)).toEqual([]);
    const rows = await rowsOf('MV-INTRUDER');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ transactionId: null, reportedTransactionId: ownersTx });
  });

  it('accepts a single object where the schema says array (meterValue and sampledValue)', async () => {
    const client = await station('MV-OBJECT');
    const tx = await start(client, 1, 0);
    expect(
      await client.call('MeterValues', {
        connectorId: 1,
        transactionId: tx,
        meterValue: { timestamp: iso(7), sampledValue: { value: '2500', unit: 'Wh' } },
      }),
    ).toEqual({});
    expect(await samplesOf(tx)).toEqual([expect.objectContaining({ sampledAt: iso(7), value: 2500, unit: 'Wh' })]);
  });

  it('accepts a value sent as a JSON number and keeps its text', async () => {
    const client = await station('MV-NUMBER');
    const tx = await start(client, 1, 0);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [{ timestamp: iso(2), sampledValue: [{ value: 1234.5, unit: 'Wh' }, { value: 11, measurand: 'Current.Import', unit: 'A', phase: 'L1' }] }],
    });
    const samples = await samplesOf(tx);
    expect(samples.find((row) => row.measurand === 'Energy.Active.Import.Register')).toMatchObject({ value: 1234.5, rawValue: '1234.5' });
    expect(samples.find((row) => row.measurand === 'Current.Import')).toMatchObject({ value: 11, rawValue: '11' });
  });

  it('reads a timestamp without a zone as UTC and keeps the raw text', async () => {
    const client = await station('MV-NAIVE');
    await client.call('MeterValues', {
      connectorId: 3,
      meterValue: [
        { timestamp: '2024-05-01T10:00:00', sampledValue: [{ value: '100' }] },
        { timestamp: '2024-05-01 10:05:00', sampledValue: [{ value: '200' }] },
        { timestamp: '2024-05-01T12:10:00+0200', sampledValue: [{ value: '300' }] },
        { timestamp: '2024-05-01T10:15:00Z', sampledValue: [{ value: '400' }] },
      ],
    });
    const rows = await rowsOf('MV-NAIVE');
    expect(rows.map((row) => [row.sampledAt.toISOString(), row.sampledAtRaw, row.value])).toEqual([
      ['2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00', 100],
      ['2024-05-01T10:05:00.000Z', '2024-05-01 10:05:00', 200],
      ['2024-05-01T10:10:00.000Z', '2024-05-01T12:10:00+0200', 300],
      // Already RFC 3339: nothing to keep.
      ['2024-05-01T10:15:00.000Z', null, 400],
    ]);
  });

  it('reads a timestamp without a zone in the station’s configured time zone', async () => {
    expect((await server.api('POST', '/api/v1/stations', { id: 'MV-ZONED', timeZone: 'Europe/Berlin' })).status).toBe(201);
    const client = await station('MV-ZONED');
    await client.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2024-07-01T12:00:00', sampledValue: [{ value: '1' }] }] });
    const [row] = await rowsOf('MV-ZONED');
    expect(row?.sampledAt.toISOString()).toBe('2024-07-01T10:00:00.000Z'); // CEST is UTC+2
    expect(row?.sampledAtRaw).toBe('2024-07-01T12:00:00');
  });

  it('keeps a signed value next to the plain reading of the same measurand', async () => {
    const client = await station('MV-SIGNED');
    const tx = await start(client, 1, 0);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [
        {
          timestamp: iso(9),
          sampledValue: [
            { value: '5120', measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' },
            { value: 'OCMF|{"FV":"1.0"}|{"SD":"3045"}', format: 'SignedData', measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' },
          ],
        },
      ],
    });
    const samples = await samplesOf(tx);
    expect(samples).toHaveLength(2);
    expect(samples.find((row) => row.value === 5120)).toMatchObject({ rawValue: '5120' });
    expect(samples.find((row) => row.value === null)).toMatchObject({ rawValue: 'OCMF|{"FV":"1.0"}|{"SD":"3045"}' });
  });
});

describe('MeterValues from an OpenEVSE 4.2 station (quirk profile)', () => {
  it('reads an energy register labelled Wh as kWh', async () => {
    const client = await station('MV-OPENEVSE', 'OpenEVSE', { firmwareVersion: '4.2.2' });
    const detail = await server.api('GET', '/api/v1/stations/MV-OPENEVSE');
    expect(detail.body.quirkProfile).toBe('openevse-4.2-kwh-register');
    const tx = await start(client, 1, 0);
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: tx,
      meterValue: [
        {
          timestamp: iso(5),
          sampledValue: [
            { value: '361', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: '7200', measurand: 'Power.Active.Import', unit: 'W' },
            { value: '32', measurand: 'Current.Import', unit: 'A' },
          ],
        },
        { timestamp: iso(6), sampledValue: [{ value: '361.5' }] },
      ],
    });
    const samples = await samplesOf(tx);
    expect(samples.find((row) => row.measurand === 'Energy.Active.Import.Register' && row.sampledAt === iso(5))).toMatchObject({
      value: 361_000,
      unit: 'Wh',
      rawValue: '361',
      rawUnit: 'Wh',
    });
    // Unit left out: still the register, still kWh.
    expect(samples.find((row) => row.sampledAt === iso(6))).toMatchObject({ value: 361_500, unit: 'Wh', rawUnit: null });
    // Only energy registers are affected.
    expect(samples.find((row) => row.measurand === 'Power.Active.Import')).toMatchObject({ value: 7200, unit: 'W' });
    expect(samples.find((row) => row.measurand === 'Current.Import')).toMatchObject({ value: 32, unit: 'A' });
  });

  it('leaves other OpenEVSE firmware alone', async () => {
    const client = await station('MV-OPENEVSE-5', 'OpenEVSE', { firmwareVersion: '5.1.0' });
    expect((await server.api('GET', '/api/v1/stations/MV-OPENEVSE-5')).body.quirkProfile).toBe('default');
    await client.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: iso(5), sampledValue: [{ value: '361', unit: 'Wh' }] }] });
    const [row] = await rowsOf('MV-OPENEVSE-5');
    expect(row).toMatchObject({ value: 361, unit: 'Wh' });
  });
});

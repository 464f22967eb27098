// What a station reports about itself: DataTransfer, diagnostics, firmware (plain and signed) and
// log upload status, and security events. Each is answered and kept.

import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityEvents, stationEvents } from '../../src/storage/schema.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
const clients: OcppTestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
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

const eventsOf = (stationId: string, kind: string) =>
  server.server.storage.db
    .select()
    .from(stationEvents)
    .where(and(eq(stationEvents.stationId, stationId), eq(stationEvents.kind, kind)))
    .orderBy(asc(stationEvents.id));

const maintenanceOf = async (stationId: string) => {
  const response = await server.api('GET', `/api/v1/stations/${stationId}`);
  expect(response.status).toBe(200);
  return response.body.maintenance;
};

describe('DataTransfer', () => {
  it('answers UnknownVendorId and keeps the message in station_events', async () => {
    const client = await station('REP-DT');
    const request = { vendorId: 'com.acme.wallbox', messageId: 'CardReaderStats', data: '{"reads":17,"errors":0}' };
    expect(await client.call('DataTransfer', request)).toEqual({ status: 'UnknownVendorId' });
    expect(await client.call('DataTransfer', { vendorId: 'org.example' })).toEqual({ status: 'UnknownVendorId' });
    const events = await eventsOf('REP-DT', 'DataTransfer');
    expect(events.map((event) => event.payload)).toEqual([request, { vendorId: 'org.example' }]);
    const viaApi = await server.api('GET', '/api/v1/stations/REP-DT/events?kind=DataTransfer');
    expect(viaApi.body).toHaveLength(2);
    expect(viaApi.body[0].payload).toEqual({ vendorId: 'org.example' }); // newest first
  });
});

describe('DiagnosticsStatusNotification and FirmwareStatusNotification', () => {
  it('shows the latest diagnostics status in the station’s maintenance and keeps each report', async () => {
    const client = await station('REP-DIAG');
    expect(await maintenanceOf('REP-DIAG')).toMatchObject({ diagnosticsStatus: null, firmwareStatus: null, logStatus: null });
    expect(await client.call('DiagnosticsStatusNotification', { status: 'Uploading' })).toEqual({});
    expect((await maintenanceOf('REP-DIAG')).diagnosticsStatus).toBe('Uploading');
    expect(await client.call('DiagnosticsStatusNotification', { status: 'Uploaded' })).toEqual({});
    const maintenance = await maintenanceOf('REP-DIAG');
    expect(maintenance.diagnosticsStatus).toBe('Uploaded');
    expect(Number.isNaN(Date.parse(maintenance.diagnosticsStatusAt))).toBe(false);
    expect((await eventsOf('REP-DIAG', 'DiagnosticsStatusNotification')).map((event) => event.payload)).toEqual([
      { status: 'Uploading' },
      { status: 'Uploaded' },
    ]);
  });

  it('shows the latest firmware status in the station’s maintenance and keeps each report', async () => {
    const client = await station('REP-FW');
    for (const status of ['Downloading', 'Downloaded', 'Installing', 'Installed']) {
      expect(await client.call('FirmwareStatusNotification', { status })).toEqual({});
    }
    const maintenance = await maintenanceOf('REP-FW');
    expect(maintenance).toMatchObject({ firmwareStatus: 'Installed', diagnosticsStatus: null });
    expect(Number.isNaN(Date.parse(maintenance.firmwareStatusAt))).toBe(false);
    expect((await eventsOf('REP-FW', 'FirmwareStatusNotification')).map((event) => (event.payload as { status: string }).status)).toEqual([
      'Downloading',
      'Downloaded',
      'Installing',
      'Installed',
    ]);
    // The diagnostics and firmware states are independent.
    await client.call('DiagnosticsStatusNotification', { status: 'UploadFailed' });
    expect(await maintenanceOf('REP-FW')).toMatchObject({ firmwareStatus: 'Installed', diagnosticsStatus: 'UploadFailed' });
  });
});

describe('Security extension notifications', () => {
  it('stores LogStatusNotification', async () => {
    const client = await station('REP-LOG');
    expect(await client.call('LogStatusNotification', { status: 'Uploading', requestId: 12 })).toEqual({});
    expect(await client.call('LogStatusNotification', { status: 'Uploaded', requestId: 12 })).toEqual({});
    expect((await maintenanceOf('REP-LOG')).logStatus).toBe('Uploaded');
    expect((await eventsOf('REP-LOG', 'LogStatusNotification')).map((event) => event.payload)).toEqual([
      { status: 'Uploading', requestId: 12 },
      { status: 'Uploaded', requestId: 12 },
    ]);
  });

  it('stores SignedFirmwareStatusNotification', async () => {
    const client = await station('REP-SFW');
    expect(await client.call('SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: 3 })).toEqual({});
    expect(await client.call('SignedFirmwareStatusNotification', { status: 'InvalidSignature', requestId: 3 })).toEqual({});
    expect((await maintenanceOf('REP-SFW')).firmwareStatus).toBe('InvalidSignature');
    expect((await eventsOf('REP-SFW', 'SignedFirmwareStatusNotification')).map((event) => event.payload)).toEqual([
      { status: 'SignatureVerified', requestId: 3 },
      { status: 'InvalidSignature', requestId: 3 },
    ]);
  });

  it('stores SecurityEventNotification with type, techInfo and the station’s timestamp', async () => {
    const client = await station('REP-SEC');
    const timestamp = new Date(Date.now() - 5 * 60_000).toISOString();
    expect(await client.call('SecurityEventNotification', { type: 'InvalidCentralSystemCertificate', timestamp, techInfo: 'CN mismatch' })).toEqual({});
    expect(await client.call('SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp })).toEqual({});
    const rows = await server.server.storage.db
      .select()
      .from(securityEvents)
      .where(eq(securityEvents.stationId, 'REP-SEC'))
      .orderBy(asc(securityEvents.id));
    expect(rows.map((row) => [row.type, row.techInfo, row.timestamp.toISOString()])).toEqual([
      ['InvalidCentralSystemCertificate', 'CN mismatch', timestamp],
      ['StartupOfTheDevice', null, timestamp],
    ]);
    expect(rows.every((row) => row.receivedAt instanceof Date)).toBe(true);
  });
});

// Tenants in the stations area: two tenants, each with a site, stations, a tariff, a firmware file
// and a token. Every list (stations, sites, reservations, firmware, revocations, the overview)
// shows only the caller's own; a siteId, tariffId, firmwareId, circuit station or certificate
// serial of the other tenant is refused exactly like a missing one; and at the charger, a
// reservation for the other tenant's token does not let that token charge.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { OcppTestClient } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { basicAuth, eventually as eventuallyTrue, stationCsr } from '../security/pki.js';
import { eventually } from '../remote/helpers.js';

const energyTariff = (price: number) => ({
  currency: 'EUR',
  type: 'REGULAR',
  tariff_alt_text: [{ language: 'en', text: `${price} EUR per kWh` }],
  elements: [{ price_components: [{ type: 'ENERGY', price, vat: 19, step_size: 1 }] }],
});

interface Fleet {
  tenant: TestTenant;
  site: string;
  station: string;
  tag: string;
  tariff: string;
  firmware: number;
  charger?: ChargePoint;
}

let server: TestServer;
let alpha: Fleet;
let beta: Fleet;
const clients: OcppTestClient[] = [];

async function fleet(name: string, prefix: string): Promise<Fleet> {
  const tenant = await createTestTenant(server, name);
  const tariff = await tenant.api('POST', '/api/v1/tariffs', energyTariff(prefix === 'A' ? 0.3 : 0.4));
  expect(tariff.status).toBe(201);
  const site = `${prefix.toLowerCase()}-site`;
  expect((await tenant.api('POST', '/api/v1/sites', { id: site, name: `${name} depot`, timeZone: 'UTC', gridLimitAmps: 32, tariffId: tariff.body.id })).status).toBe(201);
  const station = `${prefix}-1`;
  expect((await tenant.api('POST', '/api/v1/stations', { id: station, siteId: site, tariffId: tariff.body.id })).status).toBe(201);
  const tag = `${prefix}-CARD`;
  expect((await tenant.api('POST', '/api/v1/id-tags', { idTag: tag })).status).toBe(201);
  const firmware = await tenant.api('POST', `/api/v1/firmware?filename=${prefix}.bin`, `firmware of ${name}`);
  expect(firmware.status).toBe(201);
  return { tenant, site, station, tag, tariff: tariff.body.id, firmware: firmware.body.id };
}

async function connect(owner: Fleet): Promise<void> {
  owner.charger = await startStation({ url: `${server.url.replace(/^http/, 'ws')}/ocpp`, id: owner.station, profile: 'wallbox', idTag: owner.tag, meterIntervalMs: 0, reconnect: false });
  await owner.charger.waitForRegistration('Accepted');
}

const ids = (rows: { id: string | number }[]) => rows.map((row) => row.id);

beforeAll(async () => {
  server = await startTestServer();
  alpha = await fleet('Alpha Charging', 'A');
  beta = await fleet('Beta Charging', 'B');
  await connect(alpha);
  await connect(beta);
}, 60_000);

afterAll(async () => {
  await Promise.all([alpha?.charger?.close(), beta?.charger?.close(), ...clients.map((client) => client.close())]);
  await server.close();
});

describe('lists show only the caller’s tenant', () => {
  it('stations, also filtered by site; the platform sees neither tenant’s', async () => {
    expect(ids((await alpha.tenant.api('GET', '/api/v1/stations')).body)).toEqual(['A-1']);
    expect(ids((await beta.tenant.api('GET', '/api/v1/stations')).body)).toEqual(['B-1']);
    expect(ids((await alpha.tenant.api('GET', '/api/v1/stations?online=true')).body)).toEqual(['A-1']);
    expect((await alpha.tenant.api('GET', `/api/v1/stations?siteId=${beta.site}`)).body).toEqual([]);
    expect(ids((await alpha.tenant.api('GET', `/api/v1/stations?siteId=${alpha.site}`)).body)).toEqual(['A-1']);
    expect((await server.api('GET', '/api/v1/stations')).body).toEqual([]);
  });

  it('sites, with their own stations', async () => {
    const sites = (await alpha.tenant.api('GET', '/api/v1/sites')).body;
    expect(sites.map((site: any) => [site.id, site.stationIds])).toEqual([['a-site', ['A-1']]]);
    expect(ids((await beta.tenant.api('GET', '/api/v1/sites')).body)).toEqual(['b-site']);
    expect((await server.api('GET', '/api/v1/sites')).body).toEqual([]);
  });

  it('firmware files', async () => {
    expect(ids((await alpha.tenant.api('GET', '/api/v1/firmware')).body)).toEqual([alpha.firmware]);
    expect(ids((await beta.tenant.api('GET', '/api/v1/firmware')).body)).toEqual([beta.firmware]);
    expect((await alpha.tenant.api('GET', `/api/v1/firmware/${beta.firmware}`)).status).toBe(404);
  });
});

describe('references in bodies to the other tenant’s things are refused like missing ones', () => {
  /** Status and detail, with the named id replaced: the answer for a foreign id must equal the one for a missing id. */
  const shape = (answer: { status: number; body: any }, id: string | number) => ({ status: answer.status, detail: String(answer.body?.detail).replace(String(id), '<id>') });

  it('siteId and tariffId of a station, on creation and change', async () => {
    const api = alpha.tenant.api;
    const foreignSite = await api('POST', '/api/v1/stations', { id: 'A-2', siteId: beta.site });
    expect(shape(foreignSite, beta.site)).toEqual(shape(await api('POST', '/api/v1/stations', { id: 'A-2', siteId: 'no-such-site' }), 'no-such-site'));
    expect(foreignSite.status).toBe(400);
    const foreignTariff = await api('POST', '/api/v1/stations', { id: 'A-2', tariffId: beta.tariff });
    expect(shape(foreignTariff, beta.tariff)).toEqual(shape(await api('POST', '/api/v1/stations', { id: 'A-2', tariffId: 'no-such-tariff' }), 'no-such-tariff'));
    expect(foreignTariff.status).toBe(400);
    expect((await api('GET', '/api/v1/stations/A-2')).status).toBe(404);

    expect((await api('PATCH', '/api/v1/stations/A-1', { siteId: beta.site })).status).toBe(400);
    expect((await api('PATCH', '/api/v1/stations/A-1', { tariffId: beta.tariff })).status).toBe(400);
    const station = (await api('GET', '/api/v1/stations/A-1')).body;
    expect([station.siteId, station.tariffId]).toEqual([alpha.site, alpha.tariff]);
    // Its own site and tariff are fine; nor may the platform hang its stations on a tenant's site.
    expect((await api('PATCH', '/api/v1/stations/A-1', { siteId: alpha.site, tariffId: alpha.tariff })).status).toBe(200);
    expect((await server.api('POST', '/api/v1/stations', { id: 'P-1', siteId: alpha.site })).status).toBe(400);
  });

  it('tariffId of a site, on creation and change', async () => {
    const api = alpha.tenant.api;
    const created = await api('POST', '/api/v1/sites', { id: 'a-site-2', name: 'Second', timeZone: 'UTC', tariffId: beta.tariff });
    expect(shape(created, beta.tariff)).toEqual(shape(await api('POST', '/api/v1/sites', { id: 'a-site-2', name: 'Second', timeZone: 'UTC', tariffId: 'no-such-tariff' }), 'no-such-tariff'));
    expect(created.status).toBe(400);
    expect((await api('PATCH', `/api/v1/sites/${alpha.site}`, { tariffId: beta.tariff })).status).toBe(400);
    expect((await api('GET', `/api/v1/sites/${alpha.site}`)).body.tariffId).toBe(alpha.tariff);
    expect((await api('PATCH', `/api/v1/sites/${alpha.site}`, { tariffId: alpha.tariff })).status).toBe(200);
  });

  it('stations of a circuit, and a circuit id another site uses', async () => {
    const api = alpha.tenant.api;
    const foreign = await api('POST', `/api/v1/sites/${alpha.site}/circuits`, { name: 'Feeder', limitAmps: 16, stationIds: [beta.station] });
    expect(shape(foreign, beta.station)).toEqual(shape(await api('POST', `/api/v1/sites/${alpha.site}/circuits`, { name: 'Feeder', limitAmps: 16, stationIds: ['NO-SUCH'] }), 'NO-SUCH'));
    expect(foreign.status).toBe(400);

    const betaCircuit = await beta.tenant.api('POST', `/api/v1/sites/${beta.site}/circuits`, { id: 'feeder-1', name: 'Beta feeder', limitAmps: 20, stationIds: [beta.station] });
    expect(betaCircuit.status).toBe(201);
    // Saving a circuit of the same id on another site would have moved Beta's circuit (name, limit, stations).
    expect((await api('POST', `/api/v1/sites/${alpha.site}/circuits`, { id: 'feeder-1', name: 'Hijack', limitAmps: 6, stationIds: [] })).status).toBe(409);
    expect((await beta.tenant.api('GET', `/api/v1/sites/${beta.site}/circuits`)).body).toEqual([betaCircuit.body]);
    expect((await api('GET', `/api/v1/sites/${alpha.site}/circuits`)).body).toEqual([]);

    const own = await api('POST', `/api/v1/sites/${alpha.site}/circuits`, { id: 'feeder-a', name: 'Alpha feeder', limitAmps: 16, stationIds: [alpha.station] });
    expect(own.body).toMatchObject({ siteId: alpha.site, stationIds: [alpha.station] });
    expect((await api('PATCH', `/api/v1/sites/${alpha.site}/circuits/feeder-a`, { stationIds: [beta.station] })).status).toBe(400);
    expect((await api('DELETE', `/api/v1/sites/${alpha.site}/circuits/feeder-a`)).status).toBe(204);
  });

  it('firmwareId of a firmware update', async () => {
    const api = alpha.tenant.api;
    const foreign = await api('POST', '/api/v1/stations/A-1/firmware-update', { firmwareId: beta.firmware });
    expect(shape(foreign, beta.firmware)).toEqual(shape(await api('POST', '/api/v1/stations/A-1/firmware-update', { firmwareId: 999_999 }), 999_999));
    expect(foreign.status).toBe(404);
    expect((await api('GET', '/api/v1/stations/A-1/firmware-updates')).body).toEqual([]);

    const own = await api('POST', '/api/v1/stations/A-1/firmware-update', { firmwareId: alpha.firmware });
    expect(own.status).toBe(201);
    expect(own.body.location).toContain('/A.bin');
    expect((await api('GET', '/api/v1/stations/A-1/commands?action=UpdateFirmware')).body).toHaveLength(1);
  });
});

describe('reservations', () => {
  const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

  it('are listed to their station’s tenant only, also by ?stationId', async () => {
    const created = await alpha.tenant.api('POST', '/api/v1/stations/A-1/reservations', { connectorId: 1, idTag: alpha.tag, expiryDate: inMinutes(30) });
    expect(created.body).toMatchObject({ stationId: 'A-1', status: 'active' });
    expect(ids((await alpha.tenant.api('GET', '/api/v1/reservations')).body)).toEqual([created.body.id]);
    expect((await beta.tenant.api('GET', '/api/v1/reservations')).body).toEqual([]);
    expect((await beta.tenant.api('GET', '/api/v1/reservations?stationId=A-1')).body).toEqual([]);
    expect((await server.api('GET', '/api/v1/reservations')).body).toEqual([]);
    expect((await beta.tenant.api('GET', `/api/v1/reservations/${created.body.id}`)).status).toBe(404);
    expect((await beta.tenant.api('DELETE', `/api/v1/reservations/${created.body.id}`)).status).toBe(404);
    expect((await alpha.tenant.api('DELETE', `/api/v1/reservations/${created.body.id}`)).body.status).toBe('cancelled');
  });

  it('for the other tenant’s token is treated like one for an unknown token, and does not let it charge here', async () => {
    const charger = alpha.charger!;
    const foreign = await alpha.tenant.api('POST', '/api/v1/stations/A-1/reservations', { connectorId: 1, idTag: beta.tag, expiryDate: inMinutes(30) });
    expect(foreign.body).toMatchObject({ status: 'active', stationStatus: 'Accepted', idTag: beta.tag });
    await eventually(() => charger.connectorStatuses()[0] === 'Reserved', 'the connector to be reserved');
    // At Alpha's station, Beta's card is unknown: the reservation does not make it chargeable.
    await expect(charger.startSession(1, beta.tag)).rejects.toThrow(/Invalid/);
    expect((await alpha.tenant.api('DELETE', `/api/v1/reservations/${foreign.body.id}`)).body.status).toBe('cancelled');
    await eventually(() => charger.connectorStatuses()[0] === 'Available', 'the connector to be free again');

    const unknown = await alpha.tenant.api('POST', '/api/v1/stations/A-1/reservations', { connectorId: 1, idTag: 'NOBODYS-CARD', expiryDate: inMinutes(30) });
    expect(unknown.body).toMatchObject({ status: 'active', stationStatus: 'Accepted' });
    expect((await alpha.tenant.api('DELETE', `/api/v1/reservations/${unknown.body.id}`)).body.status).toBe('cancelled');
    await eventually(() => charger.connectorStatuses()[0] === 'Available', 'the connector to be free again');
  });
});

describe('sessions in the overview and the site load', () => {
  it('count only the caller’s stations and sessions', async () => {
    const session = await beta.charger!.startSession(1);
    const overview = async (tenant: TestTenant) => (await tenant.api('GET', '/api/v1/overview')).body;

    const betaView = await overview(beta.tenant);
    expect(betaView.stations).toMatchObject({ total: 1, online: 1, offline: 0 });
    expect(betaView.charging.map((row: any) => [row.stationId, row.sessionId])).toEqual([['B-1', session.transactionId]]);
    expect(betaView.sessionsSince).toBe(1);

    const alphaView = await overview(alpha.tenant);
    expect(alphaView.stations).toMatchObject({ total: 1, online: 1 });
    expect(alphaView.charging).toEqual([]);
    expect(alphaView.sessionsSince).toBe(0);
    const platformView = await overview({ api: server.api } as TestTenant);
    expect(platformView.stations.total).toBe(0);
    expect(platformView.charging).toEqual([]);

    // Beta's site load lists Beta's session; Alpha cannot read it, and its own site has no session.
    const load = await eventually(async () => {
      const body = (await beta.tenant.api('GET', `/api/v1/sites/${beta.site}/load`)).body;
      return body?.sessions?.length === 1 && body;
    }, 'Beta’s session to be allocated');
    expect(load.sessions[0]).toMatchObject({ stationId: 'B-1', transactionId: session.transactionId });
    expect((await alpha.tenant.api('GET', `/api/v1/sites/${beta.site}/load`)).status).toBe(404);
    expect((await alpha.tenant.api('GET', `/api/v1/sites/${beta.site}/load/history`)).status).toBe(404);
    expect((await alpha.tenant.api('GET', `/api/v1/stations/${beta.station}/load-settings`)).status).toBe(404);
    expect((await alpha.tenant.api('PUT', `/api/v1/sites/${beta.site}/building-load`, { amps: 5 })).status).toBe(404);
    const alphaLoad = (await alpha.tenant.api('GET', `/api/v1/sites/${alpha.site}/load`)).body;
    expect(alphaLoad.sessions ?? []).toEqual([]);
    await beta.charger!.stopSession(1);
  });
});

describe('certificate revocations', () => {
  let serial: string;

  beforeAll(async () => {
    // Alpha's second station gets a certificate from our CA (SignCertificate → CertificateSigned).
    expect((await alpha.tenant.api('POST', '/api/v1/stations', { id: 'A-CERT', password: 'alpha-cert-password' })).status).toBe(201);
    const { csrPem } = await stationCsr('A-CERT');
    const client = await OcppTestClient.connect(server.ocppUrl('A-CERT'), {
      headers: { Authorization: basicAuth('A-CERT', 'alpha-cert-password') },
      onCall: (action) => (action === 'CertificateSigned' ? { status: 'Accepted' } : {}),
    });
    clients.push(client);
    expect(await client.call('SignCertificate', { csr: csrPem })).toEqual({ status: 'Accepted' });
    await eventuallyTrue(async () => (await alpha.tenant.api('GET', '/api/v1/stations/A-CERT/certificates')).body[0]?.deliveryStatus === 'Accepted');
    serial = (await alpha.tenant.api('GET', '/api/v1/stations/A-CERT/certificates')).body[0].serialNumber;
  }, 30_000);

  it('of another tenant’s certificate is refused like an unknown serial; a tenant may not revoke unknown serials', async () => {
    const foreign = await beta.tenant.api('POST', '/api/v1/certificate-revocations', { serialNumber: serial });
    const unknown = await beta.tenant.api('POST', '/api/v1/certificate-revocations', { serialNumber: 'ABCDEF0123' });
    expect(foreign.status).toBe(404);
    expect({ status: foreign.status, detail: foreign.body.detail.replace(serial, '<serial>') }).toEqual({ status: unknown.status, detail: unknown.body.detail.replace('ABCDEF0123', '<serial>') });
    expect((await alpha.tenant.api('GET', '/api/v1/stations/A-CERT/certificates')).body[0].revokedAt).toBeNull();
    expect((await server.api('GET', '/api/v1/certificate-revocations')).body).toEqual([]);
  });

  it('by its own tenant and the platform; each tenant reads its own part of the list', async () => {
    const revoked = await alpha.tenant.api('POST', '/api/v1/certificate-revocations', { serialNumber: serial, reason: 'key leaked' });
    expect(revoked.status).toBe(201);
    expect(revoked.body).toMatchObject({ serialNumber: serial, stationId: 'A-CERT' });
    // The platform revokes anything, a manufacturer's certificate it never issued too.
    expect((await server.api('POST', '/api/v1/certificate-revocations', { serialNumber: 'DEADBEEF01', reason: 'manufacturer recall' })).status).toBe(201);

    const serials = async (api: TestTenant['api']) => ((await api('GET', '/api/v1/certificate-revocations')).body as { serialNumber: string }[]).map((row) => row.serialNumber).sort();
    expect(await serials(alpha.tenant.api)).toEqual([serial]);
    expect(await serials(beta.tenant.api)).toEqual([]);
    expect(await serials(server.api)).toEqual([serial, 'deadbeef01'].sort());
    expect((await alpha.tenant.api('GET', '/api/v1/stations/A-CERT/certificates')).body[0].revokedAt).not.toBeNull();
  });
});

// The security extension's messages: every central-system-initiated one goes out through the
// command API (validated against its schema), the station-initiated ones are answered and kept,
// and a station certificate nearing its end is renewed (ExtendedTriggerMessage).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { basicAuth, eventually, stationCsr } from './pki.js';

let server: TestServer;
beforeAll(async () => {
  // Certificates valid for 10 days are due for renewal at once (renewal 30 days ahead).
  server = await startTestServer({ STATION_CERTIFICATE_DAYS: '10', CERTIFICATE_RENEWAL_DAYS: '30' });
});
afterAll(() => server.close());

describe('central-system-initiated security messages through the command API', () => {
  const answers: Record<string, unknown> = {
    ExtendedTriggerMessage: { status: 'Accepted' },
    GetInstalledCertificateIds: {
      status: 'Accepted',
      certificateHashData: [{ hashAlgorithm: 'SHA256', issuerNameHash: 'a'.repeat(64), issuerKeyHash: 'b'.repeat(64), serialNumber: '01' }],
    },
    DeleteCertificate: { status: 'Accepted' },
    InstallCertificate: { status: 'Accepted' },
    GetLog: { status: 'Accepted', filename: 'security.log' },
    SignedUpdateFirmware: { status: 'Accepted' },
  };
  const requests: Record<string, unknown> = {
    ExtendedTriggerMessage: { requestedMessage: 'StatusNotification', connectorId: 1 },
    GetInstalledCertificateIds: { certificateType: 'CentralSystemRootCertificate' },
    DeleteCertificate: { certificateHashData: { hashAlgorithm: 'SHA256', issuerNameHash: 'a'.repeat(64), issuerKeyHash: 'b'.repeat(64), serialNumber: '01' } },
    InstallCertificate: { certificateType: 'CentralSystemRootCertificate', certificate: '' },
    GetLog: { logType: 'SecurityLog', requestId: 7, log: { remoteLocation: 'https://logs.example.test/upload' } },
    SignedUpdateFirmware: {
      requestId: 3,
      firmware: {
        location: 'https://fw.example.test/fw.bin',
        retrieveDateTime: '2026-12-01T00:00:00Z',
        signingCertificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
        signature: 'c2lnbmF0dXJl',
      },
    },
  };
  let client: OcppTestClient;
  beforeAll(async () => {
    requests['InstallCertificate'] = { certificateType: 'CentralSystemRootCertificate', certificate: server.server.security.ca.certificatePem };
    client = await OcppTestClient.connect(server.ocppUrl('SEC-MSG'), { onCall: (action) => answers[action] ?? {} });
  });
  afterAll(() => client.close());

  it.each(Object.keys(requests))('sends %s and returns the station\'s answer', async (action) => {
    const sent = await server.api('POST', `/api/v1/stations/SEC-MSG/commands/${action}`, requests[action]);
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ response: answers[action] });
    expect(client.calls.at(-1)).toEqual({ action, payload: requests[action] });
  });

  it('refuses a payload that breaks the security extension schema', async () => {
    const invalid = await server.api('POST', '/api/v1/stations/SEC-MSG/commands/ExtendedTriggerMessage', { requestedMessage: 'Coffee' });
    expect(invalid.status).toBe(400);
  });

  it('answers and keeps the station-initiated status notifications', async () => {
    expect(await client.call('LogStatusNotification', { status: 'Uploaded', requestId: 7 })).toEqual({});
    expect(await client.call('SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: 3 })).toEqual({});
    const station = await server.api('GET', '/api/v1/stations/SEC-MSG');
    expect(station.body.maintenance).toMatchObject({ logStatus: 'Uploaded', firmwareStatus: 'SignatureVerified' });
    const kinds = (await server.api('GET', '/api/v1/stations/SEC-MSG/events')).body.map((event: any) => event.kind);
    expect(kinds).toEqual(expect.arrayContaining(['LogStatusNotification', 'SignedFirmwareStatusNotification']));
  });
});

describe('certificate renewal', () => {
  it('asks a station whose certificate lapses soon for a new CSR, once a day', async () => {
    const { csrPem } = await stationCsr('RENEW-1');
    await server.api('POST', '/api/v1/stations', { id: 'RENEW-1', password: 'renewal-password' });
    const client = await OcppTestClient.connect(server.ocppUrl('RENEW-1'), {
      headers: { Authorization: basicAuth('RENEW-1', 'renewal-password') },
      onCall: (action) => (action === 'CertificateSigned' || action === 'ExtendedTriggerMessage' ? { status: 'Accepted' } : {}),
    });
    expect(await client.call('SignCertificate', { csr: csrPem })).toEqual({ status: 'Accepted' });
    await eventually(async () => (await server.api('GET', '/api/v1/stations/RENEW-1/certificates')).body[0]?.deliveryStatus === 'Accepted');

    expect(await server.server.security.certificates.requestRenewals()).toBeGreaterThanOrEqual(1);
    expect(client.calls.at(-1)).toEqual({ action: 'ExtendedTriggerMessage', payload: { requestedMessage: 'SignChargePointCertificate' } });
    const [certificate] = (await server.api('GET', '/api/v1/stations/RENEW-1/certificates')).body;
    expect(certificate.renewalRequestedAt).not.toBeNull();
    const calls = client.calls.length;
    await server.server.security.certificates.requestRenewals();
    expect(client.calls.length).toBe(calls);
    await client.close();
  });
});

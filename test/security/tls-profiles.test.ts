// Security profiles 2 and 3 over real TLS: wss with the server certificate our CA issued, mutual
// TLS with station certificates, the SignCertificate → CertificateSigned flow from a real CSR,
// revocation and renewal.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, OcppTestClient } from '../support/ocpp-client.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/test-server.js';
import { openCertificateAuthority } from '../../src/capabilities/security/certificate-authority.js';
import { basicAuth, connectTls, eventually, foreignCa, refusal, stationCsr, wssUrl } from './pki.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const password = 'station-password-1';

/** Connects a profile-2 station, has it send a CSR and returns the certificate it received. */
async function enrol(stationId: string): Promise<{ certPem: string; keyPem: string }> {
  const { csrPem, keyPem } = await stationCsr(stationId);
  let received: ((chain: string) => void) | undefined;
  const delivered = new Promise<string>((resolve) => (received = resolve));
  const client = await connectTls(server, stationId, {
    headers: { Authorization: basicAuth(stationId, password) },
    onCall: (action, payload) => {
      if (action === 'CertificateSigned') {
        received!(payload.certificateChain);
        return { status: 'Accepted' };
      }
      return action === 'ChangeConfiguration' ? { status: 'Accepted' } : {};
    },
  });
  expect(await client.call('SignCertificate', { csr: csrPem })).toEqual({ status: 'Accepted' });
  const certPem = await delivered;
  // The station's answer is recorded right after it is sent.
  await eventually(async () => (await server.api('GET', `/api/v1/stations/${stationId}/certificates`)).body[0]?.deliveryStatus === 'Accepted');
  await client.close();
  return { certPem, keyPem };
}

describe('TLS port', () => {
  it('serves wss and https with a certificate from our CA, TLS 1.2+ with the whitepaper suites only', async () => {
    const ca = server.server.security.ca.certificatePem;
    const probe = (options: { maxVersion?: 'TLSv1.1' | 'TLSv1.2'; ciphers?: string }) =>
      new Promise<{ protocol: string | null; cipher: string; issuer: string }>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: server.server.tlsPort, ca, servername: 'localhost', minVersion: 'TLSv1', ...options }, () => {
          const peer = socket.getPeerX509Certificate()!;
          resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().standardName, issuer: peer.issuer });
          socket.end();
        });
        socket.once('error', reject);
      });
    const modern = await probe({});
    expect(modern.protocol).toBe('TLSv1.3');
    expect(modern.issuer).toContain('OCPP central system CA');
    const tls12 = await probe({ maxVersion: 'TLSv1.2' });
    expect(tls12.protocol).toBe('TLSv1.2');
    expect(['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384']).toContain(tls12.cipher);
    await expect(probe({ maxVersion: 'TLSv1.1' })).rejects.toThrow();
    await expect(probe({ maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA256' })).rejects.toThrow();

    const api = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      httpsGet(`${server.server.tlsUrl}/api/v1/security/ca-certificate`, { ca, headers: { authorization: `Bearer ${TEST_API_KEY}` } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode, body }));
      }).once('error', reject);
    });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body).certificate).toBe(ca);
  });
});

describe('configured server certificate', () => {
  it('serves TLS_CERT/TLS_KEY instead of one from the built-in CA', async () => {
    const other = await openCertificateAuthority('memory://', new Date());
    const { certificateChainPem, keyPem } = await other.serverCredentials(new Date(), []);
    const folder = mkdtempSync(join(tmpdir(), 'tls-'));
    writeFileSync(join(folder, 'chain.pem'), certificateChainPem);
    writeFileSync(join(folder, 'key.pem'), keyPem);
    const configured = await startTestServer({ TLS_CERT: join(folder, 'chain.pem'), TLS_KEY: join(folder, 'key.pem') });
    try {
      const client = await OcppTestClient.connect(wssUrl(configured, 'CFG-1'), { tls: { ca: other.certificatePem } });
      const peer = (client.socket as unknown as { _socket: TLSSocket })._socket.getPeerX509Certificate()!;
      expect(peer.checkIssued(new X509Certificate(other.certificatePem))).toBe(true);
      await client.close();
      // Our own CA did not issue it, so a client trusting only ours refuses the server.
      expect((await refusal(connectTls(configured, 'CFG-1'))).body).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    } finally {
      await configured.close();
    }
  });
});

describe('security profile 2', () => {
  beforeAll(async () => {
    expect((await server.api('POST', '/api/v1/stations', { id: 'P2-1', password })).status).toBe(201);
    expect((await server.api('PATCH', '/api/v1/stations/P2-1', { securityProfile: 2 })).body.securityProfile).toBe(2);
  });

  it('lets the station in over wss with its password', async () => {
    const client = await connectTls(server, 'P2-1', { headers: { Authorization: basicAuth('P2-1', password) } });
    expect((await boot(client)).status).toBe('Accepted');
    await client.close();
  });

  it('refuses it over plain ws, and over wss without or with a wrong password', async () => {
    const plain = await refusal(OcppTestClient.connect(server.ocppUrl('P2-1'), { headers: { Authorization: basicAuth('P2-1', password) } }));
    expect(plain.statusCode).toBe(403);
    expect(plain.body).toContain('wss://');
    expect((await refusal(connectTls(server, 'P2-1'))).statusCode).toBe(401);
    expect((await refusal(connectTls(server, 'P2-1', { headers: { Authorization: basicAuth('P2-1', 'wrong-password') } }))).statusCode).toBe(401);
  });
});

describe('security profile 3 and the certificate authority', () => {
  let certificate: { certPem: string; keyPem: string };
  beforeAll(async () => {
    for (const id of ['P3-1', 'P3-2']) {
      expect((await server.api('POST', '/api/v1/stations', { id, password })).status).toBe(201);
      expect((await server.api('PATCH', `/api/v1/stations/${id}`, { securityProfile: 2 })).status).toBe(200);
    }
    certificate = await enrol('P3-1');
  });

  it('signs a real CSR (SignCertificate) and delivers the certificate (CertificateSigned)', async () => {
    const issued = new X509Certificate(certificate.certPem);
    expect(issued.subject).toContain('CN=P3-1');
    expect(issued.checkIssued(new X509Certificate(server.server.security.ca.certificatePem))).toBe(true);
    expect(issued.checkPrivateKey(await import('node:crypto').then(({ createPrivateKey }) => createPrivateKey(certificate.keyPem)))).toBe(true);
    const listed = await server.api('GET', '/api/v1/stations/P3-1/certificates');
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).toMatchObject({ deliveryStatus: 'Accepted', revokedAt: null, serialNumber: issued.serialNumber.toLowerCase().replace(/^0+/, '') });
    const commands = await server.api('GET', '/api/v1/stations/P3-1/commands?action=CertificateSigned');
    expect(commands.body[0]).toMatchObject({ outcome: 'answered', requestedBy: 'system:certificate-authority' });
  });

  it('rejects a CSR for another station or with a broken signature', async () => {
    const client = await connectTls(server, 'P3-2', { headers: { Authorization: basicAuth('P3-2', password) } });
    const other = await stationCsr('P3-1');
    expect(await client.call('SignCertificate', { csr: other.csrPem })).toEqual({ status: 'Rejected' });
    expect(await client.call('SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----' })).toEqual({ status: 'Rejected' });
    await client.close();
    expect((await server.api('GET', '/api/v1/stations/P3-2/certificates')).body).toEqual([]);
  });

  it('signs nothing for a station that connected without credentials (anyone could use its id)', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('NO-PASSWORD'));
    expect(await client.call('SignCertificate', { csr: (await stationCsr('NO-PASSWORD')).csrPem })).toEqual({ status: 'Rejected' });
    await client.close();
    expect((await server.api('GET', '/api/v1/stations/NO-PASSWORD/certificates')).body).toEqual([]);
  });

  it('moves the station up to profile 3 only once it holds a certificate, then requires the certificate', async () => {
    const noCertificate = await server.api('POST', '/api/v1/stations/P3-2/security-profile/upgrade', { securityProfile: 3 });
    expect(noCertificate.status).toBe(409);
    expect(noCertificate.body.detail).toContain('no valid certificate');

    const station = await connectTls(server, 'P3-1', {
      headers: { Authorization: basicAuth('P3-1', password) },
      onCall: (action) => (action === 'ChangeConfiguration' ? { status: 'Accepted' } : {}),
    });
    const upgraded = await server.api('POST', '/api/v1/stations/P3-1/security-profile/upgrade', { securityProfile: 3 });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body).toEqual({ securityProfile: 3, status: 'Accepted' });
    expect(station.calls.at(-1)).toEqual({ action: 'ChangeConfiguration', payload: { key: 'SecurityProfile', value: '3' } });
    await station.close();

    const client = await connectTls(server, 'P3-1', { tls: { cert: certificate.certPem, key: certificate.keyPem } });
    expect((await boot(client)).status).toBe('Accepted');
    await client.close();

    // A password alone is no longer enough, on either port.
    expect((await refusal(connectTls(server, 'P3-1', { headers: { Authorization: basicAuth('P3-1', password) } }))).statusCode).toBe(401);
    expect((await refusal(OcppTestClient.connect(server.ocppUrl('P3-1'), { headers: { Authorization: basicAuth('P3-1', password) } }))).statusCode).toBe(403);
    // Going down needs to be said out loud.
    const downgrade = await server.api('PATCH', '/api/v1/stations/P3-1', { securityProfile: 2 });
    expect(downgrade.status).toBe(409);
    expect(downgrade.body.detail).toContain('allowDowngrade');
  });

  it('refuses a certificate from another CA, an expired one, one for another station, and a revoked one', async () => {
    const stranger = await foreignCa();
    const foreign = await stranger.issue('P3-1');
    const fromStranger = await refusal(connectTls(server, 'P3-1', { tls: { cert: foreign.certPem, key: foreign.keyPem } }));
    expect(fromStranger.statusCode).toBe(401);
    expect(fromStranger.body).toContain('not accepted');

    const ca = server.server.security.ca;
    const oldKey = await stationCsr('P3-1');
    const expired = await ca.signStationCsr(oldKey.csrPem, 'P3-1', { notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const lapsed = await refusal(connectTls(server, 'P3-1', { tls: { cert: expired.pem, key: oldKey.keyPem } }));
    expect(lapsed.statusCode).toBe(401);
    expect(lapsed.body).toContain('CERT_HAS_EXPIRED');

    const otherKey = await stationCsr('P3-2');
    const forOther = await ca.signStationCsr(otherKey.csrPem, 'P3-2', { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) });
    const wrongStation = await refusal(connectTls(server, 'P3-1', { tls: { cert: forOther.pem, key: otherKey.keyPem } }));
    expect(wrongStation.statusCode).toBe(401);
    expect(JSON.parse(wrongStation.body).detail).toBe('The client certificate is for "P3-2", not for station "P3-1"');

    const client = await connectTls(server, 'P3-1', { tls: { cert: certificate.certPem, key: certificate.keyPem } });
    const serialNumber = new X509Certificate(certificate.certPem).serialNumber;
    const revoked = await server.api('POST', '/api/v1/certificate-revocations', { serialNumber, reason: 'key compromised' });
    expect(revoked.status).toBe(201);
    expect(revoked.body).toMatchObject({ stationId: 'P3-1', reason: 'key compromised', revokedBy: 'bootstrap' });
    // The live connection made with it is closed, and it cannot connect again.
    expect((await client.closed).code).toBe(4001);
    expect((await refusal(connectTls(server, 'P3-1', { tls: { cert: certificate.certPem, key: certificate.keyPem } }))).body).toContain('revoked');
    expect((await server.api('GET', '/api/v1/stations/P3-1/certificates')).body[0].revokedAt).not.toBeNull();
  });

  it('trusts a manufacturer CA the operator configured', async () => {
    const manufacturer = await foreignCa('Manufacturer CA');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'ca-')), 'manufacturers.pem');
    writeFileSync(file, manufacturer.certificatePem);
    const trusting = await startTestServer({ TLS_TRUSTED_STATION_CA: file });
    try {
      await trusting.api('POST', '/api/v1/stations', { id: 'MFR-1' });
      expect((await trusting.api('PATCH', '/api/v1/stations/MFR-1', { securityProfile: 3 })).status).toBe(200);
      const issued = await manufacturer.issue('MFR-1');
      const client = await connectTls(trusting, 'MFR-1', { tls: { cert: issued.certPem, key: issued.keyPem } });
      expect((await boot(client)).status).toBe('Accepted');
      await client.close();
    } finally {
      await trusting.close();
    }
  });
});

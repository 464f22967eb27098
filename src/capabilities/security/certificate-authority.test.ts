import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsrRejectedError, openCertificateAuthority } from './certificate-authority.js';
import { EC_ALGORITHM, newKeyPair, x509 } from './x509.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ca-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function csr(commonName: string): Promise<string> {
  const keys = await newKeyPair();
  return (await x509.Pkcs10CertificateRequestGenerator.create({ name: [{ CN: [commonName] }], keys, signingAlgorithm: EC_ALGORITHM })).toString('pem');
}

describe('certificate authority', () => {
  it('keeps its key in DATA_DIR/ca, readable by the owner only, and is the same CA after a restart', async () => {
    const now = new Date();
    const first = await openCertificateAuthority(dataDir, now);
    expect(statSync(join(dataDir, 'ca', 'ca-key.pem')).mode & 0o777).toBe(0o600);
    const again = await openCertificateAuthority(dataDir, now);
    expect(again.certificatePem).toBe(first.certificatePem);
    const ca = new X509Certificate(first.certificatePem);
    expect(ca.ca).toBe(true);
  });

  it('issues the server certificate once for the names asked, and anew when they change', async () => {
    const ca = await openCertificateAuthority(dataDir, new Date());
    const first = await ca.serverCredentials(new Date(), ['csms.example.com']);
    expect((await ca.serverCredentials(new Date(), ['csms.example.com'])).keyPem).toBe(first.keyPem);
    const leaf = new X509Certificate(first.certificateChainPem);
    expect(leaf.subjectAltName).toContain('DNS:csms.example.com');
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(leaf.checkIssued(new X509Certificate(ca.certificatePem))).toBe(true);
    expect((await ca.serverCredentials(new Date(), ['other.example.com'])).keyPem).not.toBe(first.keyPem);
  });

  it('signs a CSR that names the station, for client authentication, and nothing else', async () => {
    const ca = await openCertificateAuthority('memory://', new Date());
    const validity = { notBefore: new Date(Date.now() - 1000), notAfter: new Date(Date.now() + 86_400_000) };
    const issued = await ca.signStationCsr(await csr('CP-7'), 'CP-7', validity);
    const certificate = new X509Certificate(issued.pem);
    expect(certificate.subject).toBe('CN=CP-7');
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(certificate.verify(new X509Certificate(ca.certificatePem).publicKey)).toBe(true);
    await expect(ca.signStationCsr(await csr('CP-8'), 'CP-7', validity)).rejects.toThrow(CsrRejectedError);
    await expect(ca.signStationCsr('not a csr', 'CP-7', validity)).rejects.toThrow('PKCS#10');
  });
});

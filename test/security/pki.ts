// Test-side PKI: what a station or a foreign CA does, built with the same X.509 toolkit as the
// product (a station makes its key and CSR; another CA issues certificates we must not trust).

import { EC_ALGORITHM, newKeyPair, privateKeyPem, x509 } from '../../src/capabilities/security/x509.js';
import type { TestServer } from '../support/test-server.js';
import { OcppTestClient, type OcppClientOptions } from '../support/ocpp-client.js';

export interface StationKey {
  keyPem: string;
  csrPem: string;
}

/** A fresh key pair and a CSR for it, as a charger makes before SignCertificate. */
export async function stationCsr(commonName: string, organization = 'Test CPO'): Promise<StationKey> {
  const keys = await newKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }, { O: [organization] }],
    keys,
    signingAlgorithm: EC_ALGORITHM,
  });
  return { keyPem: await privateKeyPem(keys.privateKey), csrPem: csr.toString('pem') };
}

/** A CA of its own (a stranger's, or a manufacturer's) that issues client certificates. */
export async function foreignCa(name = 'Foreign CA') {
  const keys = await newKeyPair();
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [name] }],
    keys,
    signingAlgorithm: EC_ALGORITHM,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 365 * 86_400_000),
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return {
    certificatePem: ca.toString('pem'),
    async issue(commonName: string): Promise<{ certPem: string; keyPem: string }> {
      const station = await newKeyPair();
      const certificate = await x509.X509CertificateGenerator.create({
        subject: [{ CN: [commonName] }],
        issuer: ca.subject,
        publicKey: station.publicKey,
        signingKey: keys.privateKey,
        signingAlgorithm: EC_ALGORITHM,
        notBefore: new Date(now - 86_400_000),
        notAfter: new Date(now + 30 * 86_400_000),
        extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
      });
      return { certPem: certificate.toString('pem'), keyPem: await privateKeyPem(station.privateKey) };
    },
  };
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** wss://.../ocpp/{id} on the test server's TLS port. */
export const wssUrl = (server: TestServer, stationId: string) => `wss://127.0.0.1:${server.server.tlsPort}/ocpp/${encodeURIComponent(stationId)}`;

/** Connects over TLS trusting our CA (and whatever else the options add). */
export function connectTls(server: TestServer, stationId: string, options: OcppClientOptions = {}): Promise<OcppTestClient> {
  return OcppTestClient.connect(wssUrl(server, stationId), { ...options, tls: { ca: server.server.security.ca.certificatePem, ...options.tls } });
}

/** The HTTP status of a refused connection attempt (fails the test when the connection opens). */
export async function refusal(attempt: Promise<OcppTestClient>): Promise<{ statusCode: number | undefined; body: string }> {
  try {
    const client = await attempt;
    await client.close();
  } catch (error) {
    const failure = error as { statusCode?: number; body?: string; code?: string; message: string };
    return { statusCode: failure.statusCode, body: failure.body ?? failure.code ?? failure.message };
  }
  throw new Error('the connection was accepted');
}

/** Resolves once `check` holds (polled), or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

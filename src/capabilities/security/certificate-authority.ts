// The built-in certificate authority: an ECDSA P-256 root kept in DATA_DIR/ca (key file mode
// 0600; with DATA_DIR=memory:// it lives in memory for the process). It signs stations' CSRs
// (SignCertificate, security profile 3) and, when TLS_CERT/TLS_KEY are not configured, the
// server certificate of the TLS port. No openssl: WebCrypto and @peculiar/x509 only.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EC_ALGORITHM, importPrivateKey, newKeyPair, normalizeSerial, privateKeyPem, x509, type CryptoKey } from './x509.js';

const DAY_MS = 86_400_000;
const CA_YEARS = 20;
const SERVER_CERT_DAYS = 397;
/** A stored server certificate this close to lapsing is replaced at start-up. */
const SERVER_RENEW_DAYS = 30;

export class CsrRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CsrRejectedError';
  }
}

export interface IssuedCertificate {
  pem: string;
  serialNumber: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export interface ServerCredentials {
  /** The server certificate followed by our CA certificate. */
  certificateChainPem: string;
  keyPem: string;
}

export interface CertificateAuthority {
  readonly certificatePem: string;
  /** Checks the CSR (PEM, its own signature, CN = station id) and signs it. Throws CsrRejectedError. */
  signStationCsr(csrPem: string, stationId: string, validity: { notBefore: Date; notAfter: Date }): Promise<IssuedCertificate>;
  /**
   * The TLS port's certificate for localhost, this host and `names` (DNS names or IP addresses),
   * issued once and kept beside the CA; issued anew when it nears its end or the names change.
   */
  serverCredentials(now: Date, names: readonly string[]): Promise<ServerCredentials>;
}

/** The parsed CSR if it is well-formed, self-signed correctly and names the station; else throws CsrRejectedError. */
export async function checkStationCsr(csrPem: string, stationId: string): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem.trim());
  } catch {
    throw new CsrRejectedError('the CSR is not a PEM-encoded PKCS#10 request');
  }
  if (!(await csr.verify().catch(() => false))) throw new CsrRejectedError("the CSR's signature does not verify");
  const commonNames = csr.subjectName.getField('CN');
  if (commonNames.length !== 1 || commonNames[0] !== stationId) {
    throw new CsrRejectedError(`the CSR's common name must be the station id "${stationId}" (got ${commonNames.join(', ') || 'none'})`);
  }
  return csr;
}

interface Stored {
  read(name: string): string | undefined;
  write(name: string, text: string, secret: boolean): void;
}

function storeFor(dataDir: string): Stored {
  if (dataDir.startsWith('memory://')) {
    const files = new Map<string, string>();
    return { read: (name) => files.get(name), write: (name, text) => void files.set(name, text) };
  }
  const folder = join(dataDir, 'ca');
  return {
    read: (name) => (existsSync(join(folder, name)) ? readFileSync(join(folder, name), 'utf8') : undefined),
    write(name, text, secret) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      writeFileSync(join(folder, name), text, { mode: secret ? 0o600 : 0o644 });
    },
  };
}

async function keyIdentifiers(publicKey: CryptoKey | x509.PublicKey, issuer: x509.X509Certificate): Promise<x509.Extension[]> {
  return [
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey),
  ];
}

export async function openCertificateAuthority(dataDir: string, now: Date): Promise<CertificateAuthority> {
  const store = storeFor(dataDir);
  let caPem = store.read('ca.pem');
  let caKeyPem = store.read('ca-key.pem');
  if (!caPem || !caKeyPem) {
    const keys = await newKeyPair();
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      name: [{ CN: ['OCPP central system CA'] }, { O: ['OCPP central system'] }],
      keys,
      signingAlgorithm: EC_ALGORITHM,
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(now.getTime() + CA_YEARS * 365 * DAY_MS),
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    caPem = ca.toString('pem');
    caKeyPem = await privateKeyPem(keys.privateKey);
    // The key first: a CA certificate without its key would be useless at the next start.
    store.write('ca-key.pem', caKeyPem, true);
    store.write('ca.pem', caPem, false);
  }
  const caCert = new x509.X509Certificate(caPem);
  const caKey = await importPrivateKey(caKeyPem);

  async function issue(params: {
    subject: x509.JsonName;
    publicKey: x509.PublicKey | CryptoKey;
    notBefore: Date;
    notAfter: Date;
    extensions: x509.Extension[];
  }): Promise<x509.X509Certificate> {
    return x509.X509CertificateGenerator.create({
      subject: params.subject,
      issuer: caCert.subjectName.toString(),
      publicKey: params.publicKey,
      signingKey: caKey,
      signingAlgorithm: EC_ALGORITHM,
      notBefore: params.notBefore,
      notAfter: params.notAfter,
      extensions: [...params.extensions, ...(await keyIdentifiers(params.publicKey, caCert))],
    });
  }

  return {
    certificatePem: caPem,

    async signStationCsr(csrPem, stationId, validity) {
      const csr = await checkStationCsr(csrPem, stationId);
      const organization = csr.subjectName.getField('O')[0];
      const subject: x509.JsonName = [{ CN: [stationId] }, ...(organization ? [{ O: [organization] }] : [])];
      const certificate = await issue({
        subject,
        publicKey: csr.publicKey,
        ...validity,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        ],
      });
      return {
        pem: certificate.toString('pem'),
        serialNumber: normalizeSerial(certificate.serialNumber),
        subject: certificate.subject,
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
      };
    },

    async serverCredentials(at, names) {
      const wanted = [...new Set(['localhost', ...(hostname() ? [hostname()] : []), '127.0.0.1', '::1', ...names])];
      const stored = store.read('server.pem');
      const storedKey = store.read('server-key.pem');
      if (stored && storedKey && store.read('server-names.txt') === wanted.join('\n')) {
        const certificate = new x509.X509Certificate(stored);
        const fresh = certificate.notAfter.getTime() - at.getTime() > SERVER_RENEW_DAYS * DAY_MS;
        if (fresh && (await certificate.verify({ publicKey: caCert.publicKey, signatureOnly: true }))) {
          return { certificateChainPem: `${stored}\n${caPem}`, keyPem: storedKey };
        }
      }
      const keys = await newKeyPair();
      const certificate = await issue({
        subject: [{ CN: [hostname() || 'localhost'] }],
        publicKey: keys.publicKey,
        notBefore: new Date(at.getTime() - DAY_MS),
        notAfter: new Date(at.getTime() + SERVER_CERT_DAYS * DAY_MS),
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension(wanted.map((name) => ({ type: isIP(name) ? 'ip' : 'dns', value: name }))),
        ],
      });
      const pem = certificate.toString('pem');
      const keyPem = await privateKeyPem(keys.privateKey);
      store.write('server-key.pem', keyPem, true);
      store.write('server.pem', pem, false);
      store.write('server-names.txt', wanted.join('\n'), false);
      return { certificateChainPem: `${pem}\n${caPem}`, keyPem };
    },
  };
}

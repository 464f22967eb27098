// The security capability's process-wide parts, made once at start-up: the certificate
// authority, station passwords and admission (used by the gateway), the certificate life cycle,
// and the TLS port's settings.

import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { CommandDeps } from '../commands/send-command.js';
import type { Services } from '../handler-context.js';
import { openCertificateAuthority, type CertificateAuthority } from './certificate-authority.js';
import { startCertificateService, type CertificateService } from './certificate-service.js';
import { createStationAdmission, type StationAdmission } from './station-admission.js';
import { createStationPasswords, type StationPasswords } from './station-passwords.js';

/**
 * The whitepaper's cipher suites for TLS 1.2 (ECDHE with AES-GCM, ECDSA or RSA keys), and the
 * TLS 1.3 suites (which Node configures through the same list).
 */
export const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_AES_128_GCM_SHA256',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
].join(':');

export interface SecurityServices {
  ca: CertificateAuthority;
  passwords: StationPasswords;
  admission: StationAdmission;
  certificates: CertificateService;
  /** Options for the TLS port (wss:// and https://). */
  tlsOptions: TlsOptions;
}

export async function openSecurity(services: Services, commands: CommandDeps): Promise<SecurityServices> {
  const { config, db } = services;
  const ca = await openCertificateAuthority(config.dataDir, services.clock.now());
  const passwords = createStationPasswords(db);
  const credentials: SecureContextOptions =
    config.tlsCert && config.tlsKey
      ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
      : await ca.serverCredentials(services.clock.now(), config.security.serverNames).then(({ certificateChainPem, keyPem }) => ({ cert: certificateChainPem, key: keyPem }));
  const trusted = [ca.certificatePem, ...(config.security.trustedStationCaFile ? [readFileSync(config.security.trustedStationCaFile, 'utf8')] : [])];
  return {
    ca,
    passwords,
    admission: createStationAdmission(db, passwords, config.security.stationAuthMaxFailures),
    certificates: startCertificateService(services, commands, ca),
    tlsOptions: {
      ...credentials,
      minVersion: 'TLSv1.2',
      ciphers: TLS_CIPHERS,
      honorCipherOrder: true,
      // Client certificates are asked for, not required: profile 2 stations and browsers have
      // none. Whether one is needed and valid is decided per station before the upgrade.
      requestCert: true,
      rejectUnauthorized: false,
      ca: trusted,
    },
  };
}

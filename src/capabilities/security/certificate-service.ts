// The station-certificate life cycle, off the stations' request path: a CSR the station sent
// (SignCertificate) is signed by our CA and delivered with CertificateSigned; a certificate
// nearing its end is renewed by asking the station for a new CSR (ExtendedTriggerMessage
// SignChargePointCertificate), once a day until a new certificate replaces it.

import type { Services } from '../handler-context.js';
import { sendCommand, type CommandDeps } from '../commands/send-command.js';
import type { CertificateAuthority } from './certificate-authority.js';
import { certificatesDueForRenewal, markRenewalRequested, recordDelivery, recordIssuedCertificate } from './certificate-store.js';

const DAY_MS = 86_400_000;
const REQUESTED_BY = 'system:certificate-authority';

export interface CertificateService {
  /** Signs a station's CSR, stores the certificate and sends it; resolves with the station's answer. */
  signAndDeliver(stationId: string, csr: string): Promise<string>;
  /** Asks online stations whose certificate lapses within CERTIFICATE_RENEWAL_DAYS for a new CSR. */
  requestRenewals(): Promise<number>;
  stop(): Promise<void>;
}

export function startCertificateService(services: Services, commands: CommandDeps, ca: CertificateAuthority): CertificateService {
  const { db, clock, config, log } = services;
  const running = new Set<Promise<unknown>>();

  async function signAndDeliver(stationId: string, csr: string): Promise<string> {
    const now = clock.now();
    const issued = await ca.signStationCsr(csr, stationId, {
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + config.security.stationCertificateDays * DAY_MS),
    });
    await recordIssuedCertificate(db, stationId, issued);
    let status: string;
    try {
      status = (await sendCommand(commands, stationId, 'CertificateSigned', { certificateChain: issued.pem }, { requestedBy: REQUESTED_BY })).status;
    } catch (error) {
      status = `not delivered: ${error instanceof Error ? error.message : String(error)}`;
    }
    await recordDelivery(db, issued.serialNumber, status);
    log.info({ stationId, serialNumber: issued.serialNumber, status }, 'station certificate issued');
    return status;
  }

  const unsubscribe = services.events.on('certificate.csr-accepted', ({ stationId, csr }) => {
    const work = signAndDeliver(stationId, csr)
      .catch((error: unknown) => log.error({ err: error, stationId }, 'could not sign the station certificate'))
      .finally(() => running.delete(work));
    running.add(work);
  });

  return {
    signAndDeliver,
    async requestRenewals() {
      const now = clock.now();
      const due = await certificatesDueForRenewal(db, new Date(now.getTime() + config.security.certificateRenewalDays * DAY_MS), new Date(now.getTime() - DAY_MS));
      let asked = 0;
      for (const certificate of due) {
        if (!commands.caller.isOnline(certificate.stationId)) continue;
        try {
          const answer = await sendCommand(
            commands,
            certificate.stationId,
            'ExtendedTriggerMessage',
            { requestedMessage: 'SignChargePointCertificate' },
            { requestedBy: REQUESTED_BY },
          );
          await markRenewalRequested(db, certificate.id, now);
          asked += 1;
          log.info({ stationId: certificate.stationId, notAfter: certificate.notAfter, status: answer.status }, 'asked station to renew its certificate');
        } catch (error) {
          log.warn({ err: error, stationId: certificate.stationId }, 'could not ask station to renew its certificate');
        }
      }
      return asked;
    },
    async stop() {
      unsubscribe();
      await Promise.allSettled([...running]);
    },
  };
}

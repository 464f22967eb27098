// SignCertificate (security extension): the station sends a CSR for its client certificate. A
// well-formed CSR that names the station is Accepted; the CA then signs it and sends
// CertificateSigned (certificate-service.ts), off the station's request path.
//
// Only a station that proved who it is may get a certificate: one that connected with its
// password or its certificate, and is accepted. A station let in without credentials (profile 0,
// no password) is refused: anyone could have connected under its id, and the certificate would
// outlive the station's move to profile 3.

import type { Handler16 } from '../../handler-context.js';
import { getStation } from '../../stations/station-store.js';
import { checkStationCsr, CsrRejectedError } from '../certificate-authority.js';

export const signCertificate: Handler16<'SignCertificate'> = async (ctx, request) => {
  const station = await getStation(ctx.db, ctx.station.id);
  const authenticated = station !== undefined && (station.passwordHash !== null || station.securityProfile >= 3);
  if (!authenticated || station.registration !== 'accepted') {
    ctx.log.warn({ action: 'SignCertificate' }, 'certificate signing request refused: the station is not authenticated or not accepted');
    return { status: 'Rejected' };
  }
  try {
    await checkStationCsr(request.csr, ctx.station.id);
  } catch (error) {
    if (!(error instanceof CsrRejectedError)) throw error;
    ctx.log.warn({ action: 'SignCertificate', reason: error.message }, 'certificate signing request rejected');
    return { status: 'Rejected' };
  }
  ctx.events.emit('certificate.csr-accepted', { stationId: ctx.station.id, csr: request.csr });
  return { status: 'Accepted' };
};

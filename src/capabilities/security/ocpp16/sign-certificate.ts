// SignCertificate (security extension): the station sends a CSR for its client certificate. A
// well-formed CSR that names the station is Accepted; the CA then signs it and sends
// CertificateSigned (certificate-service.ts), off the station's request path.

import type { Handler16 } from '../../handler-context.js';
import { checkStationCsr, CsrRejectedError } from '../certificate-authority.js';

export const signCertificate: Handler16<'SignCertificate'> = async (ctx, request) => {
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

// A station's security, read-only: its security profile and password, the security events it
// reported (SecurityEventNotification) and the certificates our CA issued to it. Changing the
// profile or password is done through the API by an admin.

import { get } from '../../api/client';
import type { SecurityEvent, StationCertificate, StationDetail } from '../../api/types';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';

const PROFILES: Record<number, string> = {
  0: '0 — no authentication',
  1: '1 — password (HTTP Basic) without TLS',
  2: '2 — TLS and password',
  3: '3 — TLS with a client certificate',
};
const EVENTS_SHOWN = 20;

export function SecurityPanel({ station }: { station: StationDetail }) {
  const base = `/api/v1/stations/${encodeURIComponent(station.id)}`;
  const events = useResource(() => get<SecurityEvent[]>(`${base}/security-events?limit=${EVENTS_SHOWN}`), [base]);
  const certificates = useResource(() => get<StationCertificate[]>(`${base}/certificates`), [base]);

  return (
    <section aria-labelledby="station-security-heading" data-testid="station-security">
      <h2 id="station-security-heading">Security</h2>
      <dl class="facts">
        <div>
          <dt>Security profile</dt>
          <dd>{PROFILES[station.securityProfile] ?? String(station.securityProfile)}</dd>
        </div>
        <div>
          <dt>Password</dt>
          <dd>{station.hasPassword ? 'set' : 'none'}</dd>
        </div>
      </dl>

      <h3>Security events</h3>
      {events.loading && <Loading what="Loading security events" />}
      {events.error !== undefined && <ErrorNotice error={events.error} retry={events.reload} />}
      {events.data && events.data.length === 0 && <Empty title="No security events reported." />}
      {events.data && events.data.length > 0 && (
        <table class="table responsive" aria-label="Security events">
          <caption class="table-caption">{`The latest ${events.data.length}, newest first`}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.data.map((event) => (
              <tr key={event.id}>
                <td data-label="When">{formatDateTime(event.timestamp)}</td>
                <td data-label="Event">{event.type}</td>
                <td data-label="Details">{event.techInfo ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Certificates</h3>
      {certificates.loading && <Loading what="Loading certificates" />}
      {certificates.error !== undefined && <ErrorNotice error={certificates.error} retry={certificates.reload} />}
      {certificates.data && certificates.data.length === 0 && <Empty title="No certificate issued to this station." />}
      {certificates.data && certificates.data.length > 0 && (
        <table class="table responsive" aria-label="Certificates">
          <thead>
            <tr>
              <th scope="col">Serial number</th>
              <th scope="col">Subject</th>
              <th scope="col">Valid</th>
              <th scope="col">Delivery</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {certificates.data.map((certificate) => (
              <tr key={certificate.serialNumber}>
                <th scope="row" data-label="Serial number">
                  <code>{certificate.serialNumber}</code>
                </th>
                <td data-label="Subject">{certificate.subject}</td>
                <td data-label="Valid">{`${formatDateTime(certificate.notBefore)} – ${formatDateTime(certificate.notAfter)}`}</td>
                <td data-label="Delivery">{certificate.deliveryStatus ?? '—'}</td>
                <td data-label="State">
                  {certificate.revokedAt ? (
                    <span class="badge badge-bad">revoked {formatDateTime(certificate.revokedAt)}</span>
                  ) : new Date(certificate.notAfter).getTime() < Date.now() ? (
                    <span class="badge badge-bad">expired</span>
                  ) : (
                    <span class="badge badge-ok">valid</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

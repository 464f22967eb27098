// Station certificates: our CA's certificate (to install on stations before profile 2 or 3) and
// the revocation list; an admin revokes a certificate by its serial number, and a station on
// profile 3 using it is disconnected at once.

import { useState } from 'preact/hooks';
import { api, get } from '../../api/client';
import type { CertificateRevocation } from '../../api/types';
import { FormActions } from '../../components/form-actions';
import { Empty, ErrorNotice, Loading, Outcome } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';

type Message = { tone: 'ok' | 'error'; text: string } | undefined;

export function CertificatesSection({ admin, onChanged }: { admin: boolean; onChanged: () => void }) {
  const ca = useResource(() => get<{ certificate: string }>('/api/v1/security/ca-certificate'), []);
  const revocations = useResource(() => get<CertificateRevocation[]>('/api/v1/certificate-revocations'), []);
  const [message, setMessage] = useState<Message>();

  return (
    <section aria-labelledby="certificates-heading">
      <h2 id="certificates-heading">Station certificates</h2>
      <h3>Our CA certificate</h3>
      <p class="muted">
        Install it on a station as <code>CentralSystemRootCertificate</code> (InstallCertificate) before moving it to security profile 2 or 3. Select the text to
        copy it.
      </p>
      {ca.loading && <Loading what="Loading the CA certificate" />}
      {ca.error !== undefined && <ErrorNotice error={ca.error} retry={ca.reload} />}
      {ca.data && <textarea class="pem" readOnly rows={6} aria-label="CA certificate (PEM)" value={ca.data.certificate} />}

      <h3>Revoked certificates</h3>
      <Outcome message={message} />
      {admin && (
        <RevokeForm
          onRevoked={(row) => {
            revocations.update((list) => [row, ...list.filter((item) => item.serialNumber !== row.serialNumber)]);
            setMessage({ tone: 'ok', text: `Certificate ${row.serialNumber} revoked.` });
            onChanged();
          }}
          onError={(text) => {
            setMessage({ tone: 'error', text });
            onChanged();
          }}
        />
      )}
      {revocations.loading && <Loading what="Loading the revocation list" />}
      {revocations.error !== undefined && <ErrorNotice error={revocations.error} retry={revocations.reload} />}
      {revocations.data && revocations.data.length === 0 && <Empty title="No certificate has been revoked." />}
      {revocations.data && revocations.data.length > 0 && (
        <table class="table responsive" aria-label="Revoked certificates">
          <thead>
            <tr>
              <th scope="col">Serial number</th>
              <th scope="col">Station</th>
              <th scope="col">Reason</th>
              <th scope="col">Revoked</th>
            </tr>
          </thead>
          <tbody>
            {revocations.data.map((row) => (
              <tr key={row.serialNumber} data-revoked={row.serialNumber}>
                <th scope="row" data-label="Serial number">
                  <code>{row.serialNumber}</code>
                </th>
                <td data-label="Station">{row.stationId ?? '—'}</td>
                <td data-label="Reason">{row.reason ?? '—'}</td>
                <td data-label="Revoked">{`${formatDateTime(row.revokedAt)} by ${row.revokedBy}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RevokeForm({ onRevoked, onError }: { onRevoked: (row: CertificateRevocation) => void; onError: (text: string) => void }) {
  const [serialNumber, setSerialNumber] = useState('');
  const [stationId, setStationId] = useState('');
  const [reason, setReason] = useState('');
  const { busy, attempt } = useSubmit(({ text }) => onError(text));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!window.confirm(`Revoke certificate ${serialNumber.trim()}? A station using it can no longer connect.`)) return;
    await attempt('The certificate could not be revoked', async () => {
      const body = { serialNumber: serialNumber.trim(), ...(stationId.trim() ? { stationId: stationId.trim() } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) };
      onRevoked(await api<CertificateRevocation>('POST', '/api/v1/certificate-revocations', body));
      setSerialNumber('');
      setStationId('');
      setReason('');
    });
  };

  return (
    <details class="panel">
      <summary>Revoke a certificate</summary>
      <form class="form-grid" onSubmit={submit} aria-label="Revoke a certificate">
        <label>
          Serial number (hexadecimal)
          <input required maxLength={64} pattern="[0-9A-Fa-f:]+" value={serialNumber} onInput={(event) => setSerialNumber(event.currentTarget.value)} />
        </label>
        <label>
          Station (optional)
          <input maxLength={64} value={stationId} onInput={(event) => setStationId(event.currentTarget.value)} />
        </label>
        <label>
          Reason (optional)
          <input maxLength={500} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
        </label>
        <FormActions label="Revoke certificate" busy={busy} />
      </form>
    </details>
  );
}

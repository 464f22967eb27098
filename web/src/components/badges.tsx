// Status shown as words with a colour, never colour alone.

import type { Registration } from '../api/types';

const CONNECTOR_TONE: Record<string, string> = {
  Available: 'ok',
  Preparing: 'info',
  Charging: 'active',
  SuspendedEV: 'info',
  SuspendedEVSE: 'info',
  Finishing: 'info',
  Reserved: 'info',
  Unavailable: 'muted',
  Faulted: 'bad',
};

export function ConnectorBadge({ connectorId, status, errorCode }: { connectorId?: number; status: string; errorCode?: string }) {
  const fault = errorCode && errorCode !== 'NoError' ? ` (${errorCode})` : '';
  return (
    <span class={`badge badge-${CONNECTOR_TONE[status] ?? 'muted'}`} data-status={status}>
      {connectorId !== undefined && <span class="badge-key">{connectorId === 0 ? 'Station' : `#${connectorId}`}</span>}
      {status}
      {fault}
    </span>
  );
}

export function OnlineBadge({ online }: { online: boolean }) {
  return <span class={`badge badge-${online ? 'ok' : 'muted'}`}>{online ? 'Online' : 'Offline'}</span>;
}

export function RegistrationBadge({ registration }: { registration: Registration }) {
  const tone = registration === 'accepted' ? 'ok' : registration === 'pending' ? 'warn' : 'bad';
  const label = registration === 'accepted' ? 'Accepted' : registration === 'pending' ? 'Pending approval' : 'Rejected';
  return <span class={`badge badge-${tone}`}>{label}</span>;
}

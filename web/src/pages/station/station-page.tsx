// One station: who it is, its connectors with the remote commands, its reservations, its
// configuration, firmware and diagnostics, its security, its sessions and its live message log. Each part is
// its own component in this folder.

import { useState } from 'preact/hooks';
import { api, errorText, get } from '../../api/client';
import type { Me, Session, StationDetail } from '../../api/types';
import { OnlineBadge, RegistrationBadge } from '../../components/badges';
import { Link, siteHref } from '../../components/link';
import { PageHeader } from '../../components/page-header';
import { Empty, ErrorNotice, Loading, Outcome } from '../../components/states';
import { useLiveEvents } from '../../live/feed';
import { formatAgo, formatDateTime } from '../../lib/format';
import { mergeFetched, reportedConnector, withConnectorStatus } from '../../lib/station-state';
import { useNow, useResource, useThrottled } from '../../lib/use-resource';
import { ConfigurationPanel } from './configuration-panel';
import { mayAdminister } from '../security/roles';
import { ConnectorsPanel } from './connectors-panel';
import { HandOverPanel } from './hand-over-panel';
import { MaintenancePanel } from './maintenance-panel';
import { MessageLogPanel } from './message-log-panel';
import { RecentCommands } from './recent-commands';
import { ReservationsPanel } from './reservations-panel';
import { SecurityPanel } from './security-panel';
import { StationCommands } from './station-commands';
import { StationSessions } from './station-sessions';

export type Message = { tone: 'ok' | 'error'; text: string } | undefined;

export function StationPage({ id, me }: { id: string; me: Me }) {
  const path = `/api/v1/stations/${encodeURIComponent(id)}`;
  const station = useResource(() => get<StationDetail>(path), [id]);
  const running = useResource(() => get<Session[]>(`/api/v1/sessions?stationId=${encodeURIComponent(id)}&active=true`), [id]);
  const [message, setMessage] = useState<Message>();
  const [commandsVersion, setCommandsVersion] = useState(0);
  /** The organisation the station was just given to: it is no longer ours to show. */
  const [handedOverTo, setHandedOverTo] = useState<string>();
  // A re-read after a boot must not undo connector statuses that arrived while it was under way.
  const reloadStation = useThrottled(() => {
    get<StationDetail>(path).then(
      (fresh) => station.update((current) => mergeFetched(fresh, current)),
      () => station.reload(),
    );
  }, 300);
  const now = useNow();

  useLiveEvents((event) => {
    if (event.name === 'resync') {
      station.reload();
      running.reload();
      return;
    }
    if (event.data.stationId !== id) return;
    switch (event.name) {
      case 'station.connected':
      case 'station.disconnected':
        station.update((current) => ({ ...current, online: event.name === 'station.connected', lastSeenAt: new Date().toISOString() }));
        return;
      case 'connector.status':
        station.update((current) => ({ ...current, connectors: withConnectorStatus(current.connectors, reportedConnector(event.data)) }));
        return;
      case 'transaction.started':
      case 'transaction.stopped':
        running.reload();
        return;
      case 'station.booted':
      case 'station.updated':
        reloadStation();
        return;
      default:
        return;
    }
  });

  const decide = async (verb: 'accept' | 'reject') => {
    if (verb === 'reject' && !window.confirm(`Reject station ${id}?`)) return;
    try {
      const updated = await api<StationDetail>('POST', `${path}/${verb}`);
      station.update(() => updated);
      setMessage({ tone: 'ok', text: `Station ${id} ${verb === 'accept' ? 'accepted' : 'rejected'}.` });
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(error) });
    }
  };
  const report = (next: Message) => {
    setMessage(next);
    setCommandsVersion((version) => version + 1);
  };

  if (handedOverTo !== undefined) {
    return (
      <>
        <PageHeader title={`Station ${id}`} />
        <Empty title={`Station ${id} now belongs to ${handedOverTo}.`}>
          <Link href="/stations">Back to the stations</Link>
        </Empty>
      </>
    );
  }
  if (station.loading) return <Loading what={`Loading station ${id}`} />;
  if (!station.data) return <ErrorNotice error={station.error} retry={station.reload} title={`Station ${id} could not be loaded`} />;
  const data = station.data;

  return (
    <>
      <PageHeader title={`Station ${data.id}`}>
        <OnlineBadge online={data.online} />
        <RegistrationBadge registration={data.registration} />
        {data.registration !== 'accepted' && (
          <button type="button" onClick={() => decide('accept')}>
            Accept
          </button>
        )}
        {data.registration === 'pending' && (
          <button type="button" class="danger" onClick={() => decide('reject')}>
            Reject
          </button>
        )}
      </PageHeader>
      <Outcome message={message} />
      <dl class="facts">
        <div>
          <dt>Vendor</dt>
          <dd>{data.vendor ?? '—'}</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{data.model ?? '—'}</dd>
        </div>
        <div>
          <dt>Firmware</dt>
          <dd>{data.firmwareVersion ?? '—'}</dd>
        </div>
        <div>
          <dt>Serial number</dt>
          <dd>{data.serialNumber ?? '—'}</dd>
        </div>
        <div>
          <dt>Site</dt>
          <dd>{data.siteId ? <Link href={siteHref(data.siteId)}>{data.siteId}</Link> : 'none'}</dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>{formatAgo(data.lastSeenAt, now)}</dd>
        </div>
        <div>
          <dt>Last boot</dt>
          <dd>{formatDateTime(data.lastBootAt)}</dd>
        </div>
        {data.maintenance.firmwareStatus && (
          <div>
            <dt>Firmware update</dt>
            <dd>{data.maintenance.firmwareStatus}</dd>
          </div>
        )}
      </dl>
      <ConnectorsPanel station={data} running={running.data ?? []} onMessage={report} />
      <StationCommands station={data} onMessage={report} />
      <ReservationsPanel station={data} onMessage={report} />
      <ConfigurationPanel station={data} onMessage={report} />
      <MaintenancePanel station={data} onMessage={report} />
      <SecurityPanel station={data} />
      {me.tenant.platform && mayAdminister(me.role) && <HandOverPanel station={data} onHandedOver={setHandedOverTo} onMessage={setMessage} />}
      <StationSessions stationId={data.id} />
      <MessageLogPanel stationId={data.id} />
      <RecentCommands stationId={data.id} version={commandsVersion} />
    </>
  );
}

// Every station of every brand in one list, with filters (kept in the URL), live status, and the
// stations waiting for approval on top.

import { useState } from 'preact/hooks';
import { api, errorText, get } from '../api/client';
import type { Station, StationDetail } from '../api/types';
import { ConnectorBadge, OnlineBadge, RegistrationBadge } from '../components/badges';
import { Link, stationHref } from '../components/link';
import { PageHeader } from '../components/page-header';
import { Empty, ErrorNotice, Loading, Outcome } from '../components/states';
import { useLiveEvents, type FeedEvent } from '../live/feed';
import { formatAgo } from '../lib/format';
import { mergeFetched, reportedConnector, withConnectorStatus } from '../lib/station-state';
import { useNow, useResource, type Resource } from '../lib/use-resource';
import { setSearch, useLocation } from '../router';
import { ocppEndpoint } from './overview';
import { useSubmit } from '../lib/use-submit';

const CONNECTOR_STATUSES = ['Available', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Reserved', 'Unavailable', 'Faulted'];
type Message = { tone: 'ok' | 'error'; text: string } | undefined;

/** The list after a live event, or undefined when the event does not change it in place. */
function applyEvent(stations: Station[], event: FeedEvent): Station[] | undefined {
  const change = (id: string, edit: (station: Station) => Station) => stations.map((station) => (station.id === id ? edit(station) : station));
  switch (event.name) {
    case 'station.connected':
      return change(event.data.stationId, (station) => ({ ...station, online: true, lastSeenAt: new Date().toISOString() }));
    case 'station.disconnected':
      return change(event.data.stationId, (station) => ({ ...station, online: false }));
    case 'connector.status':
      return change(event.data.stationId, (station) => ({
        ...station,
        lastSeenAt: new Date().toISOString(),
        connectors: withConnectorStatus(station.connectors, reportedConnector(event.data)),
      }));
    default:
      return undefined;
  }
}

export function StationsPage() {
  const stations = useResource(() => get<Station[]>('/api/v1/stations'), []);
  const [message, setMessage] = useState<Message>();

  const refreshOne = async (id: string) => {
    try {
      const fresh = await get<StationDetail>(`/api/v1/stations/${encodeURIComponent(id)}`);
      stations.update((list) =>
        list.some((station) => station.id === id) ? list.map((station) => (station.id === id ? mergeFetched(fresh, station) : station)) : [...list, fresh],
      );
    } catch {
      stations.reload();
    }
  };
  useLiveEvents((event) => {
    if (event.name === 'resync') return stations.reload();
    if (event.name === 'station.booted' || event.name === 'station.updated') return void refreshOne(event.data.stationId);
    if (!('stationId' in event.data)) return;
    const known = stations.data?.some((station) => station.id === event.data.stationId);
    if (!known && event.name === 'station.connected') return void refreshOne(event.data.stationId);
    stations.update((list) => applyEvent(list, event) ?? list);
  });

  return (
    <>
      <PageHeader title="Stations" />
      <Outcome message={message} />
      {stations.loading && <Loading what="Loading stations" />}
      {stations.error !== undefined && <ErrorNotice error={stations.error} retry={stations.reload} />}
      {stations.data && (
        <>
          <PendingStations stations={stations} onMessage={setMessage} />
          <StationList stations={stations.data} />
          <PreRegister onCreated={(station) => stations.update((list) => [...list, station])} onMessage={setMessage} />
        </>
      )}
    </>
  );
}

function PendingStations({ stations, onMessage }: { stations: Resource<Station[]>; onMessage: (message: Message) => void }) {
  const pending = (stations.data ?? []).filter((station) => station.registration === 'pending');
  const [busy, setBusy] = useState<string>();
  if (pending.length === 0) return null;

  const decide = async (station: Station, verb: 'accept' | 'reject') => {
    if (verb === 'reject' && !window.confirm(`Reject station ${station.id}? It will be refused until you accept it.`)) return;
    setBusy(station.id);
    try {
      const updated = await api<StationDetail>('POST', `/api/v1/stations/${encodeURIComponent(station.id)}/${verb}`);
      stations.update((list) => list.map((item) => (item.id === updated.id ? updated : item)));
      onMessage({ tone: 'ok', text: `Station ${station.id} ${verb === 'accept' ? 'accepted' : 'rejected'}.` });
    } catch (error) {
      onMessage({ tone: 'error', text: `Station ${station.id} could not be ${verb}ed: ${errorText(error)}` });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section aria-labelledby="pending-heading" class="pending">
      <h2 id="pending-heading">Waiting for approval ({pending.length})</h2>
      <p class="muted">These stations connected but are not registered yet. Accept the ones you know; they then boot and start reporting.</p>
      <ul class="cards">
        {pending.map((station) => (
          <li key={station.id} class="card" aria-label={`Pending station ${station.id}`}>
            <h3>
              <Link href={stationHref(station.id)}>{station.id}</Link>
            </h3>
            <p>
              {[station.vendor, station.model].filter(Boolean).join(' ') || 'Unknown brand'}
              {station.firmwareVersion && <> · firmware {station.firmwareVersion}</>}
            </p>
            <p>
              <OnlineBadge online={station.online} />
            </p>
            <div class="actions">
              <button type="button" disabled={busy === station.id} onClick={() => decide(station, 'accept')}>
                Accept {station.id}
              </button>
              <button type="button" class="danger" disabled={busy === station.id} onClick={() => decide(station, 'reject')}>
                Reject
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function matches(station: Station, filters: URLSearchParams): boolean {
  const text = filters.get('q')?.toLowerCase();
  if (text && ![station.id, station.vendor, station.model, station.serialNumber, station.firmwareVersion].some((field) => field?.toLowerCase().includes(text))) return false;
  const vendor = filters.get('vendor');
  if (vendor && station.vendor !== vendor) return false;
  const connection = filters.get('connection');
  if (connection && station.online !== (connection === 'online')) return false;
  const registration = filters.get('registration');
  if (registration && station.registration !== registration) return false;
  const status = filters.get('status');
  if (status && !station.connectors.some((connector) => connector.connectorId > 0 && connector.status === status)) return false;
  return true;
}

function StationList({ stations }: { stations: Station[] }) {
  const { search } = useLocation();
  const now = useNow();
  const vendors = [...new Set(stations.map((station) => station.vendor).filter((vendor): vendor is string => Boolean(vendor)))].sort();
  const shown = stations.filter((station) => matches(station, search)).sort((a, b) => a.id.localeCompare(b.id));
  const filtered = ['q', 'vendor', 'connection', 'registration', 'status'].some((name) => search.get(name));

  return (
    <section aria-labelledby="all-heading">
      <h2 id="all-heading">All stations</h2>
      <form class="filters" role="search" aria-label="Filter stations" onSubmit={(event) => event.preventDefault()}>
        <label>
          Search
          <input type="search" value={search.get('q') ?? ''} placeholder="Id, vendor, model, serial…" onInput={(event) => setSearch({ q: event.currentTarget.value })} />
        </label>
        <label>
          Vendor
          <select value={search.get('vendor') ?? ''} onChange={(event) => setSearch({ vendor: event.currentTarget.value })}>
            <option value="">All vendors</option>
            {vendors.map((vendor) => (
              <option key={vendor} value={vendor}>
                {vendor}
              </option>
            ))}
          </select>
        </label>
        <label>
          Connection
          <select value={search.get('connection') ?? ''} onChange={(event) => setSearch({ connection: event.currentTarget.value })}>
            <option value="">Online and offline</option>
            <option value="online">Online</option>
            <option value="offline">Offline</option>
          </select>
        </label>
        <label>
          Connector status
          <select value={search.get('status') ?? ''} onChange={(event) => setSearch({ status: event.currentTarget.value })}>
            <option value="">Any</option>
            {CONNECTOR_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label>
          Registration
          <select value={search.get('registration') ?? ''} onChange={(event) => setSearch({ registration: event.currentTarget.value })}>
            <option value="">Any</option>
            <option value="accepted">Accepted</option>
            <option value="pending">Pending</option>
            <option value="rejected">Rejected</option>
          </select>
        </label>
        {filtered && (
          <button type="button" class="secondary" onClick={() => setSearch({ q: undefined, vendor: undefined, connection: undefined, registration: undefined, status: undefined })}>
            Clear filters
          </button>
        )}
      </form>
      {stations.length === 0 ? (
        <Empty title="No stations yet.">
          Point a charger at <code>{ocppEndpoint()}</code>; it appears here as soon as it connects.
        </Empty>
      ) : shown.length === 0 ? (
        <Empty title="No station matches these filters." />
      ) : (
        <table class="table responsive" aria-describedby="stations-count">
          <caption id="stations-count" class="table-caption">
            {shown.length === stations.length ? `${stations.length} stations` : `${shown.length} of ${stations.length} stations`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Station</th>
              <th scope="col">Vendor</th>
              <th scope="col">Model</th>
              <th scope="col">Firmware</th>
              <th scope="col">Connection</th>
              <th scope="col">Connectors</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((station) => (
              <tr key={station.id} data-station={station.id}>
                <td data-label="Station">
                  <Link href={stationHref(station.id)}>{station.id}</Link>
                  {station.registration !== 'accepted' && (
                    <>
                      {' '}
                      <RegistrationBadge registration={station.registration} />
                    </>
                  )}
                </td>
                <td data-label="Vendor">{station.vendor ?? '—'}</td>
                <td data-label="Model">{station.model ?? '—'}</td>
                <td data-label="Firmware">{station.firmwareVersion ?? '—'}</td>
                <td data-label="Connection">
                  <OnlineBadge online={station.online} />
                </td>
                <td data-label="Connectors">
                  {station.connectors.filter((connector) => connector.connectorId > 0).length === 0 ? (
                    <span class="muted">none reported</span>
                  ) : (
                    <span class="badge-row">
                      {station.connectors
                        .filter((connector) => connector.connectorId > 0)
                        .map((connector) => (
                          <ConnectorBadge key={connector.connectorId} connectorId={connector.connectorId} status={connector.status} errorCode={connector.errorCode} />
                        ))}
                    </span>
                  )}
                </td>
                <td data-label="Last seen">{formatAgo(station.lastSeenAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PreRegister({ onCreated, onMessage }: { onCreated: (station: Station) => void; onMessage: (message: Message) => void }) {
  const [id, setId] = useState('');
  const [password, setPassword] = useState('');
  const { busy, attempt } = useSubmit(onMessage);
  const submit = async (event: Event) => {
    event.preventDefault();
    await attempt('The station could not be registered', async () => {
      const station = await api<StationDetail>('POST', '/api/v1/stations', { id: id.trim(), ...(password ? { password } : {}) });
      onCreated(station);
      onMessage({ tone: 'ok', text: `Station ${station.id} registered; it is accepted when it connects.` });
      setId('');
      setPassword('');
    });
  };
  return (
    <details class="panel">
      <summary>Register a station before it connects</summary>
      <form class="form-row" onSubmit={submit}>
        <label>
          Station id
          <input required maxLength={64} value={id} onInput={(event) => setId(event.currentTarget.value)} />
        </label>
        <label>
          Password (optional, for Basic auth)
          <input type="password" minLength={8} maxLength={40} autocomplete="new-password" value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Register
        </button>
      </form>
    </details>
  );
}

// One site: its settings (changed in place), the stations behind its grid connection (added and
// removed here, their online state live), its load against the limit, and deleting it once it
// has no stations.

import { useState } from 'preact/hooks';
import { api, ApiError, errorText, get } from '../../api/client';
import { useFeatures } from '../../api/features';
import type { Site, Station } from '../../api/types';
import { OnlineBadge } from '../../components/badges';
import { Link, stationHref } from '../../components/link';
import { PageHeader } from '../../components/page-header';
import { Empty, ErrorNotice, Loading, Outcome } from '../../components/states';
import { useLiveEvents } from '../../live/feed';
import { tariffName, useTariffs } from '../../lib/tariffs';
import { useResource, type Resource } from '../../lib/use-resource';
import { navigate } from '../../router';
import { LoadPanel } from './load-panel';
import { SiteForm } from './site-form';
import { limitText } from './sites-page';
import { useSubmit } from '../../lib/use-submit';

type Message = { tone: 'ok' | 'error'; text: string } | undefined;
const sitePath = (id: string) => `/api/v1/sites/${encodeURIComponent(id)}`;

export function SitePage({ id }: { id: string }) {
  const site = useResource(() => get<Site>(sitePath(id)), [id]);
  const stations = useResource(() => get<Station[]>('/api/v1/stations'), []);
  const [message, setMessage] = useState<Message>();
  const [editing, setEditing] = useState(false);
  useLiveEvents((event) => {
    if (event.name === 'resync') {
      site.reload();
      stations.reload();
    } else if (event.name === 'station.connected' || event.name === 'station.disconnected') {
      const online = event.name === 'station.connected';
      stations.update((list) => list.map((station) => (station.id === event.data.stationId ? { ...station, online } : station)));
    } else if (event.name === 'station.updated' || event.name === 'station.booted') stations.reload();
  });

  if (site.loading) return <Loading what={`Loading site ${id}`} />;
  if (!site.data) return <ErrorNotice error={site.error} retry={site.reload} title={`Site ${id} could not be loaded`} />;
  const data = site.data;

  const remove = async () => {
    if (!window.confirm(`Delete site ${data.name}?`)) return;
    try {
      await api('DELETE', sitePath(data.id));
      navigate(`/sites?deleted=${encodeURIComponent(data.name)}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        const ids = (error.body as { stationIds?: string[] } | undefined)?.stationIds ?? data.stationIds;
        setMessage({
          tone: 'error',
          text: `Site ${data.name} still has ${ids.length} station${ids.length === 1 ? '' : 's'} (${ids.join(', ')}). A site is deleted only once no station belongs to it: remove them below (or add them to another site) first.`,
        });
      } else setMessage({ tone: 'error', text: `Site ${data.name} could not be deleted: ${errorText(error)}` });
    }
  };

  return (
    <>
      <PageHeader title={`Site ${data.name}`}>
        <button type="button" class="secondary" onClick={() => setEditing(!editing)} aria-expanded={editing}>
          Change
        </button>
        <button type="button" class="danger" onClick={remove}>
          Delete
        </button>
      </PageHeader>
      <Outcome message={message} />
      {editing ? (
        <section class="panel" aria-label="Change the site">
          <SiteForm
            existing={data}
            onSaved={(saved) => {
              site.update(() => saved);
              setEditing(false);
              setMessage({ tone: 'ok', text: `Site ${saved.name} saved.` });
            }}
            onCancel={() => setEditing(false)}
            onMessage={setMessage}
          />
        </section>
      ) : (
        <SiteFacts site={data} />
      )}
      <section aria-labelledby="site-stations-heading">
        <h2 id="site-stations-heading">Stations</h2>
        <SiteStations site={data} stations={stations} onChanged={site.reload} onMessage={setMessage} />
      </section>
      <section aria-labelledby="site-load-heading">
        <h2 id="site-load-heading">Load</h2>
        <LoadPanel site={data} />
      </section>
    </>
  );
}

function SiteFacts({ site }: { site: Site }) {
  const hasTariffs = useFeatures().has('/api/v1/tariffs');
  const tariffs = useTariffs(hasTariffs && site.tariffId !== null);
  const tariff = tariffs.data?.find((candidate) => candidate.id === site.tariffId);
  return (
    <dl class="facts">
      <div>
        <dt>Id</dt>
        <dd>
          <code>{site.id}</code>
        </dd>
      </div>
      <div>
        <dt>Time zone</dt>
        <dd>{site.timeZone}</dd>
      </div>
      <div>
        <dt>Grid limit</dt>
        <dd>{limitText(site)}</dd>
      </div>
      <div>
        <dt>Least charging current</dt>
        <dd>{site.minCurrentAmps} A</dd>
      </div>
      <div>
        <dt>Tariff</dt>
        <dd>{site.tariffId === null ? 'none' : tariff ? tariffName(tariff) : site.tariffId}</dd>
      </div>
    </dl>
  );
}

interface SiteStationsProps {
  site: Site;
  stations: Resource<Station[]>;
  onChanged: () => void;
  onMessage: (message: Message) => void;
}

/** The site's stations, and adding or removing one (PATCH /api/v1/stations/{id} {siteId}). */
function SiteStations({ site, stations, onChanged, onMessage }: SiteStationsProps) {
  const [chosen, setChosen] = useState('');
  const { busy, attempt } = useSubmit(onMessage);
  const all = stations.data ?? [];
  const members = all.filter((station) => station.siteId === site.id);
  const others = all.filter((station) => station.siteId !== site.id).sort((a, b) => a.id.localeCompare(b.id));

  const move = async (stationId: string, siteId: string | null) => {
    await attempt(`Station ${stationId} could not be moved`, async () => {
      const saved = await api<Station>('PATCH', `/api/v1/stations/${encodeURIComponent(stationId)}`, { siteId });
      stations.update((list) => list.map((station) => (station.id === stationId ? { ...station, siteId: saved.siteId } : station)));
      onChanged();
      setChosen('');
      onMessage({ tone: 'ok', text: siteId ? `Station ${stationId} added to ${site.name}.` : `Station ${stationId} removed from ${site.name}.` });
    });
  };

  if (stations.loading) return <Loading what="Loading stations" />;
  if (stations.error !== undefined && !stations.data) return <ErrorNotice error={stations.error} retry={stations.reload} />;
  return (
    <>
      {members.length === 0 ? (
        <Empty title="No station belongs to this site yet.">Add one below; its sessions then share the site's grid limit.</Empty>
      ) : (
        <ul class="inline-list" aria-label={`Stations of ${site.name}`}>
          {members.map((station) => (
            <li key={station.id} data-site-station={station.id}>
              <Link href={stationHref(station.id)}>{station.id}</Link> <OnlineBadge online={station.online} />{' '}
              <button type="button" class="secondary" disabled={busy} onClick={() => move(station.id, null)} aria-label={`Remove ${station.id} from the site`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 ? (
        <form
          class="form-row"
          aria-label="Add a station to the site"
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen) void move(chosen, site.id);
          }}
        >
          <label>
            Station to add
            <select value={chosen} onChange={(event) => setChosen(event.currentTarget.value)} required>
              <option value="">Choose a station</option>
              {others.map((station) => (
                <option key={station.id} value={station.id}>
                  {station.siteId ? `${station.id} (now at ${station.siteId})` : station.id}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy || !chosen}>
            Add to site
          </button>
        </form>
      ) : (
        <p class="muted">{all.length === 0 ? 'No station is registered yet: stations appear here once they are added or connect.' : 'Every station already belongs to this site.'}</p>
      )}
    </>
  );
}

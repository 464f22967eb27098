// A site's limit against its live draw (load management, GET /api/v1/sites/{id}/load), asked
// for every few seconds while the page is open: the figures, each session's allocation, the
// sub-circuits, and a chart of the draw under the limit: the recorded decisions (.../load/history,
// kept only when the allocation changes) followed by what each poll reads while the page is open.
// Amps are per phase, as the backend plans them.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, query } from '../../api/client';
import { useFeatures } from '../../api/features';
import type { LoadSnapshot, Site, SiteLoad } from '../../api/types';
import { LineChart, type Point } from '../../components/line-chart';
import { Link, sessionHref, stationHref } from '../../components/link';
import { Empty, ErrorNotice, Loading, Unavailable } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';

const POLL_MS = 5000;
/** How far back the chart looks. */
const HISTORY_MS = 60 * 60_000;
/** Live readings kept: an hour at one per poll. */
const KEPT = HISTORY_MS / POLL_MS;
const amps = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
export const formatAmps = (value: number | null | undefined) => (typeof value === 'number' && Number.isFinite(value) ? `${amps.format(value)} A` : '—');

export function LoadPanel({ site }: { site: Site }) {
  if (!useFeatures().has('/api/v1/sites/{id}/load')) return <Unavailable capability="Limit against live draw" comesWith="load management" />;
  if (site.gridLimitAmps === null) return <Empty title="This site has no grid limit.">Give it one (Change, above) and its sessions share it; their allocations show here.</Empty>;
  return <LiveLoad site={site} />;
}

/** The recorded decisions as total draw (building plus sessions), then the live readings since the last of them. */
export function drawPoints(history: LoadSnapshot[], live: Point[]): Point[] {
  const recorded = history.filter((snapshot) => snapshot.drawAmps !== null).map((snapshot) => ({ atMs: Date.parse(snapshot.at), value: snapshot.drawAmps! + snapshot.buildingAmps }));
  const lastRecorded = recorded.at(-1)?.atMs ?? -Infinity;
  return [...recorded, ...live.filter((point) => point.atMs > lastRecorded)];
}

function LiveLoad({ site }: { site: Site }) {
  return (
    <div class="load" data-testid="site-load">
      <LoadFigures site={site} />
    </div>
  );
}

function LoadFigures({ site }: { site: Site }) {
  const base = `/api/v1/sites/${encodeURIComponent(site.id)}/load`;
  const load = useResource(() => get<SiteLoad>(base), [site.id]);
  const history = useResource(() => get<LoadSnapshot[]>(`${base}/history${query({ from: new Date(Date.now() - HISTORY_MS).toISOString() })}`), [site.id]);
  useEffect(() => {
    const timer = window.setInterval(() => {
      load.reload();
      history.reload();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [load.reload, history.reload]);
  const [live, setLive] = useState<Point[]>([]);
  useEffect(() => {
    const draw = load.data?.source === 'live' ? load.data.totalDrawAmps : null;
    if (typeof draw === 'number') setLive((previous) => [...previous, { atMs: Date.now(), value: draw }].slice(-KEPT));
  }, [load.data]);

  if (load.loading) return <Loading what="Loading the site's load" />;
  if (!load.data) {
    // 404: the site has a limit but no decision was taken for it yet.
    if (load.error instanceof ApiError && load.error.status === 404) return <Empty title="No allocation yet.">{load.error.detail}. It appears once the site's stations connect.</Empty>;
    return <ErrorNotice error={load.error} retry={load.reload} title="The site's load could not be loaded" />;
  }
  const data = load.data;
  const headroom = data.limitAmps - data.buildingAmps - data.worstCaseAmps - data.allocatedAmps;

  return (
    <>
      {load.error !== undefined && <ErrorNotice error={load.error} retry={load.reload} title="The latest figures did not arrive; showing the last ones" />}
      <p class="muted">
        {data.source === 'live' ? 'Live' : 'As last recorded'} at {formatDateTime(data.at)}; amps per phase.
      </p>
      <dl class="tiles">
        <LoadTile label="Limit per phase" value={formatAmps(data.limitAmps)} />
        <LoadTile label="Building load" value={formatAmps(data.buildingAmps)} />
        <LoadTile label="Allocated to sessions" value={formatAmps(data.allocatedAmps)} />
        <LoadTile label="Charging draw" value={formatAmps(data.sessionsDrawAmps)} />
        <LoadTile label="Held for stations out of reach" value={formatAmps(data.worstCaseAmps)} />
        <LoadTile label="Headroom" value={formatAmps(headroom)} tone={headroom < 0 ? 'bad' : undefined} />
      </dl>
      {data.limitAmps > 0 && <LoadBar limit={data.limitAmps} building={data.buildingAmps} allocated={data.allocatedAmps + data.worstCaseAmps} />}
      {history.error !== undefined && !history.data && <ErrorNotice error={history.error} retry={history.reload} title="The load history could not be loaded" />}
      <LineChart id={`load-${site.id}`} title="Draw (building and charging), last hour" points={drawPoints(history.data ?? [], live)} format={formatAmps} reference={{ value: data.limitAmps, label: 'limit' }} />
      <SessionsTable load={data} />
      {data.worstCase.length > 0 && (
        <>
          <h3>Counted at their worst case</h3>
          <ul class="plain-list">
            {data.worstCase.map((entry) => (
              <li key={entry.stationId}>
                <Link href={stationHref(entry.stationId)}>{entry.stationId}</Link>: {formatAmps(entry.amps)} ({entry.reason === 'offline' ? 'offline' : entry.reason === 'rejects_profiles' ? 'refuses charging profiles' : entry.reason})
              </li>
            ))}
          </ul>
        </>
      )}
      {data.circuits.length > 0 && <CircuitsTable load={data} />}
    </>
  );
}

function SessionsTable({ load }: { load: SiteLoad }) {
  if (load.sessions.length === 0) return <p class="muted">No session is charging at this site.</p>;
  return (
    <table class="table responsive">
      <caption class="table-caption">Sessions sharing the limit</caption>
      <thead>
        <tr>
          <th scope="col">Session</th>
          <th scope="col">Station</th>
          <th scope="col" class="number">
            Allocated
          </th>
          <th scope="col" class="number">
            Drawing
          </th>
          <th scope="col">Note</th>
        </tr>
      </thead>
      <tbody>
        {load.sessions.map((session) => (
          <tr key={session.transactionId} data-load-session={session.transactionId}>
            <td data-label="Session">
              <Link href={sessionHref(session.transactionId)}>#{session.transactionId}</Link>
            </td>
            <td data-label="Station">
              <Link href={stationHref(session.stationId)}>{session.stationId}</Link>, connector {session.connectorId}
            </td>
            <td data-label="Allocated" class="number">
              {formatAmps(session.limitAmps)}
            </td>
            <td data-label="Drawing" class="number">
              {formatAmps(session.drawAmps)}
            </td>
            <td data-label="Note">{sessionNote(session)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function sessionNote(session: SiteLoad['sessions'][number]): string {
  if (session.waiting) return 'waiting: the minimum current does not fit';
  const notes: string[] = [];
  if (session.capAmps !== null) notes.push(`capped at ${formatAmps(session.capAmps)}: the EV draws less`);
  if (Math.abs(session.targetAmps - session.limitAmps) >= 0.1) notes.push(`moving to ${formatAmps(session.targetAmps)}`);
  if (session.priority !== 0) notes.push(`priority ${session.priority}`);
  return notes.join('; ') || '—';
}

function CircuitsTable({ load }: { load: SiteLoad }) {
  return (
    <table class="table responsive">
      <caption class="table-caption">Sub-circuits</caption>
      <thead>
        <tr>
          <th scope="col">Circuit</th>
          <th scope="col" class="number">
            Limit
          </th>
          <th scope="col" class="number">
            Allocated
          </th>
        </tr>
      </thead>
      <tbody>
        {load.circuits.map((circuit) => (
          <tr key={circuit.id}>
            <th scope="row" data-label="Circuit">
              {circuit.name}
            </th>
            <td data-label="Limit" class="number">
              {formatAmps(circuit.limitAmps)}
            </td>
            <td data-label="Allocated" class="number">
              {formatAmps(circuit.allocatedAmps)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LoadTile({ label, value, tone }: { label: string; value: string; tone?: 'bad' }) {
  return (
    <div class={`tile ${tone ? `tile-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd>
        <span class="tile-value">{value}</span>
      </dd>
    </div>
  );
}

/** Building load and what is given out (sessions and worst cases) stacked against the limit, with the numbers in words. */
function LoadBar({ limit, building, allocated }: { limit: number; building: number; allocated: number }) {
  const share = (value: number) => Math.max(0, Math.min(100, (value / limit) * 100));
  return (
    <svg class="load-bar" viewBox="0 0 100 4" preserveAspectRatio="none" role="img" aria-label={`Of the ${formatAmps(limit)} limit, the building uses ${formatAmps(building)} and charging is given ${formatAmps(allocated)}`}>
      <rect class="load-bar-limit" x="0" y="0" width="100" height="4" />
      <rect class="load-bar-building" x="0" y="0" width={share(building)} height="4" />
      <rect class="load-bar-draw" x={share(building)} y="0" width={Math.min(share(allocated), 100 - share(building))} height="4" />
    </svg>
  );
}

// A site's limit against its live draw (load management): asked for every few seconds while the
// page is open, drawn as a small chart of the draw under the limit, with each session's share.
// The answer is read defensively: a missing figure shows as "—", never as a made-up 0.

import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api/client';
import { useFeatures } from '../../api/features';
import type { Site, SiteLoad } from '../../api/types';
import { LineChart, type Point } from '../../components/line-chart';
import { Link, sessionHref, stationHref } from '../../components/link';
import { ErrorNotice, Loading, Unavailable } from '../../components/states';
import { useResource } from '../../lib/use-resource';

const POLL_MS = 5000;
/** Ten minutes of samples at one per poll. */
const KEPT = 120;
const amps = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const formatAmps = (value: number | null | undefined) => (typeof value === 'number' && Number.isFinite(value) ? `${amps.format(value)} A` : '—');
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function LoadPanel({ site }: { site: Site }) {
  if (!useFeatures().has('/api/v1/sites/{id}/load')) return <Unavailable capability="Limit against live draw" comesWith="load management" />;
  return <LiveLoad site={site} />;
}

function LiveLoad({ site }: { site: Site }) {
  const load = useResource(() => get<SiteLoad>(`/api/v1/sites/${encodeURIComponent(site.id)}/load`), [site.id]);
  const [samples, setSamples] = useState<Point[]>([]);
  useEffect(() => {
    const timer = window.setInterval(load.reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [load.reload]);
  useEffect(() => {
    const draw = num(load.data?.totalDrawAmps);
    if (draw !== undefined) setSamples((previous) => [...previous, { atMs: Date.now(), value: draw }].slice(-KEPT));
  }, [load.data]);

  if (load.loading) return <Loading what="Loading the site's load" />;
  if (!load.data) return <ErrorNotice error={load.error} retry={load.reload} title="The site's load could not be loaded" />;
  const data = load.data;
  const limit = num(data.limitAmps) ?? site.gridLimitAmps ?? undefined;
  const building = num(data.buildingLoadAmps);
  const draw = num(data.totalDrawAmps);
  const headroom = limit !== undefined ? limit - (building ?? 0) - (draw ?? 0) : undefined;
  const sessions = Array.isArray(data.sessions) ? data.sessions : [];

  return (
    <div class="load" data-testid="site-load">
      {load.error !== undefined && <ErrorNotice error={load.error} retry={load.reload} title="The latest figures did not arrive; showing the last ones" />}
      <dl class="tiles">
        <LoadTile label="Limit per phase" value={limit !== undefined ? formatAmps(limit) : 'none'} />
        <LoadTile label="Building load" value={formatAmps(building)} />
        <LoadTile label="Charging draw" value={formatAmps(draw)} />
        <LoadTile label="Headroom" value={formatAmps(headroom)} tone={headroom !== undefined && headroom < 0 ? 'bad' : undefined} />
      </dl>
      {limit !== undefined && limit > 0 && <LoadBar limit={limit} building={building ?? 0} draw={draw ?? 0} />}
      <LineChart id={`load-${site.id}`} title="Charging draw" points={samples} format={(value) => formatAmps(value)} reference={limit !== undefined ? { value: limit, label: 'limit' } : undefined} />
      {sessions.length === 0 ? (
        <p class="muted">No session is charging at this site.</p>
      ) : (
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
            </tr>
          </thead>
          <tbody>
            {sessions.map((session, index) => (
              <tr key={session.transactionId ?? index}>
                <td data-label="Session">{typeof session.transactionId === 'number' ? <Link href={sessionHref(session.transactionId)}>#{session.transactionId}</Link> : '—'}</td>
                <td data-label="Station">
                  {session.stationId ? <Link href={stationHref(session.stationId)}>{session.stationId}</Link> : '—'}
                  {typeof session.connectorId === 'number' && `, connector ${session.connectorId}`}
                </td>
                <td data-label="Allocated" class="number">
                  {formatAmps(session.allocatedAmps)}
                </td>
                <td data-label="Drawing" class="number">
                  {formatAmps(session.drawAmps)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
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

/** Building load and charging draw stacked against the limit, with the numbers in words. */
function LoadBar({ limit, building, draw }: { limit: number; building: number; draw: number }) {
  const share = (value: number) => Math.max(0, Math.min(100, (value / limit) * 100));
  return (
    <svg class="load-bar" viewBox="0 0 100 4" preserveAspectRatio="none" role="img" aria-label={`Of the ${formatAmps(limit)} limit, the building uses ${formatAmps(building)} and charging ${formatAmps(draw)}`}>
      <rect class="load-bar-limit" x="0" y="0" width="100" height="4" />
      <rect class="load-bar-building" x="0" y="0" width={share(building)} height="4" />
      <rect class="load-bar-draw" x={share(building)} y="0" width={Math.min(share(draw), 100 - share(building))} height="4" />
    </svg>
  );
}

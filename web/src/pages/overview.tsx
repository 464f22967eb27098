// The first page: how the fleet is doing right now and today, updated live.

import type { ComponentChildren } from 'preact';
import { get, query } from '../api/client';
import { useFeatures } from '../api/features';
import type { Overview, Session } from '../api/types';
import { Link, sessionHref, stationHref } from '../components/link';
import { PageHeader } from '../components/page-header';
import { Empty, ErrorNotice, Loading, Unavailable } from '../components/states';
import { useLiveEvents } from '../live/feed';
import { formatAgo, formatEnergy, formatMoney, formatPower, startOfToday } from '../lib/format';
import { useNow, useResource, useThrottled } from '../lib/use-resource';

export const ocppEndpoint = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ocpp/<station id>`;

function Tile({ label, value, detail, tone }: { label: string; value: string; detail?: ComponentChildren; tone?: string }) {
  return (
    <div class={`tile ${tone ? `tile-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd>
        <span class="tile-value">{value}</span>
        {detail && <span class="tile-detail">{detail}</span>}
      </dd>
    </div>
  );
}

export function OverviewPage() {
  const overview = useResource(() => get<Overview>(`/api/v1/overview${query({ since: startOfToday().toISOString() })}`), []);
  // Figures of the whole fleet: re-read at most every 2 s however busy the fleet is.
  const reload = useThrottled(overview.reload, 2000);
  useLiveEvents((event) => event.name !== 'message.logged' && reload());
  const now = useNow();

  return (
    <>
      <PageHeader title="Overview" />
      {overview.loading && <Loading what="Loading the overview" />}
      {overview.error !== undefined && <ErrorNotice error={overview.error} retry={overview.reload} />}
      {overview.data && <OverviewBody data={overview.data} now={now} />}
    </>
  );
}

function OverviewBody({ data, now }: { data: Overview; now: number }) {
  const { stations } = data;
  return (
    <>
      <section aria-labelledby="now-heading">
        <h2 id="now-heading">Now</h2>
        <dl class="tiles">
          <Tile label="Stations online" value={`${stations.online} of ${stations.total}`} detail={`${stations.offline} offline`} tone={stations.offline > 0 ? 'warn' : undefined} />
          <Tile label="Faulted" value={String(stations.faulted)} detail="stations with a faulted connector" tone={stations.faulted > 0 ? 'bad' : undefined} />
          <Tile
            label="Waiting for approval"
            value={String(stations.pending)}
            detail={stations.pending > 0 ? <Link href="/stations?registration=pending">Review pending stations</Link> : 'none'}
            tone={stations.pending > 0 ? 'warn' : undefined}
          />
          <Tile label="Charging now" value={String(data.charging.length)} detail={data.chargingPartial ? 'only the newest 1000 are counted' : 'sessions'} />
          <Tile label="Power now" value={formatPower(data.powerW)} detail="sum of the latest readings" />
        </dl>
      </section>
      <section aria-labelledby="today-heading">
        <h2 id="today-heading">Today</h2>
        <dl class="tiles">
          <Tile label="Sessions started" value={String(data.sessionsSince)} />
          <Tile label="Energy" value={formatEnergy(data.energySinceWh)} detail="of the sessions started today" />
          <RevenueToday since={data.since} />
        </dl>
      </section>
      {stations.total === 0 ? (
        <Empty title="No stations yet.">
          Point a charger at <code>{ocppEndpoint()}</code>. Unknown stations wait for your approval on the Stations page.
        </Empty>
      ) : (
        <>
          <ConnectorSummary counts={data.connectors} />
          <ChargingNow sessions={data.charging} now={now} />
        </>
      )}
    </>
  );
}

function ConnectorSummary({ counts }: { counts: Record<string, number> }) {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby="connectors-heading">
      <h2 id="connectors-heading">Connectors by status</h2>
      {entries.length === 0 ? (
        <p class="muted">No connector has reported a status yet.</p>
      ) : (
        <ul class="inline-list">
          {entries.map(([status, count]) => (
            <li key={status}>
              <Link href={`/stations${query({ status })}`}>
                {status}: <strong>{count}</strong>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ChargingNow({ sessions, now }: { sessions: Overview['charging']; now: number }) {
  return (
    <section aria-labelledby="charging-heading">
      <h2 id="charging-heading">Charging now</h2>
      {sessions.length === 0 ? (
        <p class="muted">No session is running.</p>
      ) : (
        <table class="table responsive">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Station</th>
              <th scope="col">Connector</th>
              <th scope="col">Id tag</th>
              <th scope="col">Power</th>
              <th scope="col">Energy so far</th>
              <th scope="col">Last reading</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.sessionId}>
                <td data-label="Session">
                  <Link href={sessionHref(session.sessionId)}>#{session.sessionId}</Link>
                </td>
                <td data-label="Station">
                  <Link href={stationHref(session.stationId)}>{session.stationId}</Link>
                </td>
                <td data-label="Connector">{session.connectorId}</td>
                <td data-label="Id tag">{session.idTag}</td>
                <td data-label="Power">{formatPower(session.powerW)}</td>
                <td data-label="Energy so far">{formatEnergy(session.energyWh)}</td>
                <td data-label="Last reading">{session.readingAt ? formatAgo(session.readingAt, now) : 'none yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Revenue of the sessions started today, from billing's ratings; said plainly when billing is not part of this backend. */
function RevenueToday({ since }: { since: string }) {
  const features = useFeatures();
  // Sessions carry `cost` before there are tariffs to rate them with: revenue needs both.
  const rated = features.has('/api/v1/tariffs') && features.answers('/api/v1/sessions', 'cost');
  const revenue = useResource(async () => (rated ? sumCosts(since) : undefined), [rated, since]);
  if (!rated) return <Tile label="Revenue" value="—" detail={<Unavailable capability="Revenue" comesWith="billing" compact />} />;
  if (revenue.error !== undefined) return <Tile label="Revenue" value="—" detail="could not be loaded" tone="bad" />;
  const totals = revenue.data ? Object.entries(revenue.data) : [];
  const value = revenue.loading ? '…' : totals.length === 0 ? '0' : totals.map(([currency, total]) => formatMoney(total, currency)).join(' + ');
  return <Tile label="Revenue" value={value} detail={totals.length === 0 && !revenue.loading ? 'no rated session today' : 'incl. tax, sessions started today'} />;
}

async function sumCosts(since: string): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  const pageSize = 1000;
  for (let offset = 0; ; offset += pageSize) {
    const page = await get<Session[]>(`/api/v1/sessions${query({ from: since, limit: pageSize, offset })}`);
    for (const session of page) if (session.cost) totals[session.cost.currency] = (totals[session.cost.currency] ?? 0) + session.cost.total;
    if (page.length < pageSize) return totals;
  }
}

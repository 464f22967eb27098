// One session: who charged where and when, the metered energy, power and energy over time (live
// while it runs), and what it cost.

import { get } from '../api/client';
import type { MeterValue, Session } from '../api/types';
import { CostBreakdown } from '../components/cost-breakdown';
import { LineChart } from '../components/line-chart';
import { Link, stationHref } from '../components/link';
import { PageHeader } from '../components/page-header';
import { ErrorNotice, Loading } from '../components/states';
import { useLiveEvents } from '../live/feed';
import { formatDateTime, formatDuration, formatEnergy, formatPower } from '../lib/format';
import { sessionSeries } from '../lib/session-series';
import { useResource, useThrottled } from '../lib/use-resource';

export function SessionDetailPage({ id }: { id: string }) {
  const session = useResource(() => get<Session>(`/api/v1/sessions/${encodeURIComponent(id)}`), [id]);
  const values = useResource(() => get<MeterValue[]>(`/api/v1/sessions/${encodeURIComponent(id)}/meter-values`), [id]);
  const reloadValues = useThrottled(values.reload, 2000);
  useLiveEvents((event) => {
    if (event.name === 'resync') {
      session.reload();
      values.reload();
    } else if (event.name === 'meter.values' && String(event.data.transactionId) === id) reloadValues();
    else if (event.name === 'transaction.stopped' && String(event.data.transactionId) === id) {
      session.reload();
      values.reload();
    }
  });

  if (session.loading) return <Loading what={`Loading session ${id}`} />;
  if (!session.data) return <ErrorNotice error={session.error} retry={session.reload} title={`Session ${id} could not be loaded`} />;
  const data = session.data;
  const series = values.data ? sessionSeries(values.data, data.meterStartWh, data.startedAt) : undefined;
  const energyNow = data.energyWh ?? series?.energy.at(-1)?.value ?? null;

  return (
    <>
      <PageHeader title={`Session #${data.id}`}>
        <span class={`badge badge-${data.active ? 'active' : 'muted'}`}>{data.active ? 'Running' : 'Finished'}</span>
      </PageHeader>
      <dl class="facts">
        <div>
          <dt>Station</dt>
          <dd>
            <Link href={stationHref(data.stationId)}>{data.stationId}</Link>, connector {data.connectorId}
          </dd>
        </div>
        <div>
          <dt>Id tag</dt>
          <dd>{data.idTag}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(data.startedAt)}</dd>
        </div>
        <div>
          <dt>Stopped</dt>
          <dd>{data.stoppedAt ? `${formatDateTime(data.stoppedAt)} (${data.stopReason ?? 'no reason given'})` : 'still running'}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration((data.stoppedAt ? Date.parse(data.stoppedAt) : Date.now()) - Date.parse(data.startedAt))}</dd>
        </div>
        <div>
          <dt>{data.active ? 'Energy so far' : 'Energy'}</dt>
          <dd data-testid="session-energy">{formatEnergy(energyNow)}</dd>
        </div>
        <div>
          <dt>Meter start / stop</dt>
          <dd>
            {formatEnergy(data.meterStartWh)} / {formatEnergy(data.meterStopWh)}
          </dd>
        </div>
        {data.flags.length > 0 && (
          <div>
            <dt>Flags</dt>
            <dd>{data.flags.join(', ')}</dd>
          </div>
        )}
      </dl>
      <section aria-labelledby="cost-heading">
        <h2 id="cost-heading">Cost</h2>
        <CostBreakdown session={data} />
      </section>
      <section aria-labelledby="charts-heading">
        <h2 id="charts-heading">Power and energy over time</h2>
        {values.loading && <Loading what="Loading meter values" />}
        {values.error !== undefined && <ErrorNotice error={values.error} retry={values.reload} />}
        {series && (
          <div class="charts">
            <LineChart id="power-chart" title="Power" points={series.power} format={formatPower} />
            <LineChart id="energy-chart" title="Energy" points={series.energy} format={formatEnergy} />
          </div>
        )}
      </section>
    </>
  );
}

// All charging sessions, newest first, with filters (kept in the URL), paging, live updates and
// the CSV export for accounting.

import { get, query } from '../api/client';
import { useFeatures } from '../api/features';
import type { Session } from '../api/types';
import { PageHeader } from '../components/page-header';
import { SessionTable } from '../components/session-table';
import { Empty, ErrorNotice, Loading, Unavailable } from '../components/states';
import { useLiveEvents } from '../live/feed';
import { dateInputToIso } from '../lib/format';
import { useResource, useThrottled } from '../lib/use-resource';
import { setSearch, useLocation } from '../router';

const PAGE = 50;
const FILTERS = ['stationId', 'idTag', 'state', 'from', 'to'] as const;

export function SessionsPage() {
  const { search } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, search.get(name) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const from = dateInputToIso(filters.from);
  const to = dateInputToIso(filters.to, true);
  const request = `/api/v1/sessions${query({
    stationId: filters.stationId.trim(),
    idTag: filters.idTag.trim(),
    active: filters.state === 'active' ? true : filters.state === 'finished' ? false : undefined,
    from,
    to,
    limit: PAGE,
    offset,
  })}`;
  const sessions = useResource(() => get<Session[]>(request), [request]);
  const reload = useThrottled(sessions.reload, 1000);
  useLiveEvents((event) => {
    if (event.name === 'resync' || event.name === 'transaction.started' || event.name === 'transaction.stopped') reload();
  });
  const filtered = FILTERS.some((name) => filters[name]);

  return (
    <>
      <PageHeader title="Sessions">
        <CsvExport from={from} to={to} />
      </PageHeader>
      <form class="filters" role="search" aria-label="Filter sessions" onSubmit={(event) => event.preventDefault()}>
        <label>
          Station
          <input type="search" value={filters.stationId} onChange={(event) => setSearch({ stationId: event.currentTarget.value, offset: undefined })} />
        </label>
        <label>
          Id tag
          <input type="search" value={filters.idTag} onChange={(event) => setSearch({ idTag: event.currentTarget.value, offset: undefined })} />
        </label>
        <label>
          State
          <select value={filters.state} onChange={(event) => setSearch({ state: event.currentTarget.value, offset: undefined })}>
            <option value="">Running and finished</option>
            <option value="active">Running</option>
            <option value="finished">Finished</option>
          </select>
        </label>
        <label>
          Started from
          <input type="date" value={filters.from} onChange={(event) => setSearch({ from: event.currentTarget.value, offset: undefined })} />
        </label>
        <label>
          Started until
          <input type="date" value={filters.to} onChange={(event) => setSearch({ to: event.currentTarget.value, offset: undefined })} />
        </label>
        {filtered && (
          <button type="button" class="secondary" onClick={() => setSearch({ stationId: undefined, idTag: undefined, state: undefined, from: undefined, to: undefined, offset: undefined })}>
            Clear filters
          </button>
        )}
      </form>
      {sessions.loading && <Loading what="Loading sessions" />}
      {sessions.error !== undefined && <ErrorNotice error={sessions.error} retry={sessions.reload} />}
      {sessions.data && sessions.data.length === 0 && (
        <Empty title={filtered || offset > 0 ? 'No session matches these filters.' : 'No charging session yet.'}>
          {!filtered && offset === 0 && 'Sessions appear here as soon as a station starts one.'}
        </Empty>
      )}
      {sessions.data && sessions.data.length > 0 && (
        <>
          <SessionTable sessions={sessions.data} caption={`Sessions ${offset + 1}–${offset + sessions.data.length}, newest first`} />
          <nav class="pager" aria-label="Pages of sessions">
            <button type="button" class="secondary" disabled={offset === 0} onClick={() => setSearch({ offset: offset - PAGE > 0 ? String(offset - PAGE) : undefined })}>
              Newer
            </button>
            <button type="button" class="secondary" disabled={sessions.data.length < PAGE} onClick={() => setSearch({ offset: String(offset + PAGE) })}>
              Older
            </button>
          </nav>
        </>
      )}
    </>
  );
}

/** The accounting export (one row per session); part of the backend once exports land with billing. */
function CsvExport({ from, to }: { from: string | undefined; to: string | undefined }) {
  const features = useFeatures();
  if (!features.has('/api/v1/exports/sessions.csv')) {
    return (
      <details class="unavailable-action">
        <summary>Download CSV</summary>
        <Unavailable capability="Sessions CSV export" comesWith="the exports of the billing work" />
      </details>
    );
  }
  return (
    <a class="button" href={`/api/v1/exports/sessions.csv${query({ from, to })}`} download>
      Download CSV
    </a>
  );
}

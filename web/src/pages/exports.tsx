// Reports and exports: the sessions for accounting (CSV, by date), and all data in one archive
// that another installation can import. Each part appears as the backend gains it.

import { useState } from 'preact/hooks';
import { query } from '../api/client';
import { useFeatures } from '../api/features';
import { PageHeader } from '../components/page-header';
import { Unavailable } from '../components/states';
import { dateInputToIso } from '../lib/format';

export function ExportsPage() {
  const features = useFeatures();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const wrongOrder = from !== '' && to !== '' && to < from;
  return (
    <>
      <PageHeader title="Reports and exports" />
      <section aria-labelledby="sessions-csv-heading">
        <h2 id="sessions-csv-heading">Sessions (CSV)</h2>
        {features.has('/api/v1/exports/sessions.csv') ? (
          <form class="form-row" aria-label="Sessions CSV" onSubmit={(event) => event.preventDefault()}>
            <label>
              Started from
              <input type="date" value={from} max={to || undefined} onInput={(event) => setFrom(event.currentTarget.value)} />
            </label>
            <label>
              Started until
              <input type="date" value={to} min={from || undefined} onInput={(event) => setTo(event.currentTarget.value)} />
            </label>
            {wrongOrder ? (
              <p class="outcome outcome-error" role="alert">
                The end date is before the start date.
              </p>
            ) : (
              <a class="button" href={`/api/v1/exports/sessions.csv${query({ from: dateInputToIso(from), to: dateInputToIso(to, true) })}`} download>
                Download sessions CSV
              </a>
            )}
            <p class="muted">One row per session, a header row first. Leave the dates empty for every session.</p>
          </form>
        ) : (
          <Unavailable capability="Sessions CSV export" comesWith="the exports of the billing work" />
        )}
      </section>
      <section aria-labelledby="full-export-heading">
        <h2 id="full-export-heading">All data</h2>
        {features.has('/api/v1/exports/archive') ? (
          <>
            <p>
              Stations and their configuration, id tags, tariffs, sites and sessions in one archive: a backup, or a move to another installation (which imports it
              when it is new and empty).
            </p>
            <a class="button" href="/api/v1/exports/archive" download>
              Download all data
            </a>
          </>
        ) : (
          <Unavailable capability="Full data export (stations, configurations, drivers, tokens, tariffs, sessions)" comesWith="the full export" />
        )}
      </section>
    </>
  );
}

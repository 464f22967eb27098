// Reports and exports: what an operator hands to accounting, and the full export that lets them
// take all their data elsewhere. Each part appears as the backend gains it.

import { useState } from 'preact/hooks';
import { query } from '../../api/client';
import { useFeatures } from '../../api/features';
import { PageHeader } from '../../components/page-header';
import { Unavailable } from '../../components/states';
import { dateInputToIso } from '../../lib/format';

export function ExportsPage() {
  const features = useFeatures();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  return (
    <>
      <PageHeader title="Reports and exports" />
      <section aria-labelledby="sessions-csv-heading">
        <h2 id="sessions-csv-heading">Sessions (CSV)</h2>
        {features.has('/api/v1/exports/sessions.csv') ? (
          <form class="form-row" onSubmit={(event) => event.preventDefault()}>
            <label>
              From
              <input type="date" value={from} onInput={(event) => setFrom(event.currentTarget.value)} />
            </label>
            <label>
              Until
              <input type="date" value={to} onInput={(event) => setTo(event.currentTarget.value)} />
            </label>
            <a class="button" href={`/api/v1/exports/sessions.csv${query({ from: dateInputToIso(from), to: dateInputToIso(to, true) })}`} download>
              Download sessions CSV
            </a>
          </form>
        ) : (
          <Unavailable capability="Sessions CSV export" comesWith="the exports of the billing work" />
        )}
      </section>
      <section aria-labelledby="full-export-heading">
        <h2 id="full-export-heading">All data</h2>
        <Unavailable capability="Full data export (stations, configurations, drivers, tokens, tariffs, sessions)" comesWith="the exports of the billing work" />
      </section>
    </>
  );
}

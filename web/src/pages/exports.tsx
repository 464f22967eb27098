// Reports and exports: energy and revenue by station, site, token group, day or month (shown
// here and as CSV), the sessions for accounting (CSV, by date), and all data in one archive that
// another installation can import (administrators only). Each part appears as the backend gains it.

import { useState } from 'preact/hooks';
import { get, query } from '../api/client';
import { useFeatures } from '../api/features';
import type { ReportGroup, ReportRow } from '../api/types';
import { PageHeader } from '../components/page-header';
import { Empty, ErrorNotice, Loading, Unavailable } from '../components/states';
import { dateInputToIso, formatMoney } from '../lib/format';
import { useResource } from '../lib/use-resource';

const GROUPS: Array<[ReportGroup, string]> = [
  ['day', 'Day'],
  ['month', 'Month'],
  ['station', 'Station'],
  ['site', 'Site'],
  ['group', 'Token group'],
];
/** Roles that may download the full archive (the backend's minRole admin: admins and owners). */
const ARCHIVE_ROLES = new Set(['owner', 'admin']);
const kwh = new Intl.NumberFormat(undefined, { minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** The day after a yyyy-MM-dd date: the report's `to` is excluded, the form's "until" is not. */
export function dayAfter(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const next = new Date(Date.UTC(year!, month! - 1, day! + 1));
  return next.toISOString().slice(0, 10);
}

export function ExportsPage({ role }: { role: string }) {
  const features = useFeatures();
  return (
    <>
      <PageHeader title="Reports and exports" />
      <section aria-labelledby="energy-revenue-heading">
        <h2 id="energy-revenue-heading">Energy and revenue</h2>
        {features.has('/api/v1/reports/energy-revenue') ? <EnergyRevenue /> : <Unavailable capability="Energy and revenue report" comesWith="reports" />}
      </section>
      <section aria-labelledby="sessions-csv-heading">
        <h2 id="sessions-csv-heading">Sessions (CSV)</h2>
        {features.has('/api/v1/exports/sessions.csv') ? <SessionsCsv /> : <Unavailable capability="Sessions CSV export" comesWith="the exports of the billing work" />}
      </section>
      <section aria-labelledby="full-export-heading">
        <h2 id="full-export-heading">All data</h2>
        {!features.has('/api/v1/exports/archive') ? (
          <Unavailable capability="Full data export (stations, configurations, drivers, tokens, tariffs, sessions)" comesWith="the full export" />
        ) : !ARCHIVE_ROLES.has(role) ? (
          <p class="muted">Only administrators may download all data.</p>
        ) : (
          <>
            <p>
              Stations and their configuration, id tags, tariffs, sites, sessions and invoices in one archive (.tar.gz): a backup, or a move to another installation
              (which imports it when it is new and empty).
            </p>
            <a class="button" href="/api/v1/exports/archive" download>
              Download all data
            </a>
          </>
        )}
      </section>
    </>
  );
}

function EnergyRevenue() {
  const [groupBy, setGroupBy] = useState<ReportGroup>('day');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const wrongOrder = from !== '' && until !== '' && until < from;
  const search = query({ groupBy, from, to: until ? dayAfter(until) : undefined });
  const report = useResource(() => (wrongOrder ? Promise.resolve([]) : get<ReportRow[]>(`/api/v1/reports/energy-revenue${search}`)), [search, wrongOrder]);
  const rows = report.data ?? [];

  return (
    <>
      <form class="form-row" aria-label="Energy and revenue report" onSubmit={(event) => event.preventDefault()}>
        <label>
          Group by
          <select value={groupBy} onChange={(event) => setGroupBy(event.currentTarget.value as ReportGroup)}>
            {GROUPS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stopped from
          <input type="date" value={from} max={until || undefined} onInput={(event) => setFrom(event.currentTarget.value)} />
        </label>
        <label>
          Stopped until
          <input type="date" value={until} min={from || undefined} onInput={(event) => setUntil(event.currentTarget.value)} />
        </label>
        {!wrongOrder && (
          <a class="button secondary" href={`/api/v1/reports/energy-revenue.csv${search}`} download>
            Download report CSV
          </a>
        )}
      </form>
      <p class="muted">Finished sessions, by the day they stopped in their site's time zone. Leave the dates empty for all of them. Revenue is never added across currencies.</p>
      {wrongOrder && (
        <p class="outcome outcome-error" role="alert">
          The end date is before the start date.
        </p>
      )}
      {report.loading && <Loading what="Loading the report" />}
      {report.error !== undefined && <ErrorNotice error={report.error} retry={report.reload} title="The report could not be loaded" />}
      {!wrongOrder && report.data?.length === 0 && <Empty title="No finished sessions in this period.">Sessions count here once they have stopped.</Empty>}
      {rows.length > 0 && <ReportTable rows={rows} groupBy={groupBy} />}
    </>
  );
}

function ReportTable({ rows, groupBy }: { rows: ReportRow[]; groupBy: ReportGroup }) {
  const groupLabel = GROUPS.find(([value]) => value === groupBy)![1];
  const money = (amount: number | null, currency: string | null) => (amount === null || currency === null ? 'not rated' : formatMoney(amount, currency));
  const totals = new Map<string, { sessions: number; energyWh: number; revenue: number; exclTax: number }>();
  for (const row of rows) {
    const key = row.currency ?? '';
    const total = totals.get(key) ?? { sessions: 0, energyWh: 0, revenue: 0, exclTax: 0 };
    totals.set(key, {
      sessions: total.sessions + row.sessions,
      energyWh: total.energyWh + row.energyWh,
      revenue: total.revenue + (row.revenue ?? 0),
      exclTax: total.exclTax + (row.revenueExclTax ?? 0),
    });
  }
  return (
    <table class="table responsive" data-testid="energy-revenue">
      <caption class="table-caption">{`Energy and revenue by ${groupLabel.toLowerCase()}`}</caption>
      <thead>
        <tr>
          <th scope="col">{groupLabel}</th>
          <th scope="col" class="number">
            Sessions
          </th>
          <th scope="col" class="number">
            Energy
          </th>
          <th scope="col" class="number">
            Revenue
          </th>
          <th scope="col" class="number">
            Excl. tax
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.key}-${row.currency}`}>
            <th scope="row" data-label={groupLabel}>
              {row.label || row.key || '(no site)'}
            </th>
            <td data-label="Sessions" class="number">
              {row.sessions}
            </td>
            <td data-label="Energy" class="number">
              {kwh.format(row.energyKWh)} kWh
            </td>
            <td data-label="Revenue" class="number">
              {money(row.revenue, row.currency)}
            </td>
            <td data-label="Excl. tax" class="number">
              {money(row.revenueExclTax, row.currency)}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        {[...totals].map(([currency, total]) => (
          <tr key={currency}>
            <th scope="row" data-label="Total">
              Total{currency ? ` (${currency})` : ' (not rated)'}
            </th>
            <td data-label="Sessions" class="number">
              {total.sessions}
            </td>
            <td data-label="Energy" class="number">
              {kwh.format(total.energyWh / 1000)} kWh
            </td>
            <td data-label="Revenue" class="number">
              {currency ? formatMoney(total.revenue, currency) : 'not rated'}
            </td>
            <td data-label="Excl. tax" class="number">
              {currency ? formatMoney(total.exclTax, currency) : 'not rated'}
            </td>
          </tr>
        ))}
      </tfoot>
    </table>
  );
}

function SessionsCsv() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const wrongOrder = from !== '' && to !== '' && to < from;
  return (
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
  );
}

// /api/v1/reports/energy-revenue (JSON) and .../energy-revenue.csv: energy and revenue grouped by
// station, site, token group, day or month, per currency. Both are streamed row by row from
// keyset pages of the grouped query (energy-revenue.ts).

import { Readable } from 'node:stream';
import { DateTime as Luxon, IANAZone } from 'luxon';
import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { csvRow } from '../../api/csv.js';
import { badRequest } from '../../api/problem.js';
import { tenantOf } from '../../api/tenant-scope.js';
import { energyRevenue, GROUP_BY, type ReportQuery, type ReportRow } from './energy-revenue.js';

const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T.*)?$',
  description: 'A date-time (ISO 8601), or a date: its midnight in the report’s time zone',
});
const Query = Type.Object({
  groupBy: Type.Enum(GROUP_BY, { default: 'day' }),
  from: Type.Optional(Instant),
  to: Type.Optional(Type.String({ ...Instant, description: 'Excluded. A date-time, or a date: its midnight' })),
  tz: Type.Optional(Type.String({ description: 'IANA zone of days and months; default each session’s site zone, else INVOICE_TIME_ZONE' })),
  stationId: Type.Optional(Type.String()),
  siteId: Type.Optional(Type.String()),
});
type QueryParams = Static<typeof Query>;

const DESCRIPTION =
  'Finished sessions by the time they stopped; one row per group and currency (revenue is never added across currencies; currency null: not rated). ' +
  'revenue and revenueExclTax are the sums of the sessions’ cost.total and cost.totalExclTax, as exact decimal text.';

function reportQuery(tenantId: number, query: QueryParams, defaultTimeZone: string): ReportQuery {
  if (query.tz !== undefined && !IANAZone.isValidZone(query.tz)) throw badRequest(`tz "${query.tz}" is not an IANA time zone (e.g. Europe/Berlin)`, { field: '/tz' });
  const zone = query.tz ?? defaultTimeZone;
  const instant = (value: string | undefined, field: string) => {
    if (value === undefined) return undefined;
    const parsed = Luxon.fromISO(value, { zone });
    if (!parsed.isValid) throw badRequest(`${field} "${value}" is not a date or date-time`, { field: `/${field}` });
    return parsed.toJSDate();
  };
  return {
    tenantId,
    groupBy: query.groupBy,
    from: instant(query.from, 'from'),
    to: instant(query.to, 'to'),
    stationId: query.stationId,
    siteId: query.siteId,
    timeZone: query.tz,
    defaultTimeZone,
  };
}

const CSV_HEADER = ['group_by', 'key', 'label', 'currency', 'sessions', 'energy_kwh', 'revenue', 'revenue_excl_tax'];

async function* csvLines(rows: AsyncIterable<ReportRow>, groupBy: string): AsyncGenerator<string> {
  yield csvRow(CSV_HEADER);
  for await (const row of rows) {
    yield csvRow([groupBy, row.key, row.label, row.currency, row.sessions, (row.energyWh / 1000).toFixed(3), row.revenue, row.revenueExclTax]);
  }
}

async function* jsonArray(rows: AsyncIterable<ReportRow>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const row of rows) {
    yield `${first ? '' : ','}\n${JSON.stringify({
      ...row,
      energyKWh: row.energyWh / 1000,
      revenue: row.revenue === null ? null : Number(row.revenue),
      revenueExclTax: row.revenueExclTax === null ? null : Number(row.revenueExclTax),
    })}`;
    first = false;
  }
  yield '\n]\n';
}

export async function reportRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, config } = deps.services;

  app.get(
    '/reports/energy-revenue',
    {
      schema: {
        tags: ['reports'],
        summary: 'Energy and revenue by station, site, token group, day or month (streamed JSON array)',
        description: `${DESCRIPTION} Each row: key, label, currency, sessions, energyWh, energyKWh, revenue, revenueExclTax.`,
        querystring: Query,
      },
    },
    async (request, reply) => {
      const query = reportQuery(tenantOf(request), request.query, config.invoicing.timeZone);
      return reply.type('application/json; charset=utf-8').send(Readable.from(jsonArray(energyRevenue(db, query))));
    },
  );

  app.get(
    '/reports/energy-revenue.csv',
    {
      schema: {
        tags: ['reports'],
        summary: 'The energy and revenue report as CSV (streamed, a header row first)',
        description: `${DESCRIPTION} Columns: ${CSV_HEADER.join(', ')}.`,
        querystring: Query,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const query = reportQuery(tenantOf(request), request.query, config.invoicing.timeZone);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="energy-revenue-by-${query.groupBy}.csv"`)
        .send(Readable.from(csvLines(energyRevenue(db, query), query.groupBy)));
    },
  );
}

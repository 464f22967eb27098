// Energy and revenue of finished sessions (by the time they stopped), grouped by station, site,
// token group, day or month, and always by currency: revenue of different currencies is never
// added up. The database does the grouping; the result is read in keyset pages, so a year of
// sessions never sits in memory and the rows can be streamed out as they come.
//
// Reports are a read model: they read the sessions, stations, sites and id tags of other
// capabilities in one SQL statement (never writing them), since grouping across them is the point.

import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../storage/database.js';

export const GROUP_BY = ['station', 'site', 'group', 'day', 'month'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface ReportQuery {
  /** Only the sessions of this tenant's stations (and only its id tags name their groups). */
  tenantId: number;
  groupBy: GroupBy;
  from?: Date | undefined;
  to?: Date | undefined;
  stationId?: string | undefined;
  siteId?: string | undefined;
  /** The zone of days and months; unset: each session's site zone, else `defaultTimeZone`. */
  timeZone?: string | undefined;
  defaultTimeZone: string;
}

export interface ReportRow {
  /** The station id, site id, group's id tag (lower case), day (yyyy-MM-dd) or month (yyyy-MM); '' for sessions of no site. */
  key: string;
  label: string;
  /** null: sessions that were not rated. */
  currency: string | null;
  sessions: number;
  energyWh: number;
  /** Exact decimal text (numeric sums of cost.total and cost.totalExclTax); null when not rated. */
  revenue: string | null;
  revenueExclTax: string | null;
}

function groupColumns(query: ReportQuery): { key: SQL; label: SQL } {
  const zone = query.timeZone ? sql`${query.timeZone}::text` : sql`coalesce(si.time_zone, ${query.defaultTimeZone}::text)`;
  switch (query.groupBy) {
    case 'station':
      return { key: sql`t.station_id`, label: sql`t.station_id` };
    case 'site':
      return { key: sql`coalesce(st.site_id, '')`, label: sql`coalesce(si.name, 'No site')` };
    case 'group':
      return { key: sql`lower(coalesce(tag.parent_id_tag, t.id_tag))`, label: sql`coalesce(grp.owner_name, grp.id_tag, tag.parent_id_tag, t.id_tag)` };
    case 'day':
      return { key: sql`to_char(t.stopped_at at time zone ${zone}, 'YYYY-MM-DD')`, label: sql`to_char(t.stopped_at at time zone ${zone}, 'YYYY-MM-DD')` };
    case 'month':
      return { key: sql`to_char(t.stopped_at at time zone ${zone}, 'YYYY-MM')`, label: sql`to_char(t.stopped_at at time zone ${zone}, 'YYYY-MM')` };
  }
}

interface Cursor {
  key: string;
  currency: string;
}

function pageQuery(query: ReportQuery, after: Cursor | undefined, size: number): SQL {
  const { key, label } = groupColumns(query);
  const where: SQL[] = [sql`st.tenant_id = ${query.tenantId}`, sql`t.stopped_at is not null`];
  if (query.from) where.push(sql`t.stopped_at >= ${query.from.toISOString()}::timestamptz`);
  if (query.to) where.push(sql`t.stopped_at < ${query.to.toISOString()}::timestamptz`);
  if (query.stationId) where.push(sql`t.station_id = ${query.stationId}`);
  if (query.siteId) where.push(sql`st.site_id = ${query.siteId}`);
  const tags =
    query.groupBy === 'group'
      ? // Another tenant's card is a stranger here: its own group, labelled by its id only.
        sql`left join id_tags tag on lower(tag.id_tag) = lower(t.id_tag) and tag.tenant_id = st.tenant_id
            left join id_tags grp on lower(grp.id_tag) = lower(coalesce(tag.parent_id_tag, t.id_tag)) and grp.tenant_id = st.tenant_id`
      : sql``;
  return sql`
    select key, min(label) as label, nullif(cur, '') as currency, count(*)::int as sessions,
           coalesce(sum(energy_wh), 0)::float8 as energy_wh,
           sum(total)::text as revenue, sum(total_excl_tax)::text as revenue_excl_tax
    from (
      select ${key} as key, ${label} as label, coalesce(t.cost->>'currency', '') as cur, t.energy_wh,
             (t.cost->>'total')::numeric as total, (t.cost->>'totalExclTax')::numeric as total_excl_tax
      from transactions t
      join stations st on st.id = t.station_id
      left join sites si on si.id = st.site_id
      ${tags}
      where ${sql.join(where, sql` and `)}
    ) sessions
    ${after ? sql`where (key, cur) > (${after.key}, ${after.currency})` : sql``}
    group by key, cur
    order by key, cur
    limit ${size}`;
}

interface RawRow {
  key: string;
  label: string;
  currency: string | null;
  sessions: number;
  energy_wh: number;
  revenue: string | null;
  revenue_excl_tax: string | null;
}

/** The report's rows in order, read `pageSize` groups at a time. */
export async function* energyRevenue(db: Executor, query: ReportQuery, pageSize = 500): AsyncGenerator<ReportRow> {
  let after: Cursor | undefined;
  for (;;) {
    const page = await queryRows<RawRow>(db, pageQuery(query, after, pageSize));
    for (const row of page) {
      yield {
        key: row.key,
        label: row.label,
        currency: row.currency,
        sessions: row.sessions,
        energyWh: Number(row.energy_wh),
        revenue: row.revenue,
        revenueExclTax: row.revenue_excl_tax,
      };
    }
    if (page.length < pageSize) return;
    const last = page.at(-1)!;
    after = { key: last.key, currency: last.currency ?? '' };
  }
}

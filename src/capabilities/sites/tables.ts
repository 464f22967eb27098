// Tables owned by the sites capability: a site is one grid connection (a car park, a depot, a
// building) with the stations behind it, its time zone (for tariffs' time-of-week prices) and
// its electrical limit (for load management).

import { doublePrecision, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from '../../storage/columns.js';
import { tenantColumn } from '../tenants/tables.js';

export const sites = pgTable('sites', {
  id: text().primaryKey(),
  tenantId: tenantColumn(),
  name: text().notNull(),
  /** IANA zone: local time of the site, daylight saving included. */
  timeZone: text().notNull(),
  /** The grid connection's limit per phase; null: no limit to keep. */
  gridLimitAmps: doublePrecision(),
  /** The same limit in kW (all phases), turned into amps with phases and voltage; the smaller of the two counts. */
  gridLimitKw: doublePrecision(),
  phases: integer().notNull().default(3),
  /** Phase-to-neutral voltage, to turn amps into watts. */
  voltage: integer().notNull().default(230),
  /** Below this current an EV does not charge (IEC 61851: 6 A). */
  minCurrentAmps: doublePrecision().notNull().default(6),
  /** Other building load on the connection (amps per phase), when it is not reported. */
  buildingLoadAmps: doublePrecision(),
  /** What the building may draw at most: counted when its reports stop coming. */
  buildingLoadWorstCaseAmps: doublePrecision(),
  /** The tariff of sessions at this site unless a station or token group has its own. */
  tariffId: text(),
  createdAt: createdAt(),
  updatedAt: createdAt(),
});

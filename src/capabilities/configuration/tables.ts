// Tables owned by the configuration capability: each station's configuration keys as the
// station last reported them (GetConfiguration) or accepted a change (ChangeConfiguration).

import { boolean, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { instant } from '../../storage/columns.js';
import { stations } from '../stations/tables.js';

export const CHANGE_STATUSES = ['Accepted', 'Rejected', 'RebootRequired', 'NotSupported'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** One row per station whose configuration we hold anything of. */
export const stationConfigurations = pgTable('station_configurations', {
  stationId: text()
    .primaryKey()
    .references(() => stations.id, { onDelete: 'cascade' }),
  /** The last read of all keys (GetConfiguration without a key list); null: never read whole. */
  readAt: instant(),
  /** Any key read or changed. */
  updatedAt: instant().notNull(),
  /** Keys the station said it does not know (GetConfiguration.conf unknownKey). */
  unknownKeys: jsonb().$type<string[]>().notNull().default([]),
  /** A change answered RebootRequired: read everything again at the next boot. */
  rereadOnBoot: boolean().notNull().default(false),
});

export const stationConfigurationKeys = pgTable(
  'station_configuration_keys',
  {
    stationId: text()
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** As the station spells it (CiString50: compared case-insensitively). */
    key: text().notNull(),
    /** null: the station reported the key without a value. */
    value: text(),
    readonly: boolean().notNull(),
    /** When the value was read, or set by an accepted change. */
    valueAt: instant().notNull(),
    /** The last ChangeConfiguration of this key: the value asked for and the station's answer. */
    changeValue: text(),
    changeStatus: text({ enum: CHANGE_STATUSES }),
    changedAt: instant(),
    changedBy: text(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.key] }), index('station_configuration_keys_ci').on(t.stationId, sql`lower(${t.key})`)],
);

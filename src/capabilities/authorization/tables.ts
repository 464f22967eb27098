// Tables owned by the authorization capability: the id tags, what we know of each station's
// authorization settings, the local list each station holds from us, and remote starts an
// operator forced for a tag that would have been refused.

import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import { tenantColumn } from '../tenants/tables.js';

export const ID_TAG_STATUSES = ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'] as const;
export type IdTagStatus = (typeof ID_TAG_STATUSES)[number];

/** operator: created through the API or a CSV import; unknown_accepted: recorded when an unknown tag charged under OCPP_UNKNOWN_ID_TAGS=accept. */
export const ID_TAG_ORIGINS = ['operator', 'unknown_accepted'] as const;
export type IdTagOrigin = (typeof ID_TAG_ORIGINS)[number];

export const idTags = pgTable(
  'id_tags',
  {
    id: serial().primaryKey(),
    tenantId: tenantColumn(),
    /** Stored as given; compared case-insensitively (OCPP CiString20). */
    idTag: text().notNull(),
    status: text({ enum: ID_TAG_STATUSES }).notNull().default('Accepted'),
    expiryDate: instant(),
    /** The group (a fleet's or a household's cards); blocking the group's own tag blocks its cards. */
    parentIdTag: text(),
    /** An internal user (staff, fleet pool car): sessions are recorded but billed at zero. */
    internal: boolean().notNull().default(false),
    /** The card's owner or driver, for operators. */
    ownerName: text(),
    /** At most this many open transactions at once (ConcurrentTx beyond); null: no limit. */
    maxConcurrentTx: integer(),
    origin: text({ enum: ID_TAG_ORIGINS }).notNull().default('operator'),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  // One row per card and tenant: a driver's card may be registered with several operators, each
  // with its own status, group and limits (and none learns of the others' registrations).
  (t) => [uniqueIndex('id_tags_tenant_id_tag_ci').on(t.tenantId, sql`lower(${t.idTag})`)],
);

/**
 * The station's configuration keys that authorization depends on, as last read with
 * GetConfiguration; null where the station did not report the key. Read through
 * station-settings.ts only, so it can later be pointed at a shared configuration store.
 */
export const stationAuthSettings = pgTable('station_auth_settings', {
  stationId: text().primaryKey(),
  /** LocalAuthListManagement is among SupportedFeatureProfiles. */
  localListManagement: boolean(),
  localAuthListEnabled: boolean(),
  localAuthListMaxLength: integer(),
  sendLocalListMaxLength: integer(),
  authorizeRemoteTxRequests: boolean(),
  stopTransactionOnInvalidId: boolean(),
  authorizationCacheEnabled: boolean(),
  /** Smart charging (load management): ChargingScheduleAllowedChargingRateUnit as units, e.g. ['A', 'W']. */
  chargingRateUnits: text().array(),
  chargeProfileMaxStackLevel: integer(),
  chargingScheduleMaxPeriods: integer(),
  maxChargingProfilesInstalled: integer(),
  readAt: instant().notNull(),
});

export const LOCAL_LIST_SYNC_STATUSES = ['in_sync', 'failed', 'not_supported'] as const;
export type LocalListSyncStatus = (typeof LOCAL_LIST_SYNC_STATUSES)[number];

/** Where each station's local authorization list stands, as far as we pushed it. */
export const localListStates = pgTable('local_list_states', {
  stationId: text().primaryKey(),
  /** The list version the station accepted last from us; null: we never pushed one. */
  version: integer(),
  /** null: never synchronised. */
  syncStatus: text({ enum: LOCAL_LIST_SYNC_STATUSES }),
  /** Why the last synchronisation failed or was not possible. */
  detail: text(),
  /** The last synchronisation attempt. */
  checkedAt: instant(),
  /** The last time the station was known to hold the list we want it to hold. */
  syncedAt: instant(),
  /** A tag was revoked since this station last cleared its authorization cache. */
  cacheClearPending: boolean().notNull().default(false),
});

/** The entries of each station's local list, as the station accepted them from us (for differential updates). */
export const localListEntries = pgTable(
  'local_list_entries',
  {
    stationId: text().notNull(),
    idTag: text().notNull(),
    status: text({ enum: ID_TAG_STATUSES }).notNull(),
    expiryDate: instant(),
    parentIdTag: text(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.idTag] })],
);

/** Remote starts an operator forced for a tag that would have been refused: the StartTransaction that follows is Accepted. */
export const forcedRemoteStarts = pgTable(
  'forced_remote_starts',
  {
    id: serial().primaryKey(),
    stationId: text().notNull(),
    connectorId: integer(),
    idTag: text().notNull(),
    /** What the tag would have been answered. */
    refusedStatus: text({ enum: ID_TAG_STATUSES }).notNull(),
    requestedBy: text().notNull(),
    requestedAt: instant().notNull(),
    expiresAt: instant().notNull(),
    /** Set when a StartTransaction used it. */
    usedAt: instant(),
  },
  (t) => [index('forced_remote_starts_open').on(t.stationId, sql`lower(${t.idTag})`).where(sql`${t.usedAt} is null`)],
);

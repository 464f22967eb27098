// Tables owned by load management: sub-circuits of a site, per-station settings and state (its
// max current, whether it takes charging profiles, the fallback it holds), reported building
// load, priorities per token group, and the history of allocation decisions.

import { bigserial, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantColumn } from '../tenants/tables.js';
import { createdAt, instant } from '../../storage/columns.js';
import { sites } from '../sites/tables.js';

/** A feeder inside a site with its own limit (amps per phase). */
export const loadCircuits = pgTable(
  'load_circuits',
  {
    id: text().primaryKey(),
    siteId: text()
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    limitAmps: doublePrecision().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('load_circuits_site').on(t.siteId)],
);

/** A station sits on at most one circuit (the primary key says so). */
export const loadCircuitStations = pgTable('load_circuit_stations', {
  stationId: text().primaryKey(),
  circuitId: text()
    .notNull()
    .references(() => loadCircuits.id, { onDelete: 'cascade' }),
});

export const loadStations = pgTable('load_stations', {
  stationId: text().primaryKey(),
  /** Per connector; null: LOAD_DEFAULT_CONNECTOR_MAX_AMPS. */
  maxCurrentAmps: doublePrecision(),
  /** Set when the station answered a charging profile with Rejected: counted at its worst case. */
  profilesRejectedAt: instant(),
  rejectedProfile: text(),
  /** The TxDefaultProfile share it last accepted (amps per connector). */
  fallbackAmps: doublePrecision(),
  fallbackSentAt: instant(),
});

/** The building's own load as last reported through the API. */
export const buildingLoadReports = pgTable('building_load_reports', {
  siteId: text()
    .primaryKey()
    .references(() => sites.id, { onDelete: 'cascade' }),
  amps: doublePrecision().notNull(),
  reportedAt: instant().notNull(),
});

/** Priority of a token group (a parent id tag) or of one tag; higher is served first. */
export const loadPriorities = pgTable(
  'load_priorities',
  {
    tenantId: tenantColumn(),
    idTag: text().notNull(),
    priority: integer().notNull(),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.idTag] })],
);

export interface SnapshotSession {
  transactionId: number;
  stationId: string;
  connectorId: number;
  limitA: number;
  drawA: number | null;
  capA: number | null;
  priority: number;
}

export interface SnapshotWorstCase {
  stationId: string;
  amps: number;
  reason: 'offline' | 'rejects_profiles';
}

/** One allocation decision of a site: kept for LOAD_HISTORY_RETENTION_DAYS. */
export const loadSnapshots = pgTable(
  'load_snapshots',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    siteId: text().notNull(),
    at: instant().notNull(),
    trigger: text().notNull(),
    limitAmps: doublePrecision().notNull(),
    buildingAmps: doublePrecision().notNull(),
    drawAmps: doublePrecision(),
    allocatedAmps: doublePrecision().notNull(),
    sessions: jsonb().$type<SnapshotSession[]>().notNull(),
    worstCase: jsonb().$type<SnapshotWorstCase[]>().notNull(),
  },
  (t) => [index('load_snapshots_site_at').on(t.siteId, t.at)],
);

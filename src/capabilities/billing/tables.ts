// Tables owned by the billing capability: tariffs and their versions (a session keeps the version
// it started under), tariff assignments to token groups and the default, and the tariff each
// session was started under.

import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import type { OcpiTariffBody } from './tariff-model.js';
import { tenantColumn } from '../tenants/tables.js';

export const tariffs = pgTable('tariffs', {
  id: text().primaryKey(),
  tenantId: tenantColumn(),
  /** The newest version; every change (PATCH) adds one. */
  currentVersion: integer().notNull(),
  createdAt: createdAt(),
  updatedAt: createdAt(),
  /** Deleted tariffs keep their versions: rated sessions still name them and can be re-rated. */
  deletedAt: instant(),
});

export const tariffVersions = pgTable(
  'tariff_versions',
  {
    tariffId: text()
      .notNull()
      .references(() => tariffs.id),
    version: integer().notNull(),
    /** The OCPI 2.2.1 Tariff object as given (without id and last_updated, which we own). */
    body: jsonb().$type<OcpiTariffBody>().notNull(),
    /** From this instant (server clock) the version applies to new sessions. */
    validFrom: instant().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tariffId, t.version] })],
);

export const ASSIGNMENT_SCOPES = ['group', 'default'] as const;
export type AssignmentScope = (typeof ASSIGNMENT_SCOPES)[number];

/**
 * Tariffs of token groups (key: the group's parentIdTag, lower case) and the default tariff
 * (key ''). Stations and sites carry their own tariffId column.
 */
export const tariffAssignments = pgTable(
  'tariff_assignments',
  {
    tenantId: tenantColumn(),
    scope: text({ enum: ASSIGNMENT_SCOPES }).notNull(),
    key: text().notNull(),
    tariffId: text()
      .notNull()
      .references(() => tariffs.id),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.scope, t.key] }), index('tariff_assignments_tariff').on(t.tariffId)],
);

/** The tariff version a session started under, recorded when it starts (or when first rated). */
export const sessionTariffs = pgTable('session_tariffs', {
  transactionId: integer().primaryKey(),
  tariffId: text().references(() => tariffs.id),
  tariffVersion: integer(),
  /** Which assignment chose it: group, station, site or default (null: none applied). */
  source: text(),
  /** Whether the id tag or its group is internal (rated at zero). */
  internal: boolean().notNull().default(false),
  recordedAt: createdAt(),
});

// Tables owned by the stations capability: registration, identity, connector status and the
// append-only record of what each station reported about itself.

import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import { sites } from '../sites/tables.js';
import { tenantColumn } from '../tenants/tables.js';

export const REGISTRATIONS = ['accepted', 'pending', 'rejected'] as const;
export type Registration = (typeof REGISTRATIONS)[number];

export const stations = pgTable('stations', {
  id: text().primaryKey(),
  tenantId: tenantColumn(),
  registration: text({ enum: REGISTRATIONS }).notNull(),
  vendor: text(),
  model: text(),
  serialNumber: text(),
  chargeBoxSerialNumber: text(),
  firmwareVersion: text(),
  iccid: text(),
  imsi: text(),
  meterType: text(),
  meterSerialNumber: text(),
  /** The site (grid connection) the station belongs to. */
  siteId: text().references(() => sites.id),
  /** The tariff of sessions at this station unless the token group has its own (billing). */
  tariffId: text(),
  /** IANA zone for timestamps this station sends without an offset; null means UTC. */
  timeZone: text(),
  /** scrypt hash of the station's Basic-auth password (security profile 1); null: none set. */
  passwordHash: text(),
  /** OCPP security profile the station must connect with (0-3, see security/station-admission.ts). */
  securityProfile: integer().notNull().default(0),
  createdAt: createdAt(),
  updatedAt: createdAt(),
  lastBootAt: instant(),
  lastSeenAt: instant(),
});

export const connectors = pgTable(
  'connectors',
  {
    stationId: text()
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** 0 is the station as a whole. */
    connectorId: integer().notNull(),
    status: text().notNull(),
    errorCode: text().notNull(),
    info: text(),
    vendorId: text(),
    vendorErrorCode: text(),
    /** The station's timestamp of this status (or our receive time when it sent none). */
    statusAt: instant().notNull(),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.connectorId] })],
);

export const statusNotifications = pgTable(
  'status_notifications',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    stationId: text()
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    connectorId: integer().notNull(),
    status: text().notNull(),
    errorCode: text().notNull(),
    info: text(),
    vendorId: text(),
    vendorErrorCode: text(),
    timestamp: instant(),
    timestampRaw: text(),
    receivedAt: createdAt(),
  },
  (t) => [
    index('status_notifications_station_time').on(t.stationId, t.receivedAt),
    // A retransmitted notification (same station timestamp) is stored once.
    uniqueIndex('status_notifications_retransmission')
      .on(t.stationId, t.connectorId, t.status, t.errorCode, t.timestamp)
      .where(sql`${t.timestamp} is not null`),
  ],
);

/** What a station reported about itself, append-only: boots, data transfers, firmware/diagnostics/log status, security events. */
export const stationEvents = pgTable(
  'station_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    stationId: text()
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** The OCPP action that reported it, e.g. BootNotification, DataTransfer. */
    kind: text().notNull(),
    payload: jsonb().notNull(),
    timestamp: instant(),
    receivedAt: createdAt(),
  },
  (t) => [index('station_events_station_time').on(t.stationId, t.kind, t.receivedAt)],
);

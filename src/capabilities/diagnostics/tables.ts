// Tables owned by the diagnostics capability: the latest firmware, diagnostics and log upload
// state of each station (their history is in station_events), the GetDiagnostics requests we
// sent and the files stations uploaded for them.

import { bigint, index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import { stations } from '../stations/tables.js';

export const maintenanceStatus = pgTable('maintenance_status', {
  stationId: text()
    .primaryKey()
    .references(() => stations.id, { onDelete: 'cascade' }),
  diagnosticsStatus: text(),
  diagnosticsStatusAt: instant(),
  firmwareStatus: text(),
  firmwareStatusAt: instant(),
  logStatus: text(),
  logStatusAt: instant(),
  updatedAt: createdAt(),
});

/** requested: on its way; sent: the station answered; failed: it did not (offline, timeout, error). */
export const DIAGNOSTICS_OUTCOMES = ['requested', 'sent', 'failed'] as const;

/** Each GetDiagnostics we sent, with the upload URL made for it. */
export const diagnosticsRequests = pgTable(
  'diagnostics_requests',
  {
    id: serial().primaryKey(),
    stationId: text()
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** The secret part of the upload URL: stations upload without an API key. */
    token: text().notNull(),
    location: text().notNull(),
    startTime: instant(),
    stopTime: instant(),
    retries: integer(),
    retryInterval: integer(),
    outcome: text({ enum: DIAGNOSTICS_OUTCOMES }).notNull(),
    detail: text(),
    /** The name the station said it will upload under; null: it has nothing to upload. */
    fileName: text(),
    /** The station's latest DiagnosticsStatusNotification while this was its latest request. */
    status: text(),
    statusAt: instant(),
    requestedBy: text().notNull(),
    requestedAt: createdAt(),
  },
  (t) => [uniqueIndex('diagnostics_requests_token').on(t.token), index('diagnostics_requests_station').on(t.stationId, t.id)],
);

/** What stations uploaded for a request. */
export const diagnosticsFiles = pgTable(
  'diagnostics_files',
  {
    id: serial().primaryKey(),
    requestId: integer()
      .notNull()
      .references(() => diagnosticsRequests.id, { onDelete: 'cascade' }),
    stationId: text().notNull(),
    filename: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    sha256: text().notNull(),
    storedAs: text().notNull(),
    receivedAt: createdAt(),
  },
  (t) => [index('diagnostics_files_request').on(t.requestId)],
);

// Tables owned by the firmware capability: the firmware files the backend hosts for stations,
// and each UpdateFirmware we sent with what the station reported of it since.

import { bigint, index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import { stations } from '../stations/tables.js';
import { tenantColumn } from '../tenants/tables.js';

export const firmwareFiles = pgTable(
  'firmware_files',
  {
    id: serial().primaryKey(),
    tenantId: tenantColumn(),
    filename: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    sha256: text().notNull(),
    /** The secret part of the download URL: stations fetch without an API key. */
    token: text().notNull(),
    /** Where the file lies below the file storage root. */
    storedAs: text().notNull(),
    uploadedBy: text().notNull(),
    uploadedAt: createdAt(),
    /** Completed downloads by stations, and the last one. */
    downloads: integer().notNull().default(0),
    lastDownloadedAt: instant(),
  },
  (t) => [uniqueIndex('firmware_files_token').on(t.token)],
);

/** requested: on its way; sent: the station answered; failed: it did not (offline, timeout, error). */
export const REQUEST_OUTCOMES = ['requested', 'sent', 'failed'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

export const firmwareUpdates = pgTable(
  'firmware_updates',
  {
    id: serial().primaryKey(),
    stationId: text()
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    firmwareId: integer()
      .notNull()
      .references(() => firmwareFiles.id),
    location: text().notNull(),
    retrieveDate: instant().notNull(),
    retries: integer(),
    retryInterval: integer(),
    outcome: text({ enum: REQUEST_OUTCOMES }).notNull(),
    detail: text(),
    /** The station's latest FirmwareStatusNotification while this was its latest update. */
    status: text(),
    statusAt: instant(),
    requestedBy: text().notNull(),
    requestedAt: createdAt(),
  },
  (t) => [index('firmware_updates_station').on(t.stationId, t.id)],
);

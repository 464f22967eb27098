// Tables owned by the reservations capability: each reservation we asked a station to hold
// (ReserveNow), its id being the OCPP reservationId, and how it ended.

import { index, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import { stations } from '../stations/tables.js';

/**
 * requested: ReserveNow on its way; active: the station accepted; refused: it answered Faulted,
 * Occupied, Rejected or Unavailable; failed: no usable answer (offline, timeout, error);
 * cancelled, expired, used (a StartTransaction carried its id): how an active one ended.
 */
export const RESERVATION_STATUSES = ['requested', 'active', 'refused', 'failed', 'cancelled', 'expired', 'used'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const reservations = pgTable(
  'reservations',
  {
    id: serial().primaryKey(),
    stationId: text()
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** 0: any connector of the station. */
    connectorId: integer().notNull(),
    idTag: text().notNull(),
    parentIdTag: text(),
    expiryDate: instant().notNull(),
    status: text({ enum: RESERVATION_STATUSES }).notNull().default('requested'),
    /** The station's ReserveNow answer (Accepted, Faulted, Occupied, Rejected, Unavailable). */
    stationStatus: text(),
    /** Why it failed or how it ended, for operators. */
    detail: text(),
    transactionId: integer(),
    requestedBy: text().notNull(),
    createdAt: createdAt(),
    endedAt: instant(),
  },
  (t) => [index('reservations_status_expiry').on(t.status, t.expiryDate), index('reservations_station').on(t.stationId, t.createdAt)],
);

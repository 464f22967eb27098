// Tables owned by the transactions capability: sessions, every sampled meter value, and stops
// that matched no known transaction.

import { sql } from 'drizzle-orm';
import { bigint, bigserial, doublePrecision, index, integer, jsonb, pgTable, serial, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import { stations } from '../stations/tables.js';

/** Why a transaction carries a flag; kept on the row so billing and operators can see it. */
export const TRANSACTION_FLAGS = [
  'implausible_start_timestamp', // station clock looked unset or far ahead
  'implausible_stop_timestamp',
  'station_not_accepted', // started while the station was pending or rejected
  'id_tag_not_accepted', // the answer to StartTransaction was not Accepted
  'offline_start_not_accepted', // queued while the station was offline; its tag is refused now
  'charging_on_invalid_id', // not Accepted, but the station's StopTransactionOnInvalidId is false: it charges on
  'remote_start_forced', // Accepted only because an operator forced the remote start
  'stopped_by_other_id_tag', // stopped with a tag that is neither the starting one nor of its group
  'closed_by_new_start', // a newer StartTransaction on the same connector closed it
  'finalized_without_stop', // no StopTransaction came; closed after the connector was Available
  'stop_after_backend_close', // the real StopTransaction came after we had closed it
  'linked_orphan_stop', // closed by a StopTransaction whose transactionId did not match
  'meter_reset', // the energy register went backwards during the session
  'implausible_energy', // more energy than any charger could deliver in that time
] as const;
export type TransactionFlag = (typeof TRANSACTION_FLAGS)[number];

/** One line of a session's bill: one OCPI price component (ENERGY, TIME, PARKING_TIME, FLAT). */
export interface CostItem {
  type: 'ENERGY' | 'TIME' | 'PARKING_TIME' | 'FLAT';
  /** kWh for ENERGY, hours for TIME and PARKING_TIME, 1 for FLAT. */
  quantity: number;
  unit: 'kWh' | 'h' | 'session';
  /** Price per unit excluding tax, in decimal currency units. */
  unitPrice: number;
  vatPercent: number | null;
  totalExclTax: number;
  total: number;
  /** The index of the tariff element whose component priced it. */
  elementIndex?: number;
}

/** A rated session's cost (`cost` of /api/v1/sessions): decimal currency units, tax included in total. */
export interface SessionCost {
  currency: string;
  total: number;
  totalExclTax: number;
  items: CostItem[];
  tariffId: string | null;
  tariffVersion: number | null;
  /** Internal users' sessions are rated at zero but recorded. */
  internal: boolean;
  ratedAt: string;
  /** Set when the tariff's min_price or max_price replaced the sum of the items. */
  priceLimit?: 'min_price' | 'max_price' | null;
  /** The rated timeline: energy, time charging and time plugged in but idle. */
  energyWh?: number;
  chargingSeconds?: number;
  idleSeconds?: number;
}

export const transactions = pgTable(
  'transactions',
  {
    /** The OCPP transactionId handed to the station. */
    id: serial().primaryKey(),
    stationId: text()
      .notNull()
      .references(() => stations.id),
    connectorId: integer().notNull(),
    idTag: text().notNull(),
    /** The idTagInfo.status answered to StartTransaction. */
    idTagStatus: text().notNull(),
    reservationId: integer(),
    startedAt: instant().notNull(),
    startedAtRaw: text(),
    startReceivedAt: instant().notNull(),
    meterStartWh: bigint({ mode: 'number' }).notNull(),
    stoppedAt: instant(),
    stoppedAtRaw: text(),
    stopReceivedAt: instant(),
    meterStopWh: bigint({ mode: 'number' }),
    stopReason: text(),
    stopIdTag: text(),
    /** station: a StopTransaction; backend: closed by us (stale or abandoned). */
    stoppedBy: text({ enum: ['station', 'backend'] }),
    energyWh: doublePrecision(),
    flags: text().array().notNull().default(sql`'{}'::text[]`),
    /** Set by billing once the session is rated; null while it runs or when no tariff applies. */
    cost: jsonb().$type<SessionCost>(),
    updatedAt: createdAt(),
  },
  (t) => [
    // A retransmitted StartTransaction finds its transaction again by these fields.
    uniqueIndex('transactions_start_identity').on(t.stationId, t.connectorId, t.idTag, t.startedAt, t.meterStartWh),
    index('transactions_open_per_connector').on(t.stationId, t.connectorId).where(sql`${t.stoppedAt} is null`),
    index('transactions_started_at').on(t.startedAt),
  ],
);

export const meterValues = pgTable(
  'meter_values',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    stationId: text().notNull(),
    connectorId: integer().notNull(),
    /** The transaction this sample belongs to, when one could be found. */
    transactionId: integer(),
    /** The transactionId the station sent, kept when it matched nothing. */
    reportedTransactionId: integer(),
    sampledAt: instant().notNull(),
    sampledAtRaw: text(),
    receivedAt: instant().notNull(),
    /** MeterValues, or StopTransaction for its transactionData. */
    source: text().notNull(),
    context: text(),
    format: text(),
    measurand: text().notNull(),
    phase: text(),
    location: text(),
    /** The value in the canonical unit of its quantity (Wh, W, A, ...); null when not numeric. */
    value: doublePrecision(),
    unit: text().notNull(),
    rawValue: text().notNull(),
    rawUnit: text(),
  },
  (t) => [
    // A retransmitted sample is stored once. The format is part of the identity: signed meters
    // send the signed reading (SignedData) beside the plain one of the same measurand.
    unique('meter_values_sample_identity')
      .on(t.stationId, t.connectorId, t.sampledAt, t.measurand, t.phase, t.location, t.context, t.format)
      .nullsNotDistinct(),
    index('meter_values_transaction_time').on(t.transactionId, t.sampledAt),
    index('meter_values_station_time').on(t.stationId, t.sampledAt),
  ],
);

/** StopTransactions whose transactionId matched nothing (0, -1, unknown): kept, linked when possible. */
export const orphanStops = pgTable(
  'orphan_stops',
  {
    id: serial().primaryKey(),
    stationId: text().notNull(),
    reportedTransactionId: integer().notNull(),
    idTag: text(),
    meterStopWh: bigint({ mode: 'number' }).notNull(),
    stoppedAt: instant().notNull(),
    stoppedAtRaw: text(),
    reason: text(),
    transactionData: jsonb(),
    receivedAt: instant().notNull(),
    linkedTransactionId: integer(),
  },
  (t) => [unique('orphan_stops_identity').on(t.stationId, t.reportedTransactionId, t.stoppedAt, t.meterStopWh)],
);

// Reads and writes of transactions, meter values and orphan stops.
// Sessions and orphan stops have no tenant of their own: they are their station's tenant's, so
// a tenant's lists select by its stations (atTenantStation).

import { and, asc, desc, eq, gte, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../storage/database.js';
import { bulkInsert } from '../../storage/bulk-insert.js';
import { atTenantStation } from '../stations/station-store.js';
import { groupCommitFor } from '../../storage/group-commit.js';
import { sessionEnergy } from './energy.js';
import { ENERGY_REGISTER, type MeterValueRow } from './samples.js';
import { meterValues, orphanStops, transactions, type SessionCost, type TransactionFlag } from './tables.js';

export type TransactionRow = typeof transactions.$inferSelect;
export type NewTransaction = typeof transactions.$inferInsert;
export type OrphanStopRow = typeof orphanStops.$inferSelect;

/** Which station and connector a transaction id belongs to: it never changes, so it is cached. */
export interface TransactionOwner {
  stationId: string;
  connectorId: number;
}
const OWNERS_CACHED = 200_000;
const owners = new Map<number, TransactionOwner>();

function remember(id: number, owner: TransactionOwner): void {
  if (owners.size >= OWNERS_CACHED) owners.delete(owners.keys().next().value!);
  owners.set(id, owner);
}

/** The station and connector of a transaction id, from memory when possible. */
export async function transactionOwner(db: Executor, id: number): Promise<TransactionOwner | undefined> {
  const cached = owners.get(id);
  if (cached) return cached;
  const row = await getTransaction(db, id);
  if (row) remember(row.id, { stationId: row.stationId, connectorId: row.connectorId });
  return row && { stationId: row.stationId, connectorId: row.connectorId };
}

export async function getTransaction(db: Executor, id: number): Promise<TransactionRow | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return undefined;
  const [row] = await db.select().from(transactions).where(eq(transactions.id, id));
  return row;
}

/** The transaction a retransmitted StartTransaction refers to, if it was stored before. */
export async function findStarted(
  db: Executor,
  key: Pick<TransactionRow, 'stationId' | 'connectorId' | 'idTag' | 'startedAt' | 'meterStartWh'>,
): Promise<TransactionRow | undefined> {
  const [row] = await db
    .select()
    .from(transactions)
    .where(
      and(
        eq(transactions.stationId, key.stationId),
        eq(transactions.connectorId, key.connectorId),
        eq(transactions.idTag, key.idTag),
        eq(transactions.startedAt, key.startedAt),
        eq(transactions.meterStartWh, key.meterStartWh),
      ),
    );
  return row;
}

export async function openTransactions(db: Executor, stationId: string, connectorId?: number): Promise<TransactionRow[]> {
  const where = [eq(transactions.stationId, stationId), isNull(transactions.stoppedAt)];
  if (connectorId !== undefined) where.push(eq(transactions.connectorId, connectorId));
  return db.select().from(transactions).where(and(...where)).orderBy(asc(transactions.startedAt));
}

/** The open transactions of many stations (a site), oldest first. */
export async function openTransactionsOf(db: Executor, stationIds: string[]): Promise<TransactionRow[]> {
  if (stationIds.length === 0) return [];
  return db
    .select()
    .from(transactions)
    // One array parameter rather than one per station: a site may have thousands.
    .where(and(sql`${transactions.stationId} = any(${sql.param(stationIds)}::text[])`, isNull(transactions.stoppedAt)))
    .orderBy(asc(transactions.startedAt), asc(transactions.id));
}

/**
 * How many transactions of an idTag (any letter case) are open at the tenant's stations (a card
 * let charge at another tenant's station does not use up its limit here).
 */
export async function openTransactionCount(db: Executor, tenantId: number, idTag: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(transactions)
    .where(and(atTenantStation(transactions.stationId, tenantId), isNull(transactions.stoppedAt), eq(sql`lower(${transactions.idTag})`, idTag.toLowerCase())));
  return row?.count ?? 0;
}

/** When each idTag (lower case) last started a transaction at a station. */
export async function lastStartsAt(db: Executor, stationId: string): Promise<Map<string, Date>> {
  const rows = await db
    .select({ idTag: sql<string>`lower(${transactions.idTag})`, at: sql<Date>`max(${transactions.startedAt})`.mapWith(transactions.startedAt) })
    .from(transactions)
    .where(eq(transactions.stationId, stationId))
    .groupBy(sql`lower(${transactions.idTag})`);
  return new Map(rows.map((row) => [row.idTag, row.at]));
}

/** Transactions of a connector that were running at some point between `from` and `to`. */
export async function transactionsDuring(
  db: Executor,
  stationId: string,
  connectorId: number,
  from: Date,
  to: Date,
): Promise<TransactionRow[]> {
  return db
    .select()
    .from(transactions)
    .where(
      and(
        eq(transactions.stationId, stationId),
        eq(transactions.connectorId, connectorId),
        lte(transactions.startedAt, to),
        or(isNull(transactions.stoppedAt), gte(transactions.stoppedAt, from)),
      ),
    )
    .orderBy(asc(transactions.startedAt));
}

export async function insertTransaction(db: Executor, values: NewTransaction): Promise<TransactionRow> {
  const [row] = await db.insert(transactions).values(values).returning();
  remember(row!.id, { stationId: row!.stationId, connectorId: row!.connectorId });
  return row!;
}

const insertMeterValueBatch = (db: Executor, rows: MeterValueRow[]) => bulkInsert(db, meterValues, rows, { onConflictDoNothing: true });

/**
 * Stores samples outside a transaction, batched with other stations' samples of the same
 * moment (group commit); resolves once they are committed. A retransmitted sample is skipped.
 */
export function appendMeterValues(db: Database, rows: MeterValueRow[]): Promise<void> {
  return groupCommitFor<MeterValueRow>(db, 'meter_values', (batch) => insertMeterValueBatch(db, batch)).add(rows);
}

/** Stores samples inside the caller's database transaction (e.g. a StopTransaction's transactionData). */
export async function insertMeterValues(db: Executor, rows: MeterValueRow[]): Promise<void> {
  if (rows.length > 0) await insertMeterValueBatch(db, rows);
}

/** The energy-register readings (Wh, station totals) of one transaction, in time order. */
export async function registerReadings(db: Executor, transactionId: number): Promise<{ at: Date; wh: number }[]> {
  const rows = await db
    .select({ at: meterValues.sampledAt, wh: meterValues.value, location: meterValues.location })
    .from(meterValues)
    .where(
      and(
        eq(meterValues.transactionId, transactionId),
        eq(meterValues.measurand, ENERGY_REGISTER),
        isNull(meterValues.phase),
        sql`${meterValues.value} is not null`,
      ),
    )
    .orderBy(asc(meterValues.sampledAt));
  // One register per session: a charger may report several (a DC charger's AC inlet and DC
  // outlet), and mixing them would look like meter resets. The outlet is the connector's register
  // (the one meterStart and meterStop count); another location only counts when there is none.
  const location = rows.some((row) => row.location === 'Outlet') ? 'Outlet' : rows[0]?.location;
  return rows.filter((row) => row.location === location).map((row) => ({ at: row.at, wh: row.wh! }));
}

export interface StopFields {
  stoppedAt: Date;
  stoppedAtRaw: string | null;
  stopReceivedAt: Date;
  /** Null when the backend closes a session without a meterStop: it ends at the last reading. */
  meterStopWh: number | null;
  stopReason: string | null;
  stopIdTag: string | null;
  stoppedBy: 'station' | 'backend';
  flags: TransactionFlag[];
}

/** Closes a transaction: computes its energy from start, readings and stop, and stores it all. */
export async function closeTransaction(db: Executor, transaction: TransactionRow, stop: StopFields): Promise<TransactionRow> {
  const readings = await registerReadings(db, transaction.id);
  const energy = sessionEnergy({
    meterStartWh: transaction.meterStartWh,
    startedAt: transaction.startedAt,
    meterStopWh: stop.meterStopWh,
    stoppedAt: stop.stoppedAt,
    readings,
  });
  const lastReading = readings.at(-1);
  const meterStopWh = stop.meterStopWh ?? Math.round(lastReading?.wh ?? transaction.meterStartWh);
  // Flags that described the previous stop (e.g. a backend close) are replaced, start flags kept.
  const startFlags = transaction.flags.filter((flag) => !STOP_FLAGS.has(flag as TransactionFlag));
  const [row] = await db
    .update(transactions)
    .set({
      stoppedAt: stop.stoppedAt,
      stoppedAtRaw: stop.stoppedAtRaw,
      stopReceivedAt: stop.stopReceivedAt,
      meterStopWh,
      stopReason: stop.stopReason,
      stopIdTag: stop.stopIdTag,
      stoppedBy: stop.stoppedBy,
      energyWh: energy.energyWh,
      flags: [...new Set([...startFlags, ...stop.flags, ...energy.flags])],
      updatedAt: stop.stopReceivedAt,
    })
    .where(eq(transactions.id, transaction.id))
    .returning();
  return row!;
}

const STOP_FLAGS = new Set<TransactionFlag>([
  'implausible_stop_timestamp',
  'closed_by_new_start',
  'finalized_without_stop',
  'meter_reset',
  'implausible_energy',
]);

/** Stores the rated cost of a session (billing); null: not rated. */
export async function setTransactionCost(db: Executor, id: number, cost: SessionCost | null): Promise<void> {
  await db.update(transactions).set({ cost }).where(eq(transactions.id, id));
}

/** A tenant's sessions started in [from, to), oldest first, in pages of `size` (keyset), so an export never holds them all. */
export async function* transactionPages(
  db: Executor,
  tenantId: number,
  range: { from?: Date | undefined; to?: Date | undefined },
  size: number,
): AsyncGenerator<TransactionRow[]> {
  let after: { startedAt: Date; id: number } | undefined;
  for (;;) {
    const where: SQL[] = [atTenantStation(transactions.stationId, tenantId)];
    if (range.from) where.push(gte(transactions.startedAt, range.from));
    if (range.to) where.push(sql`${transactions.startedAt} < ${range.to}`);
    if (after) where.push(sql`(${transactions.startedAt}, ${transactions.id}) > (${after.startedAt}, ${after.id})`);
    const rows = await db.select().from(transactions).where(and(...where)).orderBy(asc(transactions.startedAt), asc(transactions.id)).limit(size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    const last = rows.at(-1)!;
    after = { startedAt: last.startedAt, id: last.id };
  }
}

/** The last sample time of a transaction, if it has any. */
export async function lastSampleAt(db: Executor, transactionId: number): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: meterValues.sampledAt })
    .from(meterValues)
    .where(eq(meterValues.transactionId, transactionId))
    .orderBy(desc(meterValues.sampledAt))
    .limit(1);
  return row?.at;
}

export async function recordOrphanStop(db: Executor, stop: typeof orphanStops.$inferInsert): Promise<OrphanStopRow> {
  const [created] = await db.insert(orphanStops).values(stop).onConflictDoNothing().returning();
  if (created) return created;
  const [existing] = await db
    .select()
    .from(orphanStops)
    .where(
      and(
        eq(orphanStops.stationId, stop.stationId),
        eq(orphanStops.reportedTransactionId, stop.reportedTransactionId),
        eq(orphanStops.stoppedAt, stop.stoppedAt),
        eq(orphanStops.meterStopWh, stop.meterStopWh),
      ),
    );
  return existing!;
}

/** Whether a station ever reported a session (a transaction, or the stop of one we never saw start). */
export async function stationHasSessions(db: Executor, stationId: string): Promise<boolean> {
  const [session] = await db.select({ id: transactions.id }).from(transactions).where(eq(transactions.stationId, stationId)).limit(1);
  if (session) return true;
  const [orphan] = await db.select({ id: orphanStops.id }).from(orphanStops).where(eq(orphanStops.stationId, stationId)).limit(1);
  return orphan !== undefined;
}

export async function linkOrphanStop(db: Executor, orphanId: number, transactionId: number): Promise<void> {
  await db.update(orphanStops).set({ linkedTransactionId: transactionId }).where(eq(orphanStops.id, orphanId));
}

export interface TransactionFilter {
  /** Whose sessions (those of the tenant's stations): a list is always one tenant's. */
  tenantId: number;
  stationId?: string | undefined;
  idTag?: string | undefined;
  active?: boolean | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  offset: number;
}

export async function listTransactions(db: Executor, filter: TransactionFilter): Promise<TransactionRow[]> {
  const where: SQL[] = [];
  where.push(atTenantStation(transactions.stationId, filter.tenantId));
  if (filter.stationId) where.push(eq(transactions.stationId, filter.stationId));
  if (filter.idTag) where.push(eq(sql`lower(${transactions.idTag})`, filter.idTag.toLowerCase()));
  if (filter.active === true) where.push(isNull(transactions.stoppedAt));
  if (filter.active === false) where.push(sql`${transactions.stoppedAt} is not null`);
  if (filter.from) where.push(gte(transactions.startedAt, filter.from));
  if (filter.to) where.push(lte(transactions.startedAt, filter.to));
  return db
    .select()
    .from(transactions)
    .where(and(...where))
    .orderBy(desc(transactions.startedAt), desc(transactions.id))
    .limit(filter.limit)
    .offset(filter.offset);
}

/** The orphan stops of a tenant's stations (of one station, when named), newest first. */
export async function listOrphanStops(db: Executor, tenantId: number, stationId?: string): Promise<OrphanStopRow[]> {
  return db
    .select()
    .from(orphanStops)
    .where(and(atTenantStation(orphanStops.stationId, tenantId), stationId ? eq(orphanStops.stationId, stationId) : undefined))
    .orderBy(desc(orphanStops.receivedAt));
}

export async function meterValuesOf(db: Executor, transactionId: number): Promise<(typeof meterValues.$inferSelect)[]> {
  return db
    .select()
    .from(meterValues)
    .where(eq(meterValues.transactionId, transactionId))
    .orderBy(asc(meterValues.sampledAt), asc(meterValues.id));
}

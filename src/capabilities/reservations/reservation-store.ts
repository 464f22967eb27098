// Queries on reservations. Every change of state names the state it leaves, so two things
// ending the same reservation (a cancel and the expiry job) cannot both win.

import { and, desc, eq, gte, inArray, lte, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { atTenantStation } from '../stations/station-store.js';
import { reservations, type ReservationStatus } from './tables.js';

export type ReservationRow = typeof reservations.$inferSelect;
export type NewReservation = Pick<typeof reservations.$inferInsert, 'stationId' | 'connectorId' | 'idTag' | 'parentIdTag' | 'expiryDate' | 'requestedBy'>;

export async function createReservation(db: Executor, reservation: NewReservation): Promise<ReservationRow> {
  const [row] = await db.insert(reservations).values(reservation).returning();
  return row!;
}

/** Moves a reservation from one of `from` to a new state; undefined when it was in none of them. */
export async function moveReservation(
  db: Executor,
  id: number,
  from: readonly ReservationStatus[],
  changes: Partial<Pick<ReservationRow, 'status' | 'stationStatus' | 'detail' | 'transactionId' | 'endedAt'>>,
): Promise<ReservationRow | undefined> {
  const [row] = await db
    .update(reservations)
    .set(changes)
    .where(and(eq(reservations.id, id), inArray(reservations.status, [...from])))
    .returning();
  return row;
}

export async function getReservation(db: Executor, id: number): Promise<ReservationRow | undefined> {
  const [row] = await db.select().from(reservations).where(eq(reservations.id, id));
  return row;
}

/**
 * Reservations at `tenantId`'s stations (a reservation belongs to its station's tenant), newest
 * first; a ?stationId of another tenant simply matches none.
 */
export async function listReservations(
  db: Executor,
  tenantId: number,
  filter: { stationId?: string | undefined; status?: ReservationStatus | undefined; limit: number },
): Promise<ReservationRow[]> {
  const where: SQL[] = [atTenantStation(reservations.stationId, tenantId)];
  if (filter.stationId !== undefined) where.push(eq(reservations.stationId, filter.stationId));
  if (filter.status !== undefined) where.push(eq(reservations.status, filter.status));
  return db
    .select()
    .from(reservations)
    .where(and(...where))
    .orderBy(desc(reservations.id))
    .limit(filter.limit);
}

/** Whether anyone ever reserved at the station (whatever became of it). */
export async function stationHasReservations(db: Executor, stationId: string): Promise<boolean> {
  const [row] = await db.select({ id: reservations.id }).from(reservations).where(eq(reservations.stationId, stationId)).limit(1);
  return row !== undefined;
}

/** Active reservations whose expiry has passed become expired; returns them. */
export async function expireDue(db: Executor, now: Date): Promise<ReservationRow[]> {
  return db
    .update(reservations)
    .set({ status: 'expired', endedAt: now })
    .where(and(eq(reservations.status, 'active'), lte(reservations.expiryDate, now)))
    .returning();
}

/**
 * The station started a transaction on a reservation: it is used. One already marked expired
 * counts too when the start was before its expiry (a start queued while the station was offline).
 */
export async function consumeReservation(
  db: Executor,
  use: { reservationId: number; stationId: string; transactionId: number; startedAt: Date },
  at: Date,
): Promise<ReservationRow | undefined> {
  const [row] = await db
    .update(reservations)
    .set({ status: 'used', transactionId: use.transactionId, endedAt: at })
    .where(
      and(
        eq(reservations.id, use.reservationId),
        eq(reservations.stationId, use.stationId),
        or(eq(reservations.status, 'active'), and(eq(reservations.status, 'expired'), gte(reservations.expiryDate, use.startedAt))),
      ),
    )
    .returning();
  return row;
}

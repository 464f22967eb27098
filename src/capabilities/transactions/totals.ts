// Sums over sessions for summaries (the dashboard's overview): how many started in a period and
// the energy of those that have stopped. Running sessions' energy so far comes from their live
// readings (live-reading.ts), since they have no meterStop yet.

import { and, count, gte, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { transactions } from './tables.js';
import { atTenantStation } from '../stations/station-store.js';

export interface SessionTotals {
  started: number;
  /** Energy of the sessions that started since then and have stopped. */
  stoppedEnergyWh: number;
}

/** A tenant's totals (the sessions at its stations). */
export async function sessionTotalsSince(db: Executor, tenantId: number, since: Date): Promise<SessionTotals> {
  const mine = atTenantStation(transactions.stationId, tenantId);
  const [started] = await db.select({ value: count() }).from(transactions).where(and(mine, gte(transactions.startedAt, since)));
  const [energy] = await db
    .select({ value: sql<number | null>`sum(${transactions.energyWh})` })
    .from(transactions)
    .where(and(mine, gte(transactions.startedAt, since), isNotNull(transactions.stoppedAt)));
  return { started: started?.value ?? 0, stoppedEnergyWh: Number(energy?.value ?? 0) };
}

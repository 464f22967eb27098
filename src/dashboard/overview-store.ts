// The overview's reads of sessions, for one tenant: a session belongs to its station's tenant,
// so both join stations. (The transactions capability's own list and totals read every tenant's
// sessions; the overview must not, and its running-session cap must count only the tenant's.)

import { and, count, desc, eq, gte, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../storage/database.js';
import { stations } from '../capabilities/stations/tables.js';
import { transactions } from '../capabilities/transactions/tables.js';
import type { TransactionRow } from '../capabilities/transactions/transaction-store.js';
import type { SessionTotals } from '../capabilities/transactions/totals.js';

const ofTenant = (tenantId: number) => eq(stations.tenantId, tenantId);

/** The tenant's running sessions, newest first, at most `limit`. */
export async function runningSessionsOf(db: Executor, tenantId: number, limit: number): Promise<TransactionRow[]> {
  const rows = await db
    .select({ session: transactions })
    .from(transactions)
    .innerJoin(stations, eq(stations.id, transactions.stationId))
    .where(and(ofTenant(tenantId), isNull(transactions.stoppedAt)))
    .orderBy(desc(transactions.startedAt), desc(transactions.id))
    .limit(limit);
  return rows.map((row) => row.session);
}

/** How many of the tenant's sessions started since `since`, and the energy of those that stopped. */
export async function sessionTotalsOf(db: Executor, tenantId: number, since: Date): Promise<SessionTotals> {
  const [row] = await db
    .select({
      started: count(),
      stoppedEnergyWh: sql<number | null>`sum(${transactions.energyWh}) filter (where ${isNotNull(transactions.stoppedAt)})`,
    })
    .from(transactions)
    .innerJoin(stations, eq(stations.id, transactions.stationId))
    .where(and(ofTenant(tenantId), gte(transactions.startedAt, since)));
  return { started: Number(row?.started ?? 0), stoppedEnergyWh: Number(row?.stoppedEnergyWh ?? 0) };
}

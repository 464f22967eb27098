// Reads and writes of the invoicing tables. Documents are only ever inserted.

import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { billableSessions, invoiceCustomers, invoices, type BillingMode, type DocumentKind } from './tables.js';

export type InvoiceRow = typeof invoices.$inferSelect;
export type NewInvoice = typeof invoices.$inferInsert;
export type BillableRow = typeof billableSessions.$inferSelect;
export type NewBillable = typeof billableSessions.$inferInsert;

export async function insertInvoice(db: Executor, values: NewInvoice): Promise<InvoiceRow> {
  const [row] = await db.insert(invoices).values(values).returning();
  return row!;
}

export async function getInvoice(db: Executor, id: number): Promise<InvoiceRow | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return undefined;
  const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
  return row;
}

/** The document row locked until the transaction ends (a row lock, not a change: the trigger stays quiet). */
export async function lockInvoice(db: Executor, id: number): Promise<InvoiceRow | undefined> {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, id)).for('update');
  return row;
}

export async function creditNotesOf(db: Executor, id: number): Promise<InvoiceRow[]> {
  return db.select().from(invoices).where(eq(invoices.creditedInvoiceId, id)).orderBy(asc(invoices.id));
}

export interface InvoiceFilter {
  /** The caller's tenant: only its documents. */
  tenantId: number;
  kind?: DocumentKind | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  customer?: string | undefined;
  limit: number;
  offset: number;
}

export async function listInvoices(db: Executor, filter: InvoiceFilter): Promise<InvoiceRow[]> {
  const where: SQL[] = [eq(invoices.tenantId, filter.tenantId)];
  if (filter.kind) where.push(eq(invoices.kind, filter.kind));
  if (filter.from) where.push(gte(invoices.issuedAt, filter.from));
  if (filter.to) where.push(lt(invoices.issuedAt, filter.to));
  if (filter.customer) where.push(eq(sql`lower(${invoices.customer})`, filter.customer.toLowerCase()));
  return db
    .select()
    .from(invoices)
    .where(and(...where))
    .orderBy(desc(invoices.issuedAt), desc(invoices.id))
    .limit(filter.limit)
    .offset(filter.offset);
}

/** Records or refreshes a paid session; a session already billed keeps its snapshot. Returns the row while unbilled. */
export async function upsertBillable(db: Executor, row: NewBillable): Promise<BillableRow | undefined> {
  const { transactionId: _key, ...changes } = row;
  const [stored] = await db
    .insert(billableSessions)
    .values(row)
    .onConflictDoUpdate({ target: billableSessions.transactionId, set: changes, setWhere: isNull(billableSessions.invoiceId) })
    .returning();
  return stored;
}

/** Which of these sessions are queued or billed already. */
export async function knownBillable(db: Executor, transactionIds: number[]): Promise<Set<number>> {
  if (transactionIds.length === 0) return new Set();
  const rows = await db.select({ id: billableSessions.transactionId }).from(billableSessions).where(inArray(billableSessions.transactionId, transactionIds));
  return new Set(rows.map((row) => row.id));
}

/** A session re-rated as free or internal leaves the queue, unless it was billed already. */
export async function dropUnbilled(db: Executor, transactionId: number): Promise<void> {
  await db.delete(billableSessions).where(and(eq(billableSessions.transactionId, transactionId), isNull(billableSessions.invoiceId)));
}

export async function getBillable(db: Executor, transactionId: number): Promise<BillableRow | undefined> {
  const [row] = await db.select().from(billableSessions).where(eq(billableSessions.transactionId, transactionId));
  return row;
}

/** Unbilled sessions locked for billing; a concurrent biller waits, then finds them billed. */
export async function lockUnbilled(
  db: Executor,
  where: { transactionId?: number; tenantId?: number; customer?: string; currency?: string; billing: BillingMode; before?: Date },
): Promise<BillableRow[]> {
  const conditions: SQL[] = [isNull(billableSessions.invoiceId), eq(billableSessions.billing, where.billing)];
  if (where.tenantId !== undefined) conditions.push(eq(billableSessions.tenantId, where.tenantId));
  if (where.transactionId !== undefined) conditions.push(eq(billableSessions.transactionId, where.transactionId));
  if (where.customer !== undefined) conditions.push(eq(sql`lower(${billableSessions.customer})`, where.customer.toLowerCase()));
  if (where.currency !== undefined) conditions.push(eq(sql`${billableSessions.cost}->>'currency'`, where.currency));
  if (where.before !== undefined) conditions.push(lt(billableSessions.stoppedAt, where.before));
  return db
    .select()
    .from(billableSessions)
    .where(and(...conditions))
    .orderBy(asc(billableSessions.stoppedAt), asc(billableSessions.transactionId))
    .for('update');
}

export interface MonthlyAccount {
  tenantId: number;
  customer: string;
  currency: string;
}

/**
 * The accounts (tenant, customer, currency) with unbilled monthly sessions that stopped before
 * `before`; only `tenantId`'s when given. One customer tag in two tenants' sessions is two
 * accounts: each tenant bills its own stations' sessions.
 */
export async function unbilledMonthlyAccounts(db: Executor, before: Date, tenantId?: number): Promise<MonthlyAccount[]> {
  const conditions: SQL[] = [isNull(billableSessions.invoiceId), eq(billableSessions.billing, 'monthly'), lt(billableSessions.stoppedAt, before)];
  if (tenantId !== undefined) conditions.push(eq(billableSessions.tenantId, tenantId));
  return db
    .selectDistinct({
      tenantId: billableSessions.tenantId,
      customer: sql<string>`lower(${billableSessions.customer})`,
      currency: sql<string>`${billableSessions.cost}->>'currency'`,
    })
    .from(billableSessions)
    .where(and(...conditions))
    .orderBy(sql`1`, sql`2`, sql`3`);
}

/** Receipts still to issue (after a crash or a failed attempt). */
export async function pendingReceipts(db: Executor, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: billableSessions.transactionId })
    .from(billableSessions)
    .where(and(isNull(billableSessions.invoiceId), eq(billableSessions.billing, 'receipt')))
    .orderBy(asc(billableSessions.stoppedAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function markBilled(db: Executor, transactionIds: number[], invoiceId: number): Promise<void> {
  if (transactionIds.length > 0) await db.update(billableSessions).set({ invoiceId }).where(inArray(billableSessions.transactionId, transactionIds));
}

/** The session ids each of these documents bills (credit notes bill none). */
export async function sessionsBilledBy(db: Executor, invoiceIds: number[]): Promise<Map<number, number[]>> {
  const billed = new Map<number, number[]>(invoiceIds.map((id) => [id, []]));
  if (invoiceIds.length === 0) return billed;
  const rows = await db
    .select({ id: billableSessions.transactionId, invoiceId: billableSessions.invoiceId })
    .from(billableSessions)
    .where(inArray(billableSessions.invoiceId, invoiceIds))
    .orderBy(asc(billableSessions.transactionId));
  for (const row of rows) billed.get(row.invoiceId!)!.push(row.id);
  return billed;
}

export async function customerBilling(db: Executor, tenantId: number, customer: string): Promise<BillingMode | undefined> {
  const [row] = await db
    .select()
    .from(invoiceCustomers)
    .where(and(eq(invoiceCustomers.tenantId, tenantId), eq(invoiceCustomers.customer, customer.toLowerCase())));
  return row?.billing;
}

export async function setCustomerBilling(db: Executor, tenantId: number, customer: string, billing: BillingMode): Promise<void> {
  await db
    .insert(invoiceCustomers)
    .values({ tenantId, customer: customer.toLowerCase(), billing })
    .onConflictDoUpdate({ target: [invoiceCustomers.tenantId, invoiceCustomers.customer], set: { billing, updatedAt: sql`now()` } });
}

export function listCustomerBillings(db: Executor, tenantId: number): Promise<(typeof invoiceCustomers.$inferSelect)[]> {
  return db.select().from(invoiceCustomers).where(eq(invoiceCustomers.tenantId, tenantId)).orderBy(asc(invoiceCustomers.customer));
}

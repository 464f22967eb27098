// Issuing documents. Each is written in one database transaction with its gap-free number and
// the marks on the sessions it bills, so a failure leaves neither a number nor a billed session.
//   - a rated paid session is queued (billable_sessions); a receipt customer gets its receipt now
//   - the monthly run invoices each monthly customer's queued sessions, one invoice per currency
//   - a credit note corrects a document, whole or in part

import { DateTime } from 'luxon';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Database, Executor, Transaction } from '../../storage/database.js';
import { ratedSessionPages } from '../transactions/rated-sessions.js';
import { getTransaction } from '../transactions/transaction-store.js';
import { billingOf, buyerOf, customerOf } from './customer.js';
import {
  creditNotesOf,
  dropUnbilled,
  getBillable,
  insertInvoice,
  knownBillable,
  lockInvoice,
  lockUnbilled,
  markBilled,
  unbilledMonthlyAccounts,
  upsertBillable,
  type BillableRow,
  type InvoiceRow,
} from './invoice-store.js';
import { CreditError, creditLines, creditedSoFar, sessionLines, totalsOf, type CreditRequest } from './lines.js';
import { unitsText } from './money.js';
import { allocateNumber } from './numbering.js';
import type { DocumentKind, InvoiceLine, Party } from './tables.js';
import { stationTenant } from '../tenants/owners.js';
import { PLATFORM_TENANT_ID } from '../tenants/tables.js';
import { getTenant, type TenantRow } from '../tenants/tenant-store.js';

export interface InvoicingDeps {
  db: Database;
  clock: Clock;
  config: Config['invoicing'];
  log: Logger;
}

export { CreditError };

interface Draft {
  tenantId: number;
  kind: DocumentKind;
  customer: string;
  buyer: Party;
  seller: Party;
  currency: string;
  lines: InvoiceLine[];
  period?: string;
  creditedInvoiceId?: number;
  reason?: string;
}

/**
 * The seller on a tenant's documents: the platform tenant keeps the INVOICE_SELLER_* settings
 * (as before tenants existed); any other tenant sells in its own name, from its tenants row.
 */
export function sellerOf(config: Config['invoicing'], tenant: Pick<TenantRow, 'id' | 'name' | 'invoiceAddress' | 'vatId'>): Party {
  if (tenant.id === PLATFORM_TENANT_ID) return { name: config.sellerName, address: config.sellerAddress ?? null, vatId: config.sellerVatId ?? null };
  return { name: tenant.name, address: tenant.invoiceAddress, vatId: tenant.vatId };
}

async function sellerOfTenant(db: Executor, config: Config['invoicing'], tenantId: number): Promise<Party> {
  const tenant = await getTenant(db, tenantId);
  if (!tenant) throw new Error(`tenant ${tenantId} does not exist`); // the foreign key makes this unreachable
  return sellerOf(config, tenant);
}

async function write(tx: Transaction, deps: InvoicingDeps, draft: Draft): Promise<InvoiceRow> {
  const totals = totalsOf(draft.lines);
  const { number, issuedAt } = await allocateNumber(tx, draft.tenantId, draft.kind, deps.config.timeZone, () => deps.clock.now());
  return insertInvoice(tx, {
    ...draft,
    number,
    issuedAt,
    totalExclTax: unitsText(totals.totalExclTax),
    totalTax: unitsText(totals.totalTax),
    total: unitsText(totals.total),
    vatSummary: totals.vatSummary,
  });
}

const asBilled = (row: BillableRow) => ({ transactionId: row.transactionId, stationId: row.stationId, stoppedAt: row.stoppedAt, cost: row.cost });

async function billSessions(tx: Transaction, deps: InvoicingDeps, kind: 'receipt' | 'invoice', sessions: BillableRow[], period?: string): Promise<InvoiceRow> {
  const first = sessions[0]!;
  const document = await write(tx, deps, {
    tenantId: first.tenantId,
    kind,
    customer: first.customer,
    buyer: await buyerOf(tx, first.tenantId, first.customer),
    seller: await sellerOfTenant(tx, deps.config, first.tenantId),
    currency: first.cost.currency,
    lines: sessionLines(sessions.map(asBilled)),
    ...(period ? { period } : {}),
  });
  await markBilled(
    tx,
    sessions.map((session) => session.transactionId),
    document.id,
  );
  return document;
}

/** Issues the receipt of a queued receipt-customer session; undefined when it is billed already. */
export function issueReceipt(deps: InvoicingDeps, transactionId: number): Promise<InvoiceRow | undefined> {
  return deps.db.transaction(async (tx) => {
    const sessions = await lockUnbilled(tx, { transactionId, billing: 'receipt' });
    return sessions.length > 0 ? billSessions(tx, deps, 'receipt', sessions) : undefined;
  });
}

/**
 * Follows a session's rating: a finished paid session (cost.total > 0, not internal) is queued
 * for billing, and gets its receipt at once when its customer is billed per session. Rated again
 * before it is billed, its queued copy follows; once billed, its document stands (corrections are
 * credit notes).
 */
export async function sessionRated(deps: InvoicingDeps, transactionId: number): Promise<InvoiceRow | undefined> {
  const { db } = deps;
  const session = await getTransaction(db, transactionId);
  if (!session?.stoppedAt || !session.cost) return undefined;
  const billed = await getBillable(db, transactionId);
  if (billed?.invoiceId != null) {
    if (JSON.stringify(billed.cost) !== JSON.stringify(session.cost)) {
      deps.log.warn({ transactionId, invoiceId: billed.invoiceId }, 'a billed session was rated again; its document stands (issue a credit note to correct it)');
    }
    return undefined;
  }
  if (!isPaid(session.cost)) {
    await dropUnbilled(db, transactionId);
    return undefined;
  }
  const tenantId = await stationTenant(db, session.stationId);
  if (tenantId === undefined) throw new Error(`session ${transactionId} names station ${session.stationId}, which does not exist`);
  const customer = await customerOf(db, tenantId, session.idTag);
  const queued = await upsertBillable(db, {
    transactionId,
    tenantId,
    customer,
    idTag: session.idTag,
    stationId: session.stationId,
    stoppedAt: session.stoppedAt,
    cost: session.cost,
    billing: billed?.billing ?? (await billingOf(db, tenantId, customer)).billing,
  });
  return queued?.billing === 'receipt' ? issueReceipt(deps, transactionId) : undefined;
}

/** A paid rating: what invoicing bills. */
const isPaid = (cost: { total: number; internal: boolean }) => !cost.internal && cost.total > 0;

/**
 * Catches up on session.rated events that never reached us: paid sessions rated and stopped
 * since `since` that are neither queued nor billed go the same way as a rating. Returns how many.
 */
export async function catchUpRatings(deps: InvoicingDeps, since: Date, pageSize = 500): Promise<number> {
  let caught = 0;
  for await (const page of ratedSessionPages(deps.db, since, pageSize)) {
    const paid = page.filter((session) => isPaid(session.cost)).map((session) => session.id);
    const known = await knownBillable(deps.db, paid);
    for (const id of paid.filter((one) => !known.has(one))) {
      await sessionRated(deps, id);
      caught++;
    }
  }
  return caught;
}

/** The first instant of a month (yyyy-MM) and of the next, in the invoicing time zone. */
export function monthBounds(month: string, timeZone: string): { start: Date; end: Date } {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: timeZone });
  if (!start.isValid) throw new RangeError(`"${month}" is not a month (yyyy-MM)`);
  return { start: start.toJSDate(), end: start.plus({ months: 1 }).toJSDate() };
}

/** The month before the one `at` falls in, in the invoicing time zone (yyyy-MM). */
export const previousMonth = (at: Date, timeZone: string): string =>
  DateTime.fromJSDate(at, { zone: timeZone }).minus({ months: 1 }).toFormat('yyyy-MM');

/**
 * Invoices every monthly customer's sessions that stopped before the end of `month` and are on
 * no invoice yet (late-rated ones of earlier months included), one invoice per tenant, customer
 * and currency; only `tenantId`'s customers when given (the API), every tenant's otherwise (the
 * scheduled run). Idempotent: a second run finds nothing left to bill.
 */
export async function runMonthly(deps: InvoicingDeps, month: string, tenantId?: number): Promise<InvoiceRow[]> {
  const { end } = monthBounds(month, deps.config.timeZone);
  const issued: InvoiceRow[] = [];
  for (const account of await unbilledMonthlyAccounts(deps.db, end, tenantId)) {
    const document = await deps.db.transaction(async (tx) => {
      const sessions = await lockUnbilled(tx, { ...account, billing: 'monthly', before: end });
      return sessions.length > 0 ? billSessions(tx, deps, 'invoice', sessions, month) : undefined;
    });
    if (document) issued.push(document);
  }
  return issued;
}

/**
 * A credit note for a receipt or invoice: the named lines (all when none are named), whole or a
 * part of their quantity. A line is never credited beyond its total, across all credit notes.
 * Returns undefined when the document does not exist.
 */
export function issueCreditNote(
  deps: InvoicingDeps,
  invoiceId: number,
  reason: string,
  requests: CreditRequest[] | undefined,
): Promise<InvoiceRow | undefined> {
  return deps.db.transaction(async (tx) => {
    // The lock makes concurrent credit notes of one document see each other.
    const original = await lockInvoice(tx, invoiceId);
    if (!original) return undefined;
    if (original.kind === 'credit_note') throw new CreditError(`${original.number} is a credit note; credit the original document instead`);
    const earlier = await creditNotesOf(tx, invoiceId);
    const lines = creditLines(
      original.lines,
      requests ?? original.lines.map((line) => ({ line: line.position })),
      original.currency,
      creditedSoFar(earlier.map((note) => note.lines)),
    );
    if (lines.length === 0) throw new CreditError('Name at least one line to credit');
    return write(tx, deps, {
      tenantId: original.tenantId,
      kind: 'credit_note',
      customer: original.customer,
      buyer: original.buyer,
      seller: original.seller,
      currency: original.currency,
      lines,
      creditedInvoiceId: original.id,
      reason,
    });
  });
}

// Tables owned by the invoicing capability: the issued documents (receipts, monthly invoices,
// credit notes; immutable once written), the gap-free number counters, the paid sessions waiting
// for or carrying their document, and each customer's billing setting.

import { sql } from 'drizzle-orm';
import { index, integer, jsonb, numeric, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import type { CostItem, SessionCost } from '../transactions/tables.js';
import { tenantColumn } from '../tenants/tables.js';

export const DOCUMENT_KINDS = ['receipt', 'invoice', 'credit_note'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** receipt: a receipt per paid session; monthly: the sessions go on the customer's monthly invoice. */
export const BILLING_MODES = ['receipt', 'monthly'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];

export interface Party {
  name: string;
  address: string | null;
  vatId: string | null;
  /** The buyer's customer id tag (the group's tag, or the card itself when it has no group). */
  idTag?: string;
}

/** One line of a document: a session's cost item, or for a credit note the credited part of an original line. */
export interface InvoiceLine {
  position: number;
  description: string;
  transactionId: number | null;
  stationId: string | null;
  /** When the session stopped. */
  sessionAt: string | null;
  type: CostItem['type'];
  quantity: number;
  unit: CostItem['unit'];
  unitPrice: number;
  vatPercent: number | null;
  totalExclTax: number;
  tax: number;
  total: number;
  /** Credit notes: the position of the original's line this one credits. */
  creditsLine?: number;
}

export interface VatSummaryRow {
  vatPercent: number | null;
  totalExclTax: number;
  tax: number;
  total: number;
}

const money = () => numeric({ precision: 18, scale: 4 });

/** Issued documents. Never updated or deleted: a database trigger refuses it (immutability.ts). */
export const invoices = pgTable(
  'invoices',
  {
    id: serial().primaryKey(),
    tenantId: tenantColumn(),
    kind: text({ enum: DOCUMENT_KINDS }).notNull(),
    /** e.g. R-2026-000001; gap-free per series and year (numbering.ts). */
    number: text().notNull(),
    issuedAt: instant().notNull(),
    /** The customer's id tag as given (a group's tag or a lone card); compared case-insensitively. */
    customer: text().notNull(),
    seller: jsonb().$type<Party>().notNull(),
    buyer: jsonb().$type<Party>().notNull(),
    currency: text().notNull(),
    /** Credit notes carry negative amounts. */
    totalExclTax: money().notNull(),
    totalTax: money().notNull(),
    total: money().notNull(),
    lines: jsonb().$type<InvoiceLine[]>().notNull(),
    vatSummary: jsonb().$type<VatSummaryRow[]>().notNull(),
    /** Monthly invoices: the month billed, e.g. 2026-10, in the invoicing time zone. */
    period: text(),
    /** Credit notes: the document corrected, and why. */
    creditedInvoiceId: integer(),
    reason: text(),
  },
  (t) => [
    uniqueIndex('invoices_number').on(t.tenantId, t.number),
    index('invoices_issued_at').on(t.issuedAt),
    index('invoices_customer').on(sql`lower(${t.customer})`),
    index('invoices_credited').on(t.creditedInvoiceId),
  ],
);

/** The last number given per series and year; its row lock makes numbering gap-free (numbering.ts). */
export const documentCounters = pgTable(
  'document_counters',
  {
    tenantId: tenantColumn(),
    series: text().notNull(),
    year: integer().notNull(),
    last: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.series, t.year] })],
);

/**
 * Paid sessions (cost.total > 0, not internal), written when a session is rated: a snapshot of
 * what is billed. invoiceId is set once, by the receipt or the monthly invoice that bills it, so a
 * session is never billed twice.
 */
export const billableSessions = pgTable(
  'billable_sessions',
  {
    transactionId: integer().primaryKey(),
    /** The station's tenant: the one that bills the session. */
    tenantId: tenantColumn(),
    customer: text().notNull(),
    idTag: text().notNull(),
    stationId: text().notNull(),
    stoppedAt: instant().notNull(),
    cost: jsonb().$type<SessionCost>().notNull(),
    /** How the customer was billed when the session was rated. */
    billing: text({ enum: BILLING_MODES }).notNull(),
    invoiceId: integer(),
    recordedAt: createdAt(),
  },
  (t) => [index('billable_sessions_open').on(t.billing, t.stoppedAt).where(sql`${t.invoiceId} is null`)],
);

/** A customer's billing setting; without a row the default applies (billing-mode.ts). */
export const invoiceCustomers = pgTable(
  'invoice_customers',
  {
    tenantId: tenantColumn(),
    /** The customer's id tag, lower case. */
    customer: text().notNull(),
    billing: text({ enum: BILLING_MODES }).notNull(),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customer] })],
);

// /api/v1/invoices: receipts, monthly invoices and credit notes, with their HTML and PDF
// renderings; the monthly run; credit notes. There is no update or delete: issued documents are
// immutable. /api/v1/invoice-customers: each customer's billing mode (receipts or monthly).

import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { badRequest, conflict, notFound } from '../../api/problem.js';
import { DateTime, Nullable } from '../../api/schema-types.js';
import { billingOf } from './customer.js';
import { getInvoice, listCustomerBillings, listInvoices, sessionsBilledBy, setCustomerBilling, type InvoiceRow } from './invoice-store.js';
import { CreditError, issueCreditNote, monthBounds, runMonthly, type InvoicingDeps } from './issue.js';
import { renderHtml } from './render-html.js';
import { renderPdf } from './render-pdf.js';
import { BILLING_MODES, DOCUMENT_KINDS, type InvoiceLine } from './tables.js';
import { tenantOf } from '../../api/tenant-scope.js';

const Amount = Type.Number({ description: 'Decimal currency units; negative on credit notes' });
const Party = Type.Object({
  name: Type.String(),
  address: Nullable(Type.String()),
  vatId: Nullable(Type.String()),
  idTag: Type.Optional(Type.String({ description: 'The customer: the group’s id tag, or the card itself when it has no group' })),
});
const Line = Type.Object({
  position: Type.Integer(),
  description: Type.String(),
  transactionId: Nullable(Type.Integer()),
  stationId: Nullable(Type.String()),
  sessionAt: Nullable(DateTime),
  type: Type.String({ description: 'The OCPI price component: ENERGY, TIME, PARKING_TIME or FLAT' }),
  quantity: Type.Number(),
  unit: Type.String(),
  unitPrice: Type.Number({ description: 'Excluding VAT' }),
  vatPercent: Nullable(Type.Number()),
  totalExclTax: Amount,
  tax: Amount,
  total: Amount,
  creditsLine: Type.Optional(Type.Integer({ description: 'Credit notes: the line of the original document this one credits' })),
});
const VatRate = Type.Object({ vatPercent: Nullable(Type.Number()), totalExclTax: Amount, tax: Amount, total: Amount });
const Kind = Type.Enum(DOCUMENT_KINDS);
const Invoice = Type.Object({
  id: Type.Integer(),
  kind: Kind,
  number: Type.String({ description: 'Gap-free per series and year: R-2026-000001 receipts, INV-… invoices, CN-… credit notes' }),
  issuedAt: DateTime,
  customer: Type.String(),
  seller: Party,
  buyer: Party,
  currency: Type.String(),
  totalExclTax: Amount,
  totalTax: Amount,
  total: Amount,
  vatSummary: Type.Array(VatRate),
  lines: Type.Array(Line),
  period: Nullable(Type.String({ description: 'Monthly invoices: the month billed (yyyy-MM)' })),
  creditedInvoiceId: Nullable(Type.Integer()),
  reason: Nullable(Type.String()),
  sessionIds: Type.Array(Type.Integer(), { description: 'The sessions this document bills' }),
  links: Type.Object({ self: Type.String(), html: Type.String(), pdf: Type.String() }),
});
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const ListQuery = Type.Object({
  kind: Type.Optional(Kind),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
  customer: Type.Optional(Type.String({ description: 'The customer’s id tag (case-insensitive)' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});
const CreditBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            line: Type.Integer({ minimum: 1, description: 'The original’s line position' }),
            quantity: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Part of the line’s quantity; the whole line when omitted' })),
          },
          { additionalProperties: false },
        ),
        { minItems: 1 },
      ),
    ),
  },
  { additionalProperties: false },
);
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'yyyy-MM, in INVOICE_TIME_ZONE' });
const Billing = Type.Enum(BILLING_MODES, { description: 'receipt: a receipt per paid session; monthly: one invoice a month' });
const CustomerBilling = Type.Object({ customer: Type.String(), billing: Billing, explicit: Type.Boolean({ description: 'false: the default applies' }) });
const CustomerParams = Type.Object({ idTag: Type.String({ minLength: 1, maxLength: 20 }) });

type InvoiceJson = Static<typeof Invoice>;

function invoiceJson(row: InvoiceRow, sessionIds: number[]): InvoiceJson {
  const self = `/api/v1/invoices/${row.id}`;
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    issuedAt: row.issuedAt.toISOString(),
    customer: row.customer,
    seller: row.seller,
    buyer: row.buyer,
    currency: row.currency,
    totalExclTax: Number(row.totalExclTax),
    totalTax: Number(row.totalTax),
    total: Number(row.total),
    vatSummary: row.vatSummary,
    lines: row.lines as (InvoiceLine & { sessionAt: string | null })[],
    period: row.period,
    creditedInvoiceId: row.creditedInvoiceId,
    reason: row.reason,
    sessionIds,
    links: { self, html: `${self}.html`, pdf: `${self}.pdf` },
  };
}

export async function invoiceRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock, config, log } = deps.services;
  const invoicing: InvoicingDeps = { db, clock, config: config.invoicing, log };
  const timeZone = config.invoicing.timeZone;

  async function existing(id: number): Promise<InvoiceRow> {
    const row = await getInvoice(db, id);
    if (!row) throw notFound(`No invoice ${id}`);
    return row;
  }
  /** Documents as JSON, with the sessions they bill (one query for all). */
  async function documentsJson(rows: InvoiceRow[]): Promise<InvoiceJson[]> {
    const billed = await sessionsBilledBy(db, rows.map((row) => row.id));
    return rows.map((row) => invoiceJson(row, billed.get(row.id) ?? []));
  }
  const oneJson = async (row: InvoiceRow) => (await documentsJson([row]))[0]!;
  const creditedNumber = async (row: InvoiceRow) => (row.creditedInvoiceId ? (await getInvoice(db, row.creditedInvoiceId))?.number : undefined);

  app.get(
    '/invoices',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Receipts, invoices and credit notes, newest first (from/to: issue time, to excluded)',
        querystring: ListQuery,
        response: { 200: Type.Array(Invoice) },
      },
    },
    async (request) => {
      const query = request.query;
      const rows = await listInvoices(db, {
        tenantId: tenantOf(request),
        kind: query.kind,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        customer: query.customer,
        limit: query.limit,
        offset: query.offset,
      });
      return documentsJson(rows);
    },
  );

  app.get('/invoices/:id', { schema: { tags: ['invoices'], summary: 'One document', params: Id, response: { 200: Invoice } } }, async (request) =>
    oneJson(await existing(request.params.id)),
  );

  app.get(
    '/invoices/:id.html',
    { schema: { tags: ['invoices'], summary: 'The document as a printable HTML page', params: Id, produces: ['text/html'] } },
    async (request, reply) => {
      const row = await existing(request.params.id);
      return reply.type('text/html; charset=utf-8').send(renderHtml(row, timeZone, await creditedNumber(row)));
    },
  );

  app.get(
    '/invoices/:id.pdf',
    { schema: { tags: ['invoices'], summary: 'The document as a PDF (A4)', params: Id, produces: ['application/pdf'] } },
    async (request, reply) => {
      const row = await existing(request.params.id);
      const pdf = await renderPdf(row, timeZone, await creditedNumber(row));
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${row.number}.pdf"`).send(pdf);
    },
  );

  app.post(
    '/invoices/:id/credit-note',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Correct a receipt or invoice with a credit note (all lines, or the named lines whole or in part)',
        params: Id,
        body: CreditBody,
        response: { 201: Invoice },
      },
    },
    async (request, reply) => {
      try {
        const note = await issueCreditNote(invoicing, request.params.id, request.body.reason, request.body.lines);
        if (!note) throw notFound(`No invoice ${request.params.id}`);
        return reply.code(201).send(await oneJson(note));
      } catch (error) {
        if (error instanceof CreditError) throw conflict(error.message);
        throw error;
      }
    },
  );

  app.post(
    '/invoices/run-monthly',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Invoice your monthly customers’ sessions up to the end of a month (idempotent; also run for every tenant on the 1st of each month)',
        body: Type.Object({ month: Month }, { additionalProperties: false }),
        response: { 200: Type.Object({ month: Type.String(), issued: Type.Array(Invoice) }) },
      },
    },
    async (request) => {
      const { month } = request.body;
      if (monthBounds(month, timeZone).end > clock.now()) throw badRequest(`Month ${month} has not ended yet (in ${timeZone})`, { field: '/month' });
      // The caller's customers only; the scheduled run on the 1st bills every tenant's.
      const issued = await runMonthly(invoicing, month, tenantOf(request));
      return { month, issued: await documentsJson(issued) };
    },
  );

  app.get(
    '/invoice-customers',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Customers whose billing mode was set (others follow the default: groups monthly, lone cards receipts)',
        response: { 200: Type.Array(CustomerBilling) },
      },
    },
    async (request) => (await listCustomerBillings(db, tenantOf(request))).map((row) => ({ customer: row.customer, billing: row.billing, explicit: true })),
  );

  app.get(
    '/invoice-customers/:idTag',
    { schema: { tags: ['invoices'], summary: 'How a customer is billed', params: CustomerParams, response: { 200: CustomerBilling } } },
    async (request) => ({ customer: request.params.idTag, ...(await billingOf(db, tenantOf(request), request.params.idTag)) }),
  );

  app.put(
    '/invoice-customers/:idTag',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Set how a customer is billed; applies to sessions rated from now on',
        params: CustomerParams,
        body: Type.Object({ billing: Billing }, { additionalProperties: false }),
        response: { 200: CustomerBilling },
      },
    },
    async (request) => {
      await setCustomerBilling(db, tenantOf(request), request.params.idTag, request.body.billing);
      return { customer: request.params.idTag, billing: request.body.billing, explicit: true };
    },
  );
}

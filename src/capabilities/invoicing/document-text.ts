// The words and figures a document shows, shared by the HTML and the PDF rendering so both say
// exactly the same: titles, dates in the invoicing time zone, amounts in the currency's minor unit.

import { DateTime } from 'luxon';
import { minorDigits } from './money.js';
import type { InvoiceRow } from './invoice-store.js';
import type { DocumentKind, InvoiceLine, Party } from './tables.js';

export const TITLES: Record<DocumentKind, string> = { receipt: 'Receipt', invoice: 'Invoice', credit_note: 'Credit note' };

export function amountText(amount: number | string, currency: string): string {
  const digits = minorDigits(currency);
  return Number(amount).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true });
}

/** Unit prices keep up to four decimals (e.g. 0.3456 per kWh). */
export const unitPriceText = (price: number, currency: string) =>
  price.toLocaleString('en-US', { minimumFractionDigits: minorDigits(currency), maximumFractionDigits: 4 });

export const quantityText = (line: InvoiceLine) => `${line.quantity.toLocaleString('en-US', { maximumFractionDigits: 4 })} ${line.unit}`;

export const vatText = (vatPercent: number | null) => (vatPercent === null ? 'no VAT' : `${vatPercent}%`);

export const dateText = (at: Date | string, timeZone: string) =>
  DateTime.fromJSDate(typeof at === 'string' ? new Date(at) : at, { zone: timeZone }).toFormat('yyyy-MM-dd');

export const partyLines = (party: Party): string[] =>
  [party.name, ...(party.address ? party.address.split('\n') : []), ...(party.vatId ? [`VAT ID: ${party.vatId}`] : []), ...(party.idTag && party.idTag !== party.name ? [`Customer: ${party.idTag}`] : [])];

export interface DocumentFacts {
  label: string;
  value: string;
}

/** Number, date, period, the corrected document: the facts under the title. */
export function documentFacts(row: InvoiceRow, timeZone: string, creditedNumber: string | undefined): DocumentFacts[] {
  return [
    { label: 'Number', value: row.number },
    { label: 'Date', value: dateText(row.issuedAt, timeZone) },
    ...(row.period ? [{ label: 'Period', value: row.period }] : []),
    { label: 'Currency', value: row.currency },
    ...(creditedNumber ? [{ label: 'Corrects', value: creditedNumber }] : []),
    ...(row.reason ? [{ label: 'Reason', value: row.reason }] : []),
  ];
}

// What a document says, as pure functions: its lines copied from the sessions' cost items, the
// VAT summary (one row per rate) and the totals; for a credit note, the credited part of the
// original's lines. All sums are exact (money.ts).

import type { CostItem, SessionCost } from '../transactions/tables.js';
import { fromUnits, roundToMinor, toUnits } from './money.js';
import type { InvoiceLine, VatSummaryRow } from './tables.js';

export interface BilledSession {
  transactionId: number;
  stationId: string;
  stoppedAt: Date;
  cost: SessionCost;
}

const ITEM_NAMES: Record<CostItem['type'], string> = {
  ENERGY: 'Energy',
  TIME: 'Charging time',
  PARKING_TIME: 'Idle time',
  FLAT: 'Session fee',
};

/** The lines of a receipt or invoice: every cost item of every session, in session order. */
export function sessionLines(sessions: readonly BilledSession[]): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  for (const session of sessions) {
    for (const item of session.cost.items) {
      lines.push({
        position: lines.length + 1,
        description: `${ITEM_NAMES[item.type] ?? item.type}, session ${session.transactionId} at ${session.stationId}`,
        transactionId: session.transactionId,
        stationId: session.stationId,
        sessionAt: session.stoppedAt.toISOString(),
        type: item.type,
        quantity: item.quantity,
        unit: item.unit,
        unitPrice: item.unitPrice,
        vatPercent: item.vatPercent,
        totalExclTax: item.totalExclTax,
        tax: fromUnits(toUnits(item.total) - toUnits(item.totalExclTax)),
        total: item.total,
      });
    }
  }
  return lines;
}

export interface Totals {
  /** Whole ten-thousandths. */
  totalExclTax: number;
  totalTax: number;
  total: number;
  vatSummary: VatSummaryRow[];
}

export function totalsOf(lines: readonly InvoiceLine[]): Totals {
  const byRate = new Map<number | null, { excl: number; tax: number; total: number }>();
  for (const line of lines) {
    const rate = byRate.get(line.vatPercent) ?? { excl: 0, tax: 0, total: 0 };
    rate.excl += toUnits(line.totalExclTax);
    rate.tax += toUnits(line.tax);
    rate.total += toUnits(line.total);
    byRate.set(line.vatPercent, rate);
  }
  const vatSummary = [...byRate.entries()]
    .sort(([a], [b]) => (a ?? -1) - (b ?? -1))
    .map(([vatPercent, sums]) => ({ vatPercent, totalExclTax: fromUnits(sums.excl), tax: fromUnits(sums.tax), total: fromUnits(sums.total) }));
  const sum = (pick: (row: { excl: number; tax: number; total: number }) => number) => [...byRate.values()].reduce((all, row) => all + pick(row), 0);
  return { totalExclTax: sum((row) => row.excl), totalTax: sum((row) => row.tax), total: sum((row) => row.total), vatSummary };
}

export interface CreditRequest {
  /** The original's line position. */
  line: number;
  /** Part of the line's quantity to credit; the whole line when omitted. */
  quantity?: number | undefined;
}

export class CreditError extends Error {}

/**
 * The lines of a credit note: negative amounts. A partial quantity credits the line's amounts in
 * proportion, each rounded half away from zero to the currency's minor unit. `alreadyCredited`
 * (whole ten-thousandths incl. tax, positive, by original position) keeps the credited total of a
 * line within its own total.
 */
export function creditLines(
  original: readonly InvoiceLine[],
  requests: readonly CreditRequest[],
  currency: string,
  alreadyCredited: ReadonlyMap<number, number>,
): InvoiceLine[] {
  const seen = new Set<number>();
  return requests.map((request, index) => {
    const line = original.find((candidate) => candidate.position === request.line);
    if (!line) throw new CreditError(`The document has no line ${request.line}`);
    if (seen.has(request.line)) throw new CreditError(`Line ${request.line} is named twice`);
    seen.add(request.line);
    const full = request.quantity === undefined || request.quantity === line.quantity;
    if (!full && (request.quantity! <= 0 || request.quantity! > line.quantity)) {
      throw new CreditError(`Line ${request.line}: quantity must be above 0 and at most ${line.quantity}`);
    }
    const share = (amount: number) => (full ? toUnits(amount) : roundToMinor((toUnits(amount) * request.quantity!) / line.quantity, currency));
    const excl = share(line.totalExclTax);
    const total = share(line.total);
    const credited = alreadyCredited.get(line.position) ?? 0;
    if (credited + Math.abs(total) > Math.abs(toUnits(line.total))) {
      throw new CreditError(`Line ${request.line} has ${fromUnits(credited)} ${currency} of its ${line.total} ${currency} credited already`);
    }
    return {
      ...line,
      position: index + 1,
      description: `Credit: ${line.description}`,
      quantity: full ? line.quantity : request.quantity!,
      totalExclTax: fromUnits(-excl),
      tax: fromUnits(-(total - excl)),
      total: fromUnits(-total),
      creditsLine: line.position,
    };
  });
}

/** Whole ten-thousandths incl. tax credited so far per original line position, from earlier credit notes' lines. */
export function creditedSoFar(creditNotes: readonly (readonly InvoiceLine[])[]): Map<number, number> {
  const credited = new Map<number, number>();
  for (const line of creditNotes.flat()) {
    if (line.creditsLine !== undefined) credited.set(line.creditsLine, (credited.get(line.creditsLine) ?? 0) + Math.abs(toUnits(line.total)));
  }
  return credited;
}

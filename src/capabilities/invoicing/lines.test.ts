import { describe, expect, it } from 'vitest';
import { CreditError, creditLines, creditedSoFar, sessionLines, totalsOf } from './lines.js';
import { roundToMinor, toUnits, unitsText } from './money.js';
import type { CostItem } from '../transactions/tables.js';

const energy = (quantity: number, excl: number, total: number, vat: number | null = 19): CostItem => ({
  type: 'ENERGY',
  quantity,
  unit: 'kWh',
  unitPrice: 0.1,
  vatPercent: vat,
  totalExclTax: excl,
  total,
});
const session = (id: number, items: CostItem[]) => ({ transactionId: id, stationId: 'CP', stoppedAt: new Date('2026-10-05T10:00:00Z'), cost: { currency: 'EUR', items } as never });

describe('document lines and totals', () => {
  it('adds amounts exactly, per VAT rate (no floating-point drift)', () => {
    const lines = sessionLines([session(1, [energy(1, 0.1, 0.12), energy(2, 0.2, 0.24)]), session(2, [energy(3, 0.7, 0.7, null)])]);
    expect(lines.map((line) => [line.position, line.transactionId, line.tax])).toEqual([
      [1, 1, 0.02],
      [2, 1, 0.04],
      [3, 2, 0],
    ]);
    const totals = totalsOf(lines);
    expect(unitsText(totals.totalExclTax)).toBe('1.0000');
    expect(unitsText(totals.total)).toBe('1.0600');
    expect(totals.vatSummary).toEqual([
      { vatPercent: null, totalExclTax: 0.7, tax: 0, total: 0.7 },
      { vatPercent: 19, totalExclTax: 0.3, tax: 0.06, total: 0.36 },
    ]);
  });

  it('credits part of a line in proportion, rounded half away from zero to the minor unit', () => {
    const [line] = sessionLines([session(1, [energy(3, 1, 1.19)])]);
    const [credit] = creditLines([line!], [{ line: 1, quantity: 1 }], 'EUR', new Map());
    expect(credit).toMatchObject({ quantity: 1, totalExclTax: -0.33, total: -0.4, tax: -0.07, creditsLine: 1, position: 1 });
    expect(roundToMinor(toUnits(2.5), 'JPY')).toBe(toUnits(3));
    expect(roundToMinor(toUnits(-2.5), 'JPY')).toBe(toUnits(-3));
    expect(unitsText(toUnits(-4.35))).toBe('-4.3500');
  });

  it('never credits a line beyond its total, and refuses unknown or repeated lines', () => {
    const [line] = sessionLines([session(1, [energy(3, 1, 1.19)])]);
    const first = creditLines([line!], [{ line: 1, quantity: 2 }], 'EUR', new Map());
    const sofar = creditedSoFar([first]);
    expect(sofar.get(1)).toBe(toUnits(0.79));
    expect(() => creditLines([line!], [{ line: 1 }], 'EUR', sofar)).toThrow(CreditError);
    expect(creditLines([line!], [{ line: 1, quantity: 1 }], 'EUR', sofar)[0]!.total).toBe(-0.4);
    expect(() => creditLines([line!], [{ line: 2 }], 'EUR', new Map())).toThrow(/no line 2/);
    expect(() => creditLines([line!], [{ line: 1 }, { line: 1 }], 'EUR', new Map())).toThrow(/twice/);
    expect(() => creditLines([line!], [{ line: 1, quantity: 4 }], 'EUR', new Map())).toThrow(/at most 3/);
  });
});

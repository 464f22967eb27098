// Exact money for documents: amounts are added as whole ten-thousandths of a currency unit
// (the scale of the database columns), never as floating-point sums.

const SCALE = 10_000;

/** A decimal amount (e.g. 4.35) as whole ten-thousandths. */
export const toUnits = (amount: number): number => Math.round(amount * SCALE);

export const fromUnits = (units: number): number => units / SCALE;

/** The exact decimal text of whole ten-thousandths, for numeric columns (e.g. "-4.3500"). */
export function unitsText(units: number): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  return `${sign}${Math.floor(abs / SCALE)}.${String(abs % SCALE).padStart(4, '0')}`;
}

/** Digits after the decimal point of a currency's minor unit (EUR 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Rounds whole ten-thousandths to the currency's minor unit, half away from zero. */
export function roundToMinor(units: number, currency: string): number {
  const step = 10 ** Math.max(0, 4 - minorDigits(currency));
  return Math.sign(units) * Math.round(Math.abs(units) / step) * step;
}

export const sumUnits = (amounts: readonly number[]): number => amounts.reduce((sum, amount) => sum + toUnits(amount), 0);

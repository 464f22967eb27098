// Sampled values arrive as text in many units. We keep the raw text and unit, and store a
// number in one canonical unit per quantity (Wh, W, varh, var, VA, A, V, Celsius, Percent),
// converting by decimal shift so "12.345" kWh becomes exactly 12345 Wh.

export type CanonicalUnit = 'Wh' | 'varh' | 'W' | 'var' | 'VA' | 'A' | 'V' | 'Celsius' | 'K' | 'Fahrenheit' | 'Percent' | 'Hz' | 'RPM' | '';

const KILO: Record<string, CanonicalUnit> = { kWh: 'Wh', kvarh: 'varh', kW: 'W', kvar: 'var', kVA: 'VA' };
const PLAIN: Record<string, CanonicalUnit> = {
  Wh: 'Wh',
  varh: 'varh',
  W: 'W',
  var: 'var',
  VA: 'VA',
  A: 'A',
  V: 'V',
  K: 'K',
  Celsius: 'Celsius',
  Celcius: 'Celsius', // the 1.6 schema's own misspelling
  Fahrenheit: 'Fahrenheit',
  Percent: 'Percent',
};

/** The unit a measurand has when the charger leaves `unit` out (OCPP 1.6 default is Wh for energy). */
export function defaultUnitFor(measurand: string, energyDefault: 'Wh' | 'kWh' = 'Wh'): string {
  if (measurand.startsWith('Energy.Active')) return energyDefault;
  if (measurand.startsWith('Energy.Reactive')) return 'varh';
  if (measurand === 'Power.Active.Import' || measurand === 'Power.Active.Export' || measurand === 'Power.Offered') return 'W';
  if (measurand.startsWith('Power.Reactive')) return 'var';
  if (measurand.startsWith('Current')) return 'A';
  if (measurand === 'Voltage') return 'V';
  if (measurand === 'SoC') return 'Percent';
  if (measurand === 'Temperature') return 'Celsius';
  if (measurand === 'Frequency') return 'Hz';
  if (measurand === 'RPM') return 'RPM';
  return '';
}

/** Multiplies a decimal string by 1000 without binary rounding ("12.345" → "12345"). */
function timesThousand(decimal: string): string {
  const negative = decimal.startsWith('-');
  const digits = negative ? decimal.slice(1) : decimal;
  const [whole = '0', fraction = ''] = digits.split('.');
  const padded = fraction.padEnd(3, '0');
  const shifted = `${whole}${padded.slice(0, 3)}${padded.length > 3 ? `.${padded.slice(3)}` : ''}`;
  return `${negative ? '-' : ''}${shifted}`;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

export interface NormalizedValue {
  /** The value in the canonical unit, or null when the text is not a plain number (e.g. signed data). */
  value: number | null;
  unit: CanonicalUnit | string;
}

/** Converts a sampled value's text and unit into the canonical unit of its quantity. */
export function normalizeSampledValue(text: string, unit: string): NormalizedValue {
  // Some chargers use a decimal comma ("12,5"); with no other comma the meaning is clear.
  let decimal = text.trim();
  if (/^-?\d+,\d+$/.test(decimal)) decimal = decimal.replace(',', '.');
  if (/^-?\d+(\.\d+)?[eE][+-]?\d+$/.test(decimal)) decimal = String(Number(decimal));
  if (!DECIMAL.test(decimal)) return { value: null, unit: PLAIN[unit] ?? KILO[unit] ?? unit };
  const kilo = KILO[unit];
  if (kilo) return { value: Number(timesThousand(decimal)), unit: kilo };
  return { value: Number(decimal), unit: PLAIN[unit] ?? unit };
}

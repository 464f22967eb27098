// Rating: a session's timeline and one tariff version → an itemised cost. Pure and
// deterministic; all money arithmetic in exact decimals (decimal.js).
//
// How (OCPI 2.2.1 section 11.3):
// 1. The timeline is cut wherever a restriction can change: local midnights and every
//    start_time/end_time in the site's zone (daylight saving included), min/max_duration,
//    min/max_kwh (energy within an interval is spread evenly over its time) and the end of the
//    idle grace period. No piece straddles a price window.
// 2. For each piece and each dimension, the first element whose restrictions match at the
//    piece's start and that has a component of that type prices it: ENERGY all energy, TIME the
//    charging time, PARKING_TIME the idle time after the grace period. FLAT: once, from the first
//    piece where one matches.
// 3. Quantities are summed per price component (one item each), measured to mWh and ms (the
//    float noise of splitting stays below that). step_size applies to a
//    dimension's session total: the total is rounded up to the step of the last component of
//    that type used, and the extra is billed at that component's price.
//
// THE rounding rule, the only one: an item's amount excluding VAT is quantity × price rounded
// half-up to the currency's minor unit; its amount including VAT is that rounded amount ×
// (1 + vat/100), again rounded half-up. The idle fee cap limits the PARKING_TIME items' amounts
// excluding VAT. The session's totals are the sums of its items; then min_price and max_price
// replace a total below or above them (incl_vat when given, otherwise the items' effective VAT).
// Internal sessions keep their items' quantities and prices but every amount is zero.

import { Decimal } from 'decimal.js';
import type { CostItem, SessionCost } from '../transactions/tables.js';
import { clockBoundaries, durationBoundaries, energyBoundaries, restrictionsMatch, type PieceState } from './restrictions.js';
import type { ComponentType, OcpiTariffBody, PriceComponentBody } from './tariff-model.js';
import type { Timeline } from './timeline.js';

const Money = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof Money>;

export interface RatingInput {
  timeline: Timeline;
  tariff: OcpiTariffBody;
  tariffId: string | null;
  tariffVersion: number | null;
  /** The site's IANA zone (UTC when the station has no site). */
  timeZone: string;
  internal: boolean;
  ratedAt: Date;
}

/** Digits after the decimal point of the currency's minor unit (EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

interface Piece {
  start: number;
  end: number;
  energyWh: number;
  idle: boolean;
  reportedPowerW: number | null;
  reportedCurrentA: number | null;
}

/** Splits a piece at a fraction of its time and energy. */
function splitAt(piece: Piece, fraction: number): [Piece, Piece] {
  const at = piece.start + (piece.end - piece.start) * fraction;
  return [
    { ...piece, end: at, energyWh: piece.energyWh * fraction },
    { ...piece, start: at, energyWh: piece.energyWh * (1 - fraction) },
  ];
}

/** The timeline cut at every clock and duration boundary, then at energy and grace boundaries. */
function pieces(input: RatingInput, graceMs: number): Piece[] {
  const start = input.timeline.startedAt.getTime();
  const stop = input.timeline.stoppedAt.getTime();
  const cuts = [
    ...clockBoundaries(input.tariff, start, stop, input.timeZone),
    ...durationBoundaries(input.tariff).map((seconds) => start + seconds * 1000),
  ];
  const byTime: Piece[] = [];
  for (const interval of input.timeline.intervals) {
    let piece: Piece = {
      start: interval.start.getTime(),
      end: interval.end.getTime(),
      energyWh: interval.energyWh,
      idle: interval.kind === 'idle',
      reportedPowerW: interval.reportedPowerW,
      reportedCurrentA: interval.reportedCurrentA,
    };
    for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
      if (cut <= piece.start || cut >= piece.end) continue;
      const [before, after] = splitAt(piece, (cut - piece.start) / (piece.end - piece.start));
      byTime.push(before);
      piece = after;
    }
    byTime.push(piece);
  }

  const thresholdsWh = energyBoundaries(input.tariff).map((kwh) => kwh * 1000);
  const result: Piece[] = [];
  let energy = 0;
  let idleMs = 0;
  for (const original of byTime) {
    let piece = original;
    for (;;) {
      const energyCut = thresholdsWh.filter((wh) => wh > energy && wh < energy + piece.energyWh).sort((a, b) => a - b)[0];
      const duration = piece.end - piece.start;
      const graceCut = piece.idle && idleMs < graceMs && idleMs + duration > graceMs ? (graceMs - idleMs) / duration : undefined;
      const fractions = [energyCut !== undefined ? (energyCut - energy) / piece.energyWh : undefined, graceCut].filter((f): f is number => f !== undefined && f > 0 && f < 1);
      if (fractions.length === 0) break;
      const [before, after] = splitAt(piece, Math.min(...fractions));
      result.push(before);
      energy += before.energyWh;
      if (before.idle) idleMs += before.end - before.start;
      piece = after;
    }
    result.push(piece);
    energy += piece.energyWh;
    if (piece.idle) idleMs += piece.end - piece.start;
  }
  return result;
}

interface Usage {
  type: ComponentType;
  elementIndex: number;
  component: PriceComponentBody;
  /** Wh for ENERGY, seconds for TIME and PARKING_TIME, 1 for FLAT. */
  base: Dec;
  lastUse: number;
}

/** The first element matching the state that has a component of this type. */
function componentFor(tariff: OcpiTariffBody, type: ComponentType, state: PieceState, zone: string) {
  for (const [elementIndex, element] of tariff.elements.entries()) {
    const component = element.price_components.find((candidate) => candidate.type === type);
    if (component && restrictionsMatch(element.restrictions, state, zone)) return { elementIndex, component };
  }
  return undefined;
}

const QUANTITY_UNIT = { ENERGY: 'kWh', TIME: 'h', PARKING_TIME: 'h', FLAT: 'session' } as const;
const PER_UNIT = { ENERGY: 1000, TIME: 3600, PARKING_TIME: 3600, FLAT: 1 } as const;

export function rateSession(input: RatingInput): SessionCost {
  const { tariff, timeline } = input;
  const graceMs = (tariff.idle_grace_minutes ?? 0) * 60_000;
  const start = timeline.startedAt.getTime();
  const usages = new Map<string, Usage>();
  let order = 0;
  const use = (type: ComponentType, found: { elementIndex: number; component: PriceComponentBody }, base: Dec) => {
    const key = `${type}/${found.elementIndex}`;
    const usage = usages.get(key) ?? { type, ...found, base: new Money(0), lastUse: 0 };
    usage.base = usage.base.plus(base);
    usage.lastUse = order++;
    usages.set(key, usage);
  };

  let energyWh = 0;
  let idleMs = 0;
  let flatBilled = false;
  for (const piece of pieces(input, graceMs)) {
    const ms = piece.end - piece.start;
    const averageW = ms > 0 ? piece.energyWh / (ms / 3_600_000) : null;
    const powerW = piece.reportedPowerW ?? averageW;
    const state: PieceState = {
      at: piece.start,
      durationS: (piece.start - start) / 1000,
      energyKWh: energyWh / 1000,
      powerKW: powerW === null ? null : powerW / 1000,
      // Without current samples: the power over 230 V, the sum over the phases OCPI asks for.
      currentA: piece.reportedCurrentA ?? (powerW === null ? null : powerW / 230),
    };
    const zone = input.timeZone;
    if (!flatBilled) {
      const flat = componentFor(tariff, 'FLAT', state, zone);
      if (flat) {
        use('FLAT', flat, new Money(1));
        flatBilled = true;
      }
    }
    const energy = piece.energyWh > 0 ? componentFor(tariff, 'ENERGY', state, zone) : undefined;
    if (energy) use('ENERGY', energy, new Money(piece.energyWh));
    if (ms > 0 && !piece.idle) {
      const time = componentFor(tariff, 'TIME', state, zone);
      if (time) use('TIME', time, new Money(ms).div(1000));
    }
    if (ms > 0 && piece.idle) {
      if (idleMs >= graceMs) {
        const parking = componentFor(tariff, 'PARKING_TIME', state, zone);
        if (parking) use('PARKING_TIME', parking, new Money(ms).div(1000));
      }
      idleMs += ms;
    }
    energyWh += piece.energyWh;
  }

  // Splitting pieces leaves float noise far below any meter's resolution; measure to mWh and ms.
  for (const usage of usages.values()) usage.base = usage.base.toDecimalPlaces(3, Decimal.ROUND_HALF_UP);
  applyStepSizes([...usages.values()]);
  const digits = minorDigits(tariff.currency);
  const round = (value: Dec) => value.toDecimalPlaces(digits, Decimal.ROUND_HALF_UP);
  let idleBudget = tariff.idle_fee_cap !== undefined ? new Money(tariff.idle_fee_cap) : undefined;
  const ordered = [...usages.values()].sort((a, b) => a.elementIndex - b.elementIndex || COMPONENT_ORDER[a.type] - COMPONENT_ORDER[b.type]);
  const amounts = ordered.map((usage) => {
    const quantity = usage.base.div(PER_UNIT[usage.type]);
    let excl = round(quantity.times(usage.component.price));
    if (usage.type === 'PARKING_TIME' && idleBudget !== undefined) {
      excl = Decimal.min(excl, idleBudget) as Dec;
      idleBudget = idleBudget.minus(excl);
    }
    const incl = round(excl.times(new Money(usage.component.vat ?? 0).div(100).plus(1)));
    return { usage, quantity, excl: input.internal ? new Money(0) : excl, incl: input.internal ? new Money(0) : incl };
  });

  const sumExcl = amounts.reduce((sum, item) => sum.plus(item.excl), new Money(0));
  const sumIncl = amounts.reduce((sum, item) => sum.plus(item.incl), new Money(0));
  const limited = input.internal ? { excl: sumExcl, incl: sumIncl, limit: null } : applyPriceLimits(tariff, sumExcl, sumIncl, round);

  const items: CostItem[] = amounts.map(({ usage, quantity, excl, incl }) => ({
    type: usage.type,
    quantity: quantity.toNumber(),
    unit: QUANTITY_UNIT[usage.type],
    unitPrice: usage.component.price,
    vatPercent: usage.component.vat ?? null,
    totalExclTax: excl.toNumber(),
    total: incl.toNumber(),
    elementIndex: usage.elementIndex,
  }));
  return {
    currency: tariff.currency,
    total: limited.incl.toNumber(),
    totalExclTax: limited.excl.toNumber(),
    items,
    tariffId: input.tariffId,
    tariffVersion: input.tariffVersion,
    internal: input.internal,
    ratedAt: input.ratedAt.toISOString(),
    priceLimit: limited.limit,
    energyWh: timeline.energyWh,
    chargingSeconds: timeline.chargingSeconds,
    idleSeconds: timeline.idleSeconds,
  };
}

const COMPONENT_ORDER: Record<ComponentType, number> = { FLAT: 0, ENERGY: 1, TIME: 2, PARKING_TIME: 3 };

/** Rounds each dimension's session total up to the step of its last used component. */
function applyStepSizes(usages: Usage[]): void {
  for (const type of ['ENERGY', 'TIME', 'PARKING_TIME'] as const) {
    const ofType = usages.filter((usage) => usage.type === type);
    if (ofType.length === 0) continue;
    const last = ofType.reduce((latest, usage) => (usage.lastUse > latest.lastUse ? usage : latest));
    const step = last.component.step_size;
    if (step <= 0) continue;
    const total = ofType.reduce((sum, usage) => sum.plus(usage.base), new Money(0));
    const rounded = total.div(step).toDecimalPlaces(0, Decimal.ROUND_CEIL).times(step);
    last.base = last.base.plus(rounded.minus(total));
  }
}

function applyPriceLimits(tariff: OcpiTariffBody, excl: Dec, incl: Dec, round: (value: Dec) => Dec): { excl: Dec; incl: Dec; limit: 'min_price' | 'max_price' | null } {
  // Without incl_vat the limit carries the items' effective VAT (or the first component's when nothing was billed).
  const firstVat = tariff.elements[0]?.price_components[0]?.vat ?? 0;
  const inclOf = (price: { excl_vat: number; incl_vat?: number | undefined }) =>
    price.incl_vat !== undefined
      ? new Money(price.incl_vat)
      : round(excl.isZero() ? new Money(price.excl_vat).times(new Money(firstVat).div(100).plus(1)) : new Money(price.excl_vat).times(incl).div(excl));
  if (tariff.min_price && excl.lessThan(tariff.min_price.excl_vat)) return { excl: new Money(tariff.min_price.excl_vat), incl: inclOf(tariff.min_price), limit: 'min_price' };
  if (tariff.max_price && excl.greaterThan(tariff.max_price.excl_vat)) return { excl: new Money(tariff.max_price.excl_vat), incl: inclOf(tariff.max_price), limit: 'max_price' };
  return { excl, incl, limit: null };
}

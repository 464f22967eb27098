import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateSession, type RatingInput } from './rating.js';
import type { OcpiTariffBody } from './tariff-model.js';
import type { IntervalKind, Timeline, TimelineInterval } from './timeline.js';

function timelineOf(start: number, parts: readonly { minutes: number; wh: number; kind: IntervalKind }[]): Timeline {
  let at = start;
  const intervals: TimelineInterval[] = parts.map((part) => {
    const interval = { start: new Date(at), end: new Date(at + part.minutes * 60_000), energyWh: part.wh, kind: part.kind, reportedPowerW: null, reportedCurrentA: null };
    at += part.minutes * 60_000;
    return interval;
  });
  const seconds = (kind: IntervalKind) => parts.filter((p) => p.kind === kind).reduce((sum, p) => sum + p.minutes * 60, 0);
  return {
    startedAt: new Date(start),
    stoppedAt: new Date(at),
    intervals,
    energyWh: parts.reduce((sum, p) => sum + p.wh, 0),
    chargingSeconds: seconds('charging'),
    idleSeconds: seconds('idle'),
    meterReset: false,
  };
}

const rate = (timeline: Timeline, tariff: OcpiTariffBody, over: Partial<RatingInput> = {}) =>
  rateSession({ timeline, tariff, tariffId: 't', tariffVersion: 1, timeZone: 'Europe/Berlin', internal: false, ratedAt: new Date(0), ...over });

const NOON = Date.parse('2026-06-10T10:00:00Z'); // 12:00 in Berlin, a Wednesday

describe('rating examples', () => {
  it('prices energy, charging time, idle time after the grace period and a flat fee, with VAT per item', () => {
    const tariff: OcpiTariffBody = {
      currency: 'EUR',
      idle_grace_minutes: 10,
      elements: [
        {
          price_components: [
            { type: 'FLAT', price: 0.5, vat: 19, step_size: 1 },
            { type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 },
            { type: 'TIME', price: 1.2, vat: 19, step_size: 60 },
            { type: 'PARKING_TIME', price: 6, vat: 19, step_size: 60 },
          ],
        },
      ],
    };
    const cost = rate(
      timelineOf(NOON, [
        { minutes: 90, wh: 20_000, kind: 'charging' },
        { minutes: 40, wh: 0, kind: 'idle' },
      ]),
      tariff,
    );
    expect(cost.items.map((item) => [item.type, item.quantity, item.totalExclTax, item.total])).toEqual([
      ['FLAT', 1, 0.5, 0.6], // 0.595 → 0.60
      ['ENERGY', 20, 6, 7.14],
      ['TIME', 1.5, 1.8, 2.14], // 2.142
      ['PARKING_TIME', 0.5, 3, 3.57],
    ]);
    expect(cost).toMatchObject({ currency: 'EUR', totalExclTax: 11.3, total: 13.45, chargingSeconds: 5400, idleSeconds: 2400, priceLimit: null });
  });

  it('rounds a dimension up to the step size and caps the idle fee', () => {
    const tariff: OcpiTariffBody = {
      currency: 'EUR',
      idle_fee_cap: 2,
      elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, step_size: 1000 }, { type: 'PARKING_TIME', price: 12, step_size: 900 }] }],
    };
    const cost = rate(timelineOf(NOON, [{ minutes: 30, wh: 4200, kind: 'charging' }, { minutes: 16, wh: 0, kind: 'idle' }]), tariff);
    expect(cost.items.map((item) => [item.type, item.quantity, item.totalExclTax])).toEqual([
      ['ENERGY', 5, 1.25],
      ['PARKING_TIME', 0.5, 2], // 30 min × 12 = 6, capped at 2
    ]);
    expect(cost.total).toBe(3.25);
  });

  it('applies min_price and max_price to the total', () => {
    const tariff = (limits: Partial<OcpiTariffBody>): OcpiTariffBody => ({
      currency: 'EUR',
      elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, vat: 20, step_size: 1 }] }],
      ...limits,
    });
    const small = timelineOf(NOON, [{ minutes: 10, wh: 1000, kind: 'charging' }]);
    expect(rate(small, tariff({ min_price: { excl_vat: 2, incl_vat: 2.5 } }))).toMatchObject({ totalExclTax: 2, total: 2.5, priceLimit: 'min_price' });
    expect(rate(small, tariff({ min_price: { excl_vat: 2 } }))).toMatchObject({ totalExclTax: 2, total: 2.4 });
    const big = timelineOf(NOON, [{ minutes: 300, wh: 80_000, kind: 'charging' }]);
    expect(rate(big, tariff({ max_price: { excl_vat: 25 } }))).toMatchObject({ totalExclTax: 25, total: 30, priceLimit: 'max_price' });
  });

  it('splits energy at a price window in local time, daylight saving included', () => {
    const tariff: OcpiTariffBody = {
      currency: 'EUR',
      elements: [
        { price_components: [{ type: 'ENERGY', price: 0.2, step_size: 1 }], restrictions: { start_time: '22:00', end_time: '06:00' } },
        { price_components: [{ type: 'ENERGY', price: 0.4, step_size: 1 }] },
      ],
    };
    // 2026-10-25: Berlin goes from CEST (UTC+2) to CET (UTC+1) at 03:00 local. 05:00 → 07:00 local
    // is 3 hours of real time (04:00Z → 06:00Z is 05:00 → 07:00 CET); the window ends 06:00 CET = 05:00Z.
    const start = Date.parse('2026-10-25T03:00:00Z'); // 04:00 CET
    const cost = rate(timelineOf(start, [{ minutes: 180, wh: 18_000, kind: 'charging' }]), tariff);
    // 03:00Z–05:00Z at night price (2 h, 12 kWh), 05:00Z–06:00Z at day price (6 kWh).
    expect(cost.items.map((item) => [item.unitPrice, item.quantity])).toEqual([
      [0.2, 12],
      [0.4, 6],
    ]);
    expect(cost.total).toBe(4.8);

    // The same wall-clock window in summer (UTC+2) ends at 04:00Z.
    const summer = rate(timelineOf(Date.parse('2026-06-10T02:00:00Z'), [{ minutes: 180, wh: 18_000, kind: 'charging' }]), tariff);
    expect(summer.items.map((item) => [item.unitPrice, item.quantity])).toEqual([
      [0.2, 12],
      [0.4, 6],
    ]);
  });

  it('starts a window whose start time the spring change skips when the clock jumps', () => {
    const tariff: OcpiTariffBody = {
      currency: 'EUR',
      elements: [
        { price_components: [{ type: 'ENERGY', price: 0.5, step_size: 1 }], restrictions: { start_time: '02:30', end_time: '05:00' } },
        { price_components: [{ type: 'ENERGY', price: 0.1, step_size: 1 }] },
      ],
    };
    // 29 Mar 2026: 00:00Z–02:00Z is 01:00 CET–04:00 CEST; the clock jumps 02:00 → 03:00 at 01:00Z.
    const cost = rate(timelineOf(Date.parse('2026-03-29T00:00:00Z'), [{ minutes: 120, wh: 2000, kind: 'charging' }]), tariff);
    expect(cost.items.map((item) => [item.unitPrice, item.quantity])).toEqual([
      [0.5, 1],
      [0.1, 1],
    ]);
  });

  it('prices by day of week, kWh and duration restrictions', () => {
    const tariff: OcpiTariffBody = {
      currency: 'EUR',
      elements: [
        { price_components: [{ type: 'ENERGY', price: 0.1, step_size: 1 }], restrictions: { day_of_week: ['SATURDAY', 'SUNDAY'] } },
        { price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }], restrictions: { max_kwh: 10 } },
        { price_components: [{ type: 'ENERGY', price: 0.5, step_size: 1 }, { type: 'TIME', price: 6, step_size: 1 }], restrictions: { min_duration: 3600 } },
        { price_components: [{ type: 'ENERGY', price: 0.4, step_size: 1 }] },
      ],
    };
    const weekday = rate(timelineOf(NOON, [{ minutes: 120, wh: 24_000, kind: 'charging' }]), tariff);
    // 10 kWh at 0.3 (first 50 min), 2 kWh at 0.4 (to 60 min), 12 kWh at 0.5 and an hour of TIME at 6.
    expect(weekday.items.map((item) => [item.type, item.unitPrice, item.quantity])).toEqual([
      ['ENERGY', 0.3, 10],
      ['ENERGY', 0.5, 12],
      ['TIME', 6, 1],
      ['ENERGY', 0.4, 2],
    ]);
    expect(weekday.totalExclTax).toBe(3 + 6 + 6 + 0.8);
    const saturday = rate(timelineOf(Date.parse('2026-06-13T10:00:00Z'), [{ minutes: 30, wh: 5000, kind: 'charging' }]), tariff);
    expect(saturday.totalExclTax).toBe(0.5);
  });

  it('rates internal sessions at zero but keeps what was used', () => {
    const tariff: OcpiTariffBody = { currency: 'EUR', min_price: { excl_vat: 1 }, elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 }] }] };
    const cost = rate(timelineOf(NOON, [{ minutes: 60, wh: 10_000, kind: 'charging' }]), tariff, { internal: true });
    expect(cost).toMatchObject({ internal: true, total: 0, totalExclTax: 0 });
    expect(cost.items).toMatchObject([{ type: 'ENERGY', quantity: 10, unitPrice: 0.3, total: 0, totalExclTax: 0 }]);
  });

  it('uses the minor unit of the currency', () => {
    const tariff: OcpiTariffBody = { currency: 'JPY', elements: [{ price_components: [{ type: 'ENERGY', price: 45.5, vat: 10, step_size: 1 }] }] };
    expect(rate(timelineOf(NOON, [{ minutes: 60, wh: 10_010, kind: 'charging' }]), tariff)).toMatchObject({ totalExclTax: 455, total: 501 });
  });
});

// Properties over random sessions and tariffs.
const price = fc.integer({ min: 0, max: 200 }).map((cents) => cents / 100);
const part = fc.record({
  minutes: fc.integer({ min: 1, max: 180 }),
  wh: fc.integer({ min: 0, max: 40_000 }),
  kind: fc.constantFrom<IntervalKind>('charging', 'idle'),
});
const parts = fc.array(part, { minLength: 1, maxLength: 6 });
const start = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') });
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const tariffArb: fc.Arbitrary<OcpiTariffBody> = fc
  .record({
    energy: price,
    time: price,
    parking: price,
    flat: price,
    vat: fc.constantFrom(0, 7, 19, 20),
    window: fc.option(fc.tuple(hhmm, hhmm, price).filter(([a, b]) => a !== b)),
    energyStep: fc.constantFrom(1, 100, 1000),
    timeStep: fc.constantFrom(1, 60, 900),
    grace: fc.constantFrom(0, 5, 30),
  })
  .map((t) => ({
    currency: 'EUR',
    idle_grace_minutes: t.grace,
    elements: [
      ...(t.window ? [{ price_components: [{ type: 'ENERGY' as const, price: t.window[2], vat: t.vat, step_size: t.energyStep }], restrictions: { start_time: t.window[0], end_time: t.window[1] } }] : []),
      {
        price_components: [
          { type: 'ENERGY' as const, price: t.energy, vat: t.vat, step_size: t.energyStep },
          { type: 'TIME' as const, price: t.time, vat: t.vat, step_size: t.timeStep },
          { type: 'PARKING_TIME' as const, price: t.parking, vat: t.vat, step_size: t.timeStep },
          { type: 'FLAT' as const, price: t.flat, vat: t.vat, step_size: 1 },
        ],
      },
    ],
  }));

describe('rating properties', () => {
  it('a zero tariff costs zero', () => {
    fc.assert(
      fc.property(start, parts, tariffArb, (at, session, tariff) => {
        const zero = { ...tariff, elements: tariff.elements.map((e) => ({ ...e, price_components: e.price_components.map((c) => ({ ...c, price: 0 })) })) };
        const cost = rate(timelineOf(at, session), zero);
        expect(cost.total).toBe(0);
        expect(cost.totalExclTax).toBe(0);
      }),
    );
  });

  it('splitting a session anywhere changes the total by at most rounding', () => {
    fc.assert(
      fc.property(start, parts, tariffArb, fc.nat(), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (at, session, tariff, which, fraction) => {
        const whole = timelineOf(at, session);
        const index = which % whole.intervals.length;
        const interval = whole.intervals[index]!;
        const cut = interval.start.getTime() + Math.round((interval.end.getTime() - interval.start.getTime()) * fraction);
        const ratio = (cut - interval.start.getTime()) / (interval.end.getTime() - interval.start.getTime());
        const split: Timeline = {
          ...whole,
          intervals: [
            ...whole.intervals.slice(0, index),
            { ...interval, end: new Date(cut), energyWh: interval.energyWh * ratio },
            { ...interval, start: new Date(cut), energyWh: interval.energyWh * (1 - ratio) },
            ...whole.intervals.slice(index + 1),
          ],
        };
        const a = rate(whole, tariff);
        const b = rate(split, tariff);
        // Each item is rounded once (excl.) and once more (incl. VAT): a cent each at most.
        const tolerance = 0.02 * Math.max(a.items.length, b.items.length) + 1e-9;
        expect(Math.abs(a.total - b.total)).toBeLessThanOrEqual(tolerance);
      }),
    );
  });

  // With block step sizes across price windows OCPI bills the rounded-up rest at the last
  // window's price, so a little more energy can cost a block-fraction less; per Wh it is monotonic.
  it('more energy never costs less (beyond rounding), and the same input always gives the same cost', () => {
    const perWh = tariffArb.map((tariff) => ({
      ...tariff,
      elements: tariff.elements.map((e) => ({ ...e, price_components: e.price_components.map((c) => (c.type === 'ENERGY' ? { ...c, step_size: 1 } : c)) })),
    }));
    fc.assert(
      fc.property(start, parts, perWh, fc.nat(), fc.integer({ min: 1, max: 20_000 }), (at, session, tariff, which, extra) => {
        const more = session.map((p, i) => (i === which % session.length ? { ...p, wh: p.wh + extra } : p));
        const base = rate(timelineOf(at, session), tariff);
        const bigger = rate(timelineOf(at, more), tariff);
        expect(bigger.total).toBeGreaterThanOrEqual(base.total - 0.02 * bigger.items.length - 1e-9);
        expect(bigger.totalExclTax).toBeGreaterThanOrEqual(base.totalExclTax - 0.01 * bigger.items.length - 1e-9);
        expect(rate(timelineOf(at, session), tariff)).toEqual(base);
      }),
    );
  });

  it('the total is the sum of the items', () => {
    fc.assert(
      fc.property(start, parts, tariffArb, (at, session, tariff) => {
        const cost = rate(timelineOf(at, session), tariff);
        const cents = (n: number) => Math.round(n * 100);
        expect(cents(cost.total)).toBe(cost.items.reduce((sum, item) => sum + cents(item.total), 0));
        expect(cents(cost.totalExclTax)).toBe(cost.items.reduce((sum, item) => sum + cents(item.totalExclTax), 0));
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { liveReading, type TimedSample } from './live-reading.js';

const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, seconds));
const sample = (seconds: number, measurand: string, value: number, extra: Partial<TimedSample> = {}): TimedSample => ({
  sampledAt: at(seconds),
  measurand,
  phase: null,
  location: 'Outlet',
  value,
  ...extra,
});

describe('live reading of a session', () => {
  it('takes the newest instant’s total power and register', () => {
    const reading = liveReading([
      sample(0, 'Power.Active.Import', 7000),
      sample(0, 'Energy.Active.Import.Register', 1000),
      sample(60, 'Power.Active.Import', 11000),
      sample(60, 'Energy.Active.Import.Register', 1150),
    ]);
    expect(reading).toEqual({ at: at(60), powerW: 11000, registerWh: 1150 });
  });

  it('adds up L1..L3 when no total is reported, and ignores line-to-neutral and inlet samples', () => {
    const reading = liveReading([
      sample(0, 'Power.Active.Import', 3000, { phase: 'L1' }),
      sample(0, 'Power.Active.Import', 3500, { phase: 'L2' }),
      sample(0, 'Power.Active.Import', 4000, { phase: 'L3' }),
      sample(0, 'Power.Active.Import', 999, { phase: 'L1-N' }),
      sample(0, 'Power.Active.Import', 50_000, { location: 'Inlet' }),
    ]);
    expect(reading?.powerW).toBe(10_500);
    expect(reading?.registerWh).toBeNull();
  });

  it('derives power from two register readings when the meter reports none', () => {
    const reading = liveReading([sample(60, 'Energy.Active.Import.Register', 2100)], { at: at(0), wh: 2000 });
    expect(reading?.powerW).toBeCloseTo(6000);
    expect(liveReading([sample(60, 'Energy.Active.Import.Register', 2100)])?.powerW).toBeNull();
  });

  it('has no reading without power or energy samples', () => {
    expect(liveReading([sample(0, 'Voltage', 230)])).toBeUndefined();
    expect(liveReading([])).toBeUndefined();
  });
});

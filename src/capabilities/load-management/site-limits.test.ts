import { describe, expect, it } from 'vitest';
import { buildingLoad, buildingWorstCase, fallbackShare, siteLimitAmps, type SiteSettings } from './site-limits.js';

const site = (fields: Partial<SiteSettings> = {}): SiteSettings => ({
  gridLimitAmps: null,
  gridLimitKw: null,
  phases: 3,
  voltage: 230,
  minCurrentAmps: 6,
  buildingLoadAmps: null,
  buildingLoadWorstCaseAmps: null,
  ...fields,
});
const NOW = new Date('2026-05-01T12:00:00Z');

describe('siteLimitAmps', () => {
  it('reads amps, kW over phases and voltage, and the smaller of both', () => {
    expect(siteLimitAmps(site())).toBeNull();
    expect(siteLimitAmps(site({ gridLimitAmps: 63 }))).toBe(63);
    expect(siteLimitAmps(site({ gridLimitKw: 69 }))).toBeCloseTo(100, 6);
    expect(siteLimitAmps(site({ gridLimitKw: 23, phases: 1 }))).toBeCloseTo(100, 6);
    expect(siteLimitAmps(site({ gridLimitKw: 69, gridLimitAmps: 80 }))).toBe(80);
  });
});

describe('buildingLoad', () => {
  const report = (ageMs: number, amps = 12) => ({ amps, reportedAt: new Date(NOW.getTime() - ageMs) });
  it('counts a fresh report, the worst case once it is stale, else the fixed figure', () => {
    const configured = site({ buildingLoadAmps: 10, buildingLoadWorstCaseAmps: 30 });
    expect(buildingLoad(configured, undefined, NOW, 300_000)).toEqual({ amps: 10, source: 'fixed' });
    expect(buildingLoad(configured, report(1_000), NOW, 300_000)).toEqual({ amps: 12, source: 'reported' });
    expect(buildingLoad(configured, report(301_000), NOW, 300_000)).toEqual({ amps: 30, source: 'worst_case' });
    // Without a worst case configured, a stale report counts at the larger of itself and the fixed figure.
    expect(buildingLoad(site({ buildingLoadAmps: 10 }), report(301_000), NOW, 300_000)).toEqual({ amps: 12, source: 'worst_case' });
    expect(buildingLoad(site(), undefined, NOW, 300_000)).toEqual({ amps: 0, source: 'none' });
    expect(buildingWorstCase(site({ buildingLoadAmps: 10 }), { amps: 14 })).toBe(14);
  });
});

describe('fallbackShare', () => {
  it('splits the room per connector, down to 0.1 A, and gives 0 below the EV minimum', () => {
    expect(fallbackShare(63, 10, 6)).toBe(6.3);
    expect(fallbackShare(47, 9, 6)).toBe(0);
    expect(fallbackShare(-5, 2, 6)).toBe(0);
    expect(fallbackShare(20, 0, 6)).toBe(0);
  });
});

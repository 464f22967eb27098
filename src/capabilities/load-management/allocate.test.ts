import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, capacities, nextCap, withHysteresis, type AllocationInput, type SessionDemand } from './allocate.js';

const session = (id: number, fields: Partial<SessionDemand> = {}): SessionDemand => ({
  id,
  circuitId: null,
  maxA: 32,
  priority: 0,
  arrivedAt: id,
  ...fields,
});
const site = (fields: Partial<AllocationInput>): AllocationInput => ({ siteLimitA: 63, buildingA: 0, minA: 6, circuits: [], fixed: [], sessions: [], ...fields });
const total = (limits: Map<number, number>) => [...limits.values()].reduce((sum, amps) => sum + amps, 0);

describe('allocate', () => {
  it('shares a site evenly, each session up to its connector max', () => {
    expect([...allocate(site({ sessions: [session(1), session(2), session(3)] })).values()]).toEqual([21, 21, 21]);
    expect([...allocate(site({ sessions: [session(1, { maxA: 16 }), session(2)] })).values()]).toEqual([16, 32]);
  });

  it('lets late arrivals wait at 0 A when the minimum does not fit, first come first served', () => {
    const sessions = Array.from({ length: 12 }, (_, index) => session(index + 1));
    const limits = allocate(site({ sessions }));
    expect([...limits.values()].filter((amps) => amps > 0)).toHaveLength(10);
    expect(limits.get(11)).toBe(0);
    expect(limits.get(12)).toBe(0);
    expect(total(limits)).toBeLessThanOrEqual(63);
    for (const amps of limits.values()) expect(amps === 0 || amps >= 6).toBe(true);
  });

  it('gives an EV that draws less only what it takes, and the rest to the others', () => {
    const limits = allocate(site({ sessions: [session(1, { capA: 8 }), session(2), session(3)] }));
    expect(limits.get(1)).toBe(8);
    expect(limits.get(2)).toBe(27.5);
    expect(limits.get(3)).toBe(27.5);
  });

  it('keeps building load, fixed worst cases and circuit limits', () => {
    const limits = allocate(
      site({
        buildingA: 13,
        circuits: [{ id: 'c', limitA: 20 }],
        fixed: [{ circuitId: 'c', amps: 8 }],
        sessions: [session(1, { circuitId: 'c' }), session(2, { circuitId: 'c' }), session(3)],
      }),
    );
    expect(limits.get(1)).toBe(6);
    expect(limits.get(2)).toBe(6);
    expect(limits.get(3)).toBe(30);
  });

  it('fills higher priorities first; everyone admitted keeps the minimum', () => {
    const limits = allocate(site({ siteLimitA: 40, sessions: [session(1), session(2, { priority: 5 }), session(3)] }));
    expect(limits.get(2)).toBe(28);
    expect(limits.get(1)).toBe(6);
    expect(limits.get(3)).toBe(6);
  });

  it('gives nothing when the site is already full', () => {
    expect([...allocate(site({ buildingA: 60, sessions: [session(1)] })).values()]).toEqual([0]);
  });

  const input = fc
    .record({
      siteLimitA: fc.integer({ min: 0, max: 400 }),
      buildingA: fc.integer({ min: 0, max: 100 }),
      minA: fc.constantFrom(0, 6, 8),
      circuitLimits: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 3 }),
      fixed: fc.array(fc.record({ circuit: fc.integer({ min: -1, max: 2 }), amps: fc.integer({ min: 0, max: 32 }) }), { maxLength: 3 }),
      sessions: fc.array(
        fc.record({
          circuit: fc.integer({ min: -1, max: 2 }),
          maxA: fc.integer({ min: 6, max: 80 }),
          capA: fc.option(fc.integer({ min: 0, max: 80 }), { nil: undefined }),
          priority: fc.integer({ min: 0, max: 2 }),
          arrivedAt: fc.integer({ min: 0, max: 1000 }),
        }),
        { maxLength: 40 },
      ),
    })
    .map(({ circuitLimits, fixed, sessions, ...rest }): AllocationInput => {
      const circuitId = (index: number) => (index >= 0 && index < circuitLimits.length ? `c${index}` : null);
      return {
        ...rest,
        circuits: circuitLimits.map((limitA, index) => ({ id: `c${index}`, limitA })),
        fixed: fixed.map((load) => ({ circuitId: circuitId(load.circuit), amps: load.amps })),
        sessions: sessions.map((entry, index) => ({ ...entry, id: index + 1, circuitId: circuitId(entry.circuit) })),
      };
    });

  const keepsLimits = (sample: AllocationInput, limits: Map<number, number>) => {
    const room = capacities(sample);
    expect(total(limits)).toBeLessThanOrEqual(Math.max(0, room.site) + 1e-6);
    for (const circuit of sample.circuits) {
      const inside = sample.sessions.filter((entry) => entry.circuitId === circuit.id).reduce((sum, entry) => sum + limits.get(entry.id)!, 0);
      expect(inside).toBeLessThanOrEqual(Math.max(0, room.circuits.get(circuit.id)!) + 1e-6);
    }
    for (const entry of sample.sessions) {
      const amps = limits.get(entry.id)!;
      expect(amps === 0 || amps >= Math.min(sample.minA, entry.maxA) - 1e-6).toBe(true);
      expect(amps).toBeLessThanOrEqual(entry.maxA + 1e-6);
      expect(Math.round(amps * 10)).toBeCloseTo(amps * 10, 6);
    }
  };

  it('never exceeds the site or a circuit, never gives between 0 and the minimum, never above a connector (property)', () => {
    fc.assert(fc.property(input, (sample) => keepsLimits(sample, allocate(sample))), { numRuns: 500 });
  });

  it('leaves no usable headroom: a session below its cap sits under a limit that is used up (property)', () => {
    fc.assert(
      fc.property(input, (sample) => {
        const limits = allocate(sample);
        const room = capacities(sample);
        const siteLeft = room.site - total(limits);
        for (const entry of sample.sessions) {
          const amps = limits.get(entry.id)!;
          if (amps === 0) continue;
          const cap = Math.max(Math.min(sample.minA, entry.maxA), Math.min(entry.maxA, entry.capA ?? Infinity));
          if (amps >= cap - 0.1 - 1e-6) continue;
          const circuit = sample.circuits.find((candidate) => candidate.id === entry.circuitId);
          const circuitLeft = circuit
            ? room.circuits.get(circuit.id)! - sample.sessions.filter((other) => other.circuitId === circuit.id).reduce((sum, other) => sum + limits.get(other.id)!, 0)
            : Infinity;
          // Rounding down to 0.1 A may leave up to 0.1 A per session unused.
          expect(Math.min(siteLeft, circuitLeft)).toBeLessThanOrEqual(0.1 * sample.sessions.length + 1e-6);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every limit after hysteresis too (property)', () => {
    fc.assert(
      fc.property(input, fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 40 }), (sample, previous) => {
        const sent = new Map(sample.sessions.map((entry, index) => [entry.id, previous[index] ?? 0]));
        const given = withHysteresis(sample, allocate(sample), sent, 2);
        const room = capacities(sample);
        expect(total(given)).toBeLessThanOrEqual(Math.max(0, room.site) + 1e-6);
        for (const circuit of sample.circuits) {
          const inside = sample.sessions.filter((entry) => entry.circuitId === circuit.id).reduce((sum, entry) => sum + given.get(entry.id)!, 0);
          expect(inside).toBeLessThanOrEqual(Math.max(0, room.circuits.get(circuit.id)!) + 1e-6);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('withHysteresis', () => {
  it('keeps small changes unsent, unless keeping them would break the limit', () => {
    const sample = site({ siteLimitA: 30, sessions: [session(1), session(2)] });
    expect([...withHysteresis(sample, new Map([[1, 15], [2, 15]]), new Map([[1, 15.5], [2, 14.5]]), 1).values()]).toEqual([15.5, 14.5]);
    expect([...withHysteresis(sample, new Map([[1, 15], [2, 15]]), new Map([[1, 15.5], [2, 15]]), 1).values()]).toEqual([15, 15]);
    expect([...withHysteresis(sample, new Map([[1, 20], [2, 10]]), new Map([[1, 15], [2, 15]]), 1).values()]).toEqual([20, 10]);
  });
});

describe('nextCap', () => {
  it('caps an EV drawing clearly less, lifts the cap when it draws near its limit, and keeps it in between', () => {
    expect(nextCap(undefined, 20, 9.4, 6, 2)).toBe(12);
    expect(nextCap(12, 12, 10.5, 6, 2)).toBe(12);
    expect(nextCap(12, 12, 11.5, 6, 2)).toBeUndefined();
    expect(nextCap(undefined, 20, 0, 6, 2)).toBe(6);
    expect(nextCap(12, 0, 0, 6, 2)).toBe(12);
    expect(nextCap(12, 20, null, 6, 2)).toBe(12);
  });
});

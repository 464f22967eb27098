import { describe, expect, it } from 'vitest';
import { buildTimeline, type TimelineInput } from './timeline.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const session = (over: Partial<TimelineInput>): TimelineInput => ({
  startedAt: at(0),
  stoppedAt: at(60),
  meterStartWh: 1000,
  meterStopWh: 12_000,
  registers: [],
  power: [],
  current: [],
  statuses: [{ at: at(-1), status: 'Charging' }],
  ...over,
});

describe('session timeline', () => {
  it('is one charging interval from meterStart to meterStop without samples', () => {
    const timeline = buildTimeline(session({}));
    expect(timeline.intervals).toEqual([{ start: at(0), end: at(60), energyWh: 11_000, kind: 'charging', reportedPowerW: null, reportedCurrentA: null }]);
    expect(timeline).toMatchObject({ energyWh: 11_000, chargingSeconds: 3600, idleSeconds: 0, meterReset: false });
  });

  it('splits off idle time by status and gives the energy of a step to its charging part', () => {
    const timeline = buildTimeline(
      session({
        registers: [{ at: at(30), wh: 6000 }],
        statuses: [
          { at: at(-1), status: 'Preparing' },
          { at: at(0), status: 'Charging' },
          { at: at(40), status: 'SuspendedEV' },
          { at: at(50), status: 'Charging' },
        ],
      }),
    );
    expect(timeline.intervals.map((i) => [i.start, i.end, i.kind, i.energyWh])).toEqual([
      [at(0), at(30), 'charging', 5000],
      [at(30), at(40), 'charging', 3000],
      [at(40), at(50), 'idle', 0],
      [at(50), at(60), 'charging', 3000],
    ]);
    expect(timeline).toMatchObject({ energyWh: 11_000, chargingSeconds: 3000, idleSeconds: 600 });
  });

  it('calls time with near-zero power idle, from per-phase power or from a flat register', () => {
    const byPower = buildTimeline(
      session({
        meterStopWh: 8000,
        power: [
          { at: at(0), value: 3600, phase: 'L1' },
          { at: at(0), value: 3600, phase: 'L2' },
          { at: at(0), value: 3600, phase: 'L3' },
          { at: at(40), value: 20, phase: 'L1' },
          { at: at(40), value: 0, phase: 'L2' },
        ],
      }),
    );
    expect(byPower.intervals.map((i) => [i.kind, i.reportedPowerW])).toEqual([
      ['charging', 10_800],
      ['idle', 20],
    ]);
    expect(byPower.intervals[0]!.energyWh).toBe(7000);

    const flat = buildTimeline(session({ registers: [{ at: at(30), wh: 12_000 }] }));
    expect(flat.intervals.map((i) => i.kind)).toEqual(['charging', 'idle']);
    expect(flat.idleSeconds).toBe(1800);
  });

  it('counts energy across a meter reset and never goes negative', () => {
    const timeline = buildTimeline(session({ meterStartWh: 50_000, meterStopWh: 4000, registers: [{ at: at(20), wh: 55_000 }, { at: at(40), wh: 1000 }] }));
    // 5000 before the reset, 1000 of the new register, 3000 after it.
    expect(timeline.energyWh).toBe(9000);
    expect(timeline.meterReset).toBe(true);
    expect(timeline.intervals.every((i) => i.energyWh >= 0)).toBe(true);
  });

  it('ends at the last sample when meterStop is missing or 0', () => {
    for (const meterStopWh of [null, 0]) {
      const timeline = buildTimeline(session({ meterStopWh, registers: [{ at: at(45), wh: 9000 }] }));
      expect(timeline.energyWh).toBe(8000);
      expect(timeline.intervals.at(-1)).toMatchObject({ start: at(45), end: at(60), energyWh: 0, kind: 'idle' });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_PLAUSIBLE_POWER_W, sessionEnergy } from './energy.js';

const T0 = new Date('2024-05-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('sessionEnergy', () => {
  it('is stop − start without readings', () => {
    const result = sessionEnergy({ meterStartWh: 1_000, startedAt: T0, meterStopWh: 8_500, stoppedAt: at(60), readings: [] });
    expect(result).toEqual({ energyWh: 7_500, flags: [] });
  });

  it('is zero for a session that delivered nothing', () => {
    const result = sessionEnergy({ meterStartWh: 4_200, startedAt: T0, meterStopWh: 4_200, stoppedAt: at(5), readings: [] });
    expect(result).toEqual({ energyWh: 0, flags: [] });
  });

  it('with rising readings, in any order, is still stop − start', () => {
    const result = sessionEnergy({
      meterStartWh: 1_000,
      startedAt: T0,
      meterStopWh: 12_000,
      stoppedAt: at(90),
      // Delivered out of order (offline queue): sorted by time before use.
      readings: [
        { at: at(60), wh: 9_000 },
        { at: at(30), wh: 5_000 },
      ],
    });
    expect(result).toEqual({ energyWh: 11_000, flags: [] });
  });

  it('counts the new register after a reset when it is plausible for the time that passed', () => {
    // 1000 → 6000 (+5000), meter replaced: 6000 → 300 (the new register counted 300 from zero),
    // 300 → 2300 (+2000).
    const result = sessionEnergy({
      meterStartWh: 1_000,
      startedAt: T0,
      meterStopWh: 2_300,
      stoppedAt: at(60),
      readings: [
        { at: at(20), wh: 6_000 },
        { at: at(30), wh: 300 },
      ],
    });
    expect(result.energyWh).toBe(5_000 + 300 + 2_000);
    expect(result.flags).toEqual(['meter_reset']);
  });

  it('counts nothing for a reset whose new value could not have been reached in that time', () => {
    // 10 s after the last reading the register says 50 kWh: more than 400 kW could deliver.
    const last = at(30);
    const afterReset = new Date(last.getTime() + 10_000);
    const result = sessionEnergy({
      meterStartWh: 100_000,
      startedAt: T0,
      meterStopWh: 51_000,
      stoppedAt: at(60),
      readings: [
        { at: last, wh: 110_000 },
        { at: afterReset, wh: 50_000 },
      ],
    });
    // +10000 before the reset, nothing for the jump, +1000 after it.
    expect(result.energyWh).toBe(11_000);
    expect(result.flags).toContain('meter_reset');
    expect(result.flags).toContain('implausible_energy');
  });

  it('a reset straight at the stop (no readings) counts meterStop when plausible', () => {
    const result = sessionEnergy({ meterStartWh: 90_000, startedAt: T0, meterStopWh: 1_500, stoppedAt: at(60), readings: [] });
    expect(result).toEqual({ energyWh: 1_500, flags: ['meter_reset'] });
  });

  it('without meterStop (null) ends at the last reading', () => {
    const result = sessionEnergy({
      meterStartWh: 2_000,
      startedAt: T0,
      meterStopWh: null,
      stoppedAt: at(45),
      readings: [
        { at: at(15), wh: 3_000 },
        { at: at(40), wh: 6_500 },
      ],
    });
    expect(result).toEqual({ energyWh: 4_500, flags: [] });
  });

  it('without meterStop and without readings is zero', () => {
    const result = sessionEnergy({ meterStartWh: 2_000, startedAt: T0, meterStopWh: null, stoppedAt: T0, readings: [] });
    expect(result).toEqual({ energyWh: 0, flags: [] });
  });

  it('flags a total beyond any charger’s power for the duration, and still reports it', () => {
    // One minute at 400 kW is 6667 Wh; 50 kWh in one minute is impossible.
    const result = sessionEnergy({ meterStartWh: 0, startedAt: T0, meterStopWh: 50_000, stoppedAt: at(1), readings: [] });
    expect(result.energyWh).toBe(50_000);
    expect(result.flags).toEqual(['implausible_energy']);
  });

  it('accepts a total right at the plausibility limit', () => {
    const limit = Math.floor(MAX_PLAUSIBLE_POWER_W * 1); // one hour at the maximum power
    const result = sessionEnergy({ meterStartWh: 0, startedAt: T0, meterStopWh: limit, stoppedAt: at(60), readings: [] });
    expect(result).toEqual({ energyWh: limit, flags: [] });
  });

  it('flags a stop timestamp before the start as implausible when energy was delivered', () => {
    const result = sessionEnergy({ meterStartWh: 0, startedAt: at(60), meterStopWh: 5_000, stoppedAt: T0, readings: [] });
    expect(result.energyWh).toBe(5_000);
    expect(result.flags).toEqual(['implausible_energy']);
  });
});

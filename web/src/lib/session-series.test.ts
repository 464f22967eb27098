import { describe, expect, it } from 'vitest';
import type { MeterValue } from '../api/types';
import { sessionSeries } from './session-series';

const value = (sampledAt: string, measurand: string, number: number, extra: Partial<MeterValue> = {}): MeterValue => ({
  sampledAt,
  measurand,
  phase: null,
  location: 'Outlet',
  context: 'Sample.Periodic',
  value: number,
  unit: measurand.startsWith('Energy') ? 'Wh' : 'W',
  ...extra,
});

describe('session series for the chart', () => {
  it('reads power samples and the register relative to meterStart', () => {
    const series = sessionSeries(
      [
        value('2025-01-01T10:01:00Z', 'Energy.Active.Import.Register', 1100),
        value('2025-01-01T10:01:00Z', 'Power.Active.Import', 6000),
        value('2025-01-01T10:01:00Z', 'Voltage', 230, { phase: 'L1-N' }),
        value('2025-01-01T10:02:00Z', 'Energy.Active.Import.Register', 1300),
        value('2025-01-01T10:02:00Z', 'Power.Active.Import', 12000),
      ],
      1000,
      '2025-01-01T10:00:00Z',
    );
    expect(series.power.map((point) => point.value)).toEqual([6000, 12000]);
    expect(series.energy.map((point) => point.value)).toEqual([0, 100, 300]);
  });

  it('derives power from the register when the meter reports none', () => {
    const series = sessionSeries(
      [value('2025-01-01T10:01:00Z', 'Energy.Active.Import.Register', 1100), value('2025-01-01T10:02:00Z', 'Energy.Active.Import.Register', 1200)],
      1000,
      '2025-01-01T10:00:00Z',
    );
    expect(series.power.map((point) => Math.round(point.value))).toEqual([6000, 6000]);
  });

  it('is empty without readings', () => {
    expect(sessionSeries([], 0, '2025-01-01T10:00:00Z')).toEqual({ power: [], energy: [] });
  });
});

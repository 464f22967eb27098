// A session's power and energy over time from its meter values, read the way the backend reads
// them (the shared meter-reading module): power from the meter's power samples, or from the
// register's steps when the meter reports none; energy as the register minus meterStart.

import { averagePowerW, readInstant } from '../../../src/capabilities/transactions/meter-reading';
import type { Point } from '../components/line-chart';
import type { MeterValue } from '../api/types';

export function sessionSeries(values: readonly MeterValue[], meterStartWh: number, startedAt: string): { power: Point[]; energy: Point[] } {
  const instants = new Map<number, MeterValue[]>();
  for (const value of values) {
    const atMs = Date.parse(value.sampledAt);
    const group = instants.get(atMs);
    if (group) group.push(value);
    else instants.set(atMs, [value]);
  }
  const power: Point[] = [];
  const energy: Point[] = [{ atMs: Date.parse(startedAt), value: 0 }];
  let previous = { atMs: Date.parse(startedAt), wh: meterStartWh };
  for (const [atMs, samples] of [...instants].sort(([a], [b]) => a - b)) {
    const reading = readInstant(samples);
    const derived = reading.registerWh !== null ? averagePowerW(previous, { atMs, wh: reading.registerWh }) : null;
    const powerW = reading.powerW ?? derived;
    if (powerW !== null) power.push({ atMs, value: powerW });
    if (reading.registerWh !== null) {
      energy.push({ atMs, value: Math.max(0, reading.registerWh - meterStartWh) });
      previous = { atMs, wh: reading.registerWh };
    }
  }
  return { power, energy: energy.length > 1 ? energy : [] };
}

// A session's energy from its register readings: meterStart, every Energy.Active.Import.Register
// sample in time order, then meterStop. Each step that goes up counts. A step that goes down is a
// meter reset or replacement: the new register counted from zero, so its value counts when it is
// physically possible in that time, and nothing otherwise. Totals beyond any charger's power are
// flagged, never hidden.

import type { TransactionFlag } from './tables.js';

/** Above any charger we know of (350 kW HPC) with margin; used only to judge plausibility. */
export const MAX_PLAUSIBLE_POWER_W = 400_000;
/** Readings are whole Wh on most meters; allow rounding and clock skew of a few seconds. */
const SLACK_WH = 100;

export interface RegisterReading {
  at: Date;
  wh: number;
}

export interface EnergyInput {
  meterStartWh: number;
  startedAt: Date;
  /** Null when the session is closed without a meterStop (we then end at the last reading). */
  meterStopWh: number | null;
  stoppedAt: Date;
  readings: readonly RegisterReading[];
}

export interface EnergyResult {
  energyWh: number;
  flags: TransactionFlag[];
}

function possibleWh(from: Date, to: Date): number {
  const hours = Math.max(0, to.getTime() - from.getTime()) / 3_600_000;
  return MAX_PLAUSIBLE_POWER_W * hours + SLACK_WH;
}

export function sessionEnergy(input: EnergyInput): EnergyResult {
  const points: RegisterReading[] = [{ at: input.startedAt, wh: input.meterStartWh }];
  points.push(...[...input.readings].sort((a, b) => a.at.getTime() - b.at.getTime()));
  if (input.meterStopWh !== null) points.push({ at: input.stoppedAt, wh: input.meterStopWh });

  const flags = new Set<TransactionFlag>();
  let energy = 0;
  for (let i = 1; i < points.length; i++) {
    const previous = points[i - 1]!;
    const current = points[i]!;
    const step = current.wh - previous.wh;
    if (step >= 0) {
      energy += step;
      continue;
    }
    flags.add('meter_reset');
    if (current.wh <= possibleWh(previous.at, current.at)) energy += current.wh;
    else flags.add('implausible_energy');
  }
  if (energy > possibleWh(input.startedAt, input.stoppedAt)) flags.add('implausible_energy');
  return { energyWh: energy, flags: [...flags] };
}

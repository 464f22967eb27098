// How one instant's samples read as power and energy: the connector's own (Outlet) total active
// power or the sum of its phases, and its energy register. Pure and free of imports, so the
// dashboard's charts (web/) read samples exactly as the backend's live figures do.

export const POWER_MEASURAND = 'Power.Active.Import';
export const ENERGY_REGISTER_MEASURAND = 'Energy.Active.Import.Register';
export const CURRENT_MEASURAND = 'Current.Import';
const PHASES = ['L1', 'L2', 'L3'];

export interface Sample {
  measurand: string;
  phase: string | null;
  location: string | null;
  value: number | null;
}

export interface InstantReading {
  powerW: number | null;
  registerWh: number | null;
}

const atOutlet = (sample: Sample) => sample.value !== null && (sample.location === null || sample.location === 'Outlet');

/** Total of one measurand: the unphased value, else the sum of L1..L3, else null. */
function totalOf(samples: readonly Sample[], measurand: string): number | null {
  const mine = samples.filter((sample) => sample.measurand === measurand && atOutlet(sample));
  const total = mine.find((sample) => sample.phase === null);
  if (total) return total.value;
  const phases = mine.filter((sample) => sample.phase !== null && PHASES.includes(sample.phase));
  return phases.length > 0 ? phases.reduce((sum, sample) => sum + sample.value!, 0) : null;
}

/** Power and register among the samples of one instant. */
export function readInstant(samples: readonly Sample[]): InstantReading {
  const register = samples.filter((sample) => sample.phase === null);
  return { powerW: totalOf(samples, POWER_MEASURAND), registerWh: totalOf(register, ENERGY_REGISTER_MEASURAND) };
}

/**
 * The current drawn at one instant: the highest phase (L1..L3) or the unphased value, and how
 * many phases carry more than 1 A; null when the instant holds no current sample.
 */
export function readCurrent(samples: readonly Sample[]): { amps: number; phases: number } | null {
  const mine = samples.filter((sample) => sample.measurand === CURRENT_MEASURAND && atOutlet(sample));
  const phases = mine.filter((sample) => sample.phase !== null && PHASES.includes(sample.phase));
  if (phases.length > 0) {
    return { amps: Math.max(...phases.map((sample) => sample.value!)), phases: phases.filter((sample) => sample.value! > 1).length };
  }
  const total = mine.find((sample) => sample.phase === null);
  return total ? { amps: total.value!, phases: 0 } : null;
}

/** Average power between two register readings (for meters that report no power), never negative. */
export function averagePowerW(from: { atMs: number; wh: number }, to: { atMs: number; wh: number }): number | null {
  if (to.atMs <= from.atMs) return null;
  return Math.max(0, ((to.wh - from.wh) * 3_600_000) / (to.atMs - from.atMs));
}

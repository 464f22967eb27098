// A session's timeline from what was stored: meterStart/meterStop, the energy register samples
// (already in Wh), power and current samples (per phase or total) and the connector's status
// history. Pure: the same stored data always gives the same intervals, each charging or idle.
//
// Energy: the register steps between meterStart, each sample and meterStop. A step that goes
// down is a meter reset: the new register counted from zero, so its reading counts when it is
// physically possible in that time, and nothing otherwise (never negative). A missing meterStop,
// or a meterStop of 0 after a register above 0 (chargers that send 0 for "unknown"), ends the
// energy at the last sample. Within one register step the energy is spread over its charging
// parts by duration; idle parts of the step get none unless the whole step is idle.
//
// Idle (plugged in, not charging): the connector reported SuspendedEV, SuspendedEVSE or
// Finishing, or the power was near zero: the last reported power, or without power samples the
// register step's average power, at most IDLE_POWER_W.

export const IDLE_STATUSES: ReadonlySet<string> = new Set(['SuspendedEV', 'SuspendedEVSE', 'Finishing']);
/** An EV that only keeps its electronics awake draws less than this. */
export const IDLE_POWER_W = 100;
/** Above any charger we know of (350 kW HPC) with margin; a reset reading beyond it in the time is not counted. */
const MAX_PLAUSIBLE_POWER_W = 400_000;
const SLACK_WH = 100;

export interface Reading {
  at: Date;
  value: number;
  /** L1, L2, L3, L1-N, ...; null: the total of the connector. */
  phase: string | null;
}

export interface TimelineInput {
  startedAt: Date;
  /** The stop, or for a running session the present. */
  stoppedAt: Date;
  meterStartWh: number;
  meterStopWh: number | null;
  /** Energy.Active.Import.Register of the session's register, Wh. */
  registers: readonly { at: Date; wh: number }[];
  /** Power.Active.Import, W. */
  power: readonly Reading[];
  /** Current.Import, A. */
  current: readonly Reading[];
  /** The connector's statuses, including the last one before the start. */
  statuses: readonly { at: Date; status: string }[];
}

export type IntervalKind = 'charging' | 'idle';

export interface TimelineInterval {
  start: Date;
  end: Date;
  energyWh: number;
  kind: IntervalKind;
  /** The last reported power at the interval's start (sum of phases), or null. */
  reportedPowerW: number | null;
  /** The last reported current at the interval's start (sum of phases), or null. */
  reportedCurrentA: number | null;
}

export interface Timeline {
  startedAt: Date;
  stoppedAt: Date;
  intervals: TimelineInterval[];
  energyWh: number;
  chargingSeconds: number;
  idleSeconds: number;
  meterReset: boolean;
}

interface Point {
  at: number;
  wh: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The register points of the session, in time order, inside [start, stop]. */
function registerPoints(input: TimelineInput, start: number, stop: number): Point[] {
  const points: Point[] = [{ at: start, wh: input.meterStartWh }];
  const readings = input.registers
    .map((reading) => ({ at: clamp(reading.at.getTime(), start, stop), wh: reading.wh }))
    .sort((a, b) => a.at - b.at);
  points.push(...readings);
  const last = points.at(-1)!;
  const stopIsUnknown = input.meterStopWh === null || (input.meterStopWh === 0 && Math.max(...points.map((point) => point.wh)) > 0);
  if (!stopIsUnknown) points.push({ at: stop, wh: input.meterStopWh! });
  else if (last.at < stop) points.push({ at: stop, wh: last.wh }); // nothing known after the last sample
  return points;
}

/** Energy of one register step, never negative. */
function stepEnergy(from: Point, to: Point): { wh: number; reset: boolean } {
  const step = to.wh - from.wh;
  if (step >= 0) return { wh: step, reset: false };
  const possible = (MAX_PLAUSIBLE_POWER_W * (to.at - from.at)) / 3_600_000 + SLACK_WH;
  return { wh: to.wh <= possible ? to.wh : 0, reset: true };
}

/** Readings grouped by instant: the total when given, otherwise the sum of the phases (L-N or L). */
function totals(readings: readonly Reading[]): { at: number; value: number }[] {
  const byInstant = new Map<number, Reading[]>();
  for (const reading of readings) {
    const at = reading.at.getTime();
    byInstant.set(at, [...(byInstant.get(at) ?? []), reading]);
  }
  return [...byInstant.entries()]
    .map(([at, group]) => {
      const total = group.find((reading) => reading.phase === null);
      if (total) return { at, value: total.value };
      // A phase-to-neutral and a plain phase value of the same line would count twice.
      const lines = new Map<string, number>();
      for (const reading of group) {
        const line = reading.phase!.slice(0, 2);
        if (reading.phase!.endsWith('-N') || !lines.has(line)) lines.set(line, reading.value);
      }
      return { at, value: [...lines.entries()].filter(([line]) => /^L[123]$/.test(line)).reduce((sum, [, value]) => sum + value, 0) };
    })
    .sort((a, b) => a.at - b.at);
}

/** The last value at or before `at`, in a time-ordered list. */
function valueAt<T extends { at: number }>(sorted: readonly T[], at: number): T | undefined {
  let found: T | undefined;
  for (const entry of sorted) {
    if (entry.at > at) break;
    found = entry;
  }
  return found;
}

export function buildTimeline(input: TimelineInput): Timeline {
  const start = input.startedAt.getTime();
  const stop = Math.max(start, input.stoppedAt.getTime());
  const points = registerPoints(input, start, stop);
  const power = totals(input.power);
  const current = totals(input.current);
  const statuses = input.statuses.map((entry) => ({ at: entry.at.getTime(), status: entry.status })).sort((a, b) => a.at - b.at);

  const cuts = new Set<number>([start, stop, ...points.map((point) => point.at)]);
  for (const entry of [...statuses, ...power]) if (entry.at > start && entry.at < stop) cuts.add(entry.at);
  const instants = [...cuts].sort((a, b) => a - b);

  const intervals: TimelineInterval[] = [];
  let meterReset = false;
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1]!;
    const to = points[i]!;
    const energy = stepEnergy(from, to);
    meterReset ||= energy.reset;
    const stepHours = (to.at - from.at) / 3_600_000;
    const stepIdle = stepHours > 0 ? energy.wh / stepHours <= IDLE_POWER_W : energy.wh === 0;
    // The instants inside this step; a step of no duration is one instant carrying its energy.
    const inner = instants.filter((at) => at > from.at && at < to.at);
    const bounds = [from.at, ...inner, to.at];
    const pieces = bounds.slice(1).map((end, k) => {
      const begin = bounds[k]!;
      const status = valueAt(statuses, begin)?.status;
      const reported = valueAt(power, begin)?.value ?? null;
      const idle = (status !== undefined && IDLE_STATUSES.has(status)) || (reported !== null ? reported <= IDLE_POWER_W : stepIdle);
      return { begin, end, idle, reported };
    });
    const charging = pieces.filter((piece) => !piece.idle && piece.end > piece.begin);
    const carriers = charging.length > 0 ? charging : pieces;
    const carrierMs = carriers.reduce((sum, piece) => sum + (piece.end - piece.begin), 0);
    for (const piece of pieces) {
      const share = !carriers.includes(piece) ? 0 : carrierMs > 0 ? (piece.end - piece.begin) / carrierMs : 1 / carriers.length;
      intervals.push({
        start: new Date(piece.begin),
        end: new Date(piece.end),
        energyWh: energy.wh * share,
        kind: piece.idle ? 'idle' : 'charging',
        reportedPowerW: piece.reported,
        reportedCurrentA: valueAt(current, piece.begin)?.value ?? null,
      });
    }
  }

  const seconds = (kind: IntervalKind) =>
    intervals.filter((interval) => interval.kind === kind).reduce((sum, interval) => sum + (interval.end.getTime() - interval.start.getTime()), 0) / 1000;
  return {
    startedAt: new Date(start),
    stoppedAt: new Date(stop),
    intervals,
    energyWh: intervals.reduce((sum, interval) => sum + interval.energyWh, 0),
    chargingSeconds: seconds('charging'),
    idleSeconds: seconds('idle'),
    meterReset,
  };
}

// What a charging session draws now and where its register stands, for live views (the
// dashboard's power figure, the live feed); meter-reading.ts says how samples read. A meter that
// reports no power (a bare energy register) gets its power from the last two register readings.

import { and, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { averagePowerW, ENERGY_REGISTER_MEASURAND, POWER_MEASURAND, readInstant, type Sample } from './meter-reading.js';
import { meterValues } from './tables.js';

export interface TimedSample extends Sample {
  sampledAt: Date;
}

export interface LiveReading {
  at: Date;
  powerW: number | null;
  registerWh: number | null;
}

/**
 * The newest instant's power and register among `samples` (one message's, or a session's
 * latest), or undefined when they hold neither. Without a power sample, a previous register
 * reading (`before`) gives the average power since then.
 */
export function liveReading(samples: readonly TimedSample[], before?: { at: Date; wh: number }): LiveReading | undefined {
  if (samples.length === 0) return undefined;
  const atMs = Math.max(...samples.map((sample) => sample.sampledAt.getTime()));
  const reading = readInstant(samples.filter((sample) => sample.sampledAt.getTime() === atMs));
  if (reading.powerW === null && reading.registerWh === null) return undefined;
  let powerW = reading.powerW;
  if (powerW === null && reading.registerWh !== null && before) {
    powerW = averagePowerW({ atMs: before.at.getTime(), wh: before.wh }, { atMs, wh: reading.registerWh });
  }
  return { at: new Date(atMs), powerW, registerWh: reading.registerWh };
}

/**
 * The live reading of each of `transactionIds` from its two newest instants sampled since
 * `since`: a session that has reported nothing since then has no reading (its power now is not
 * known), and the query stays short however long the sessions have run.
 */
export async function liveReadings(db: Executor, transactionIds: number[], since: Date): Promise<Map<number, LiveReading>> {
  const result = new Map<number, LiveReading>();
  if (transactionIds.length === 0) return result;
  const ranked = db
    .select({
      transactionId: meterValues.transactionId,
      sampledAt: meterValues.sampledAt,
      measurand: meterValues.measurand,
      phase: meterValues.phase,
      location: meterValues.location,
      value: meterValues.value,
      rank: sql<number>`dense_rank() over (partition by ${meterValues.transactionId} order by ${meterValues.sampledAt} desc)`.as('rank'),
    })
    .from(meterValues)
    .where(
      and(
        inArray(meterValues.transactionId, transactionIds),
        inArray(meterValues.measurand, [POWER_MEASURAND, ENERGY_REGISTER_MEASURAND]),
        isNotNull(meterValues.value),
        gte(meterValues.sampledAt, since),
      ),
    )
    .as('ranked');
  const rows = await db.select().from(ranked).where(sql`${ranked.rank} <= 2`);
  const byTransaction = new Map<number, typeof rows>();
  for (const row of rows) {
    const group = byTransaction.get(row.transactionId!);
    if (group) group.push(row);
    else byTransaction.set(row.transactionId!, [row]);
  }
  for (const [transactionId, samples] of byTransaction) {
    const previous = liveReading(samples.filter((sample) => Number(sample.rank) === 2));
    const before = previous?.registerWh != null ? { at: previous.at, wh: previous.registerWh } : undefined;
    const reading = liveReading(samples.filter((sample) => Number(sample.rank) === 1), before);
    if (reading) result.set(transactionId, reading);
  }
  return result;
}

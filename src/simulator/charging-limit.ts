// What the installed charging profiles allow a connector now, in watts (OCPP 1.6 §3.13): the
// station-wide ChargePointMaxProfile caps everything; below it a TxProfile of the running
// transaction wins over TxDefaultProfiles (the connector's own over connector 0's); among
// profiles of one purpose the highest stack level that is valid now and has a period running.

import type { ChargingProfile } from './remote-calls.js';

export interface InstalledProfile {
  connectorId: number;
  profile: ChargingProfile;
}

interface Moment {
  nowMs: number;
  /** Start of the running transaction (Relative schedules count from it). */
  sessionStartMs: number | undefined;
  transactionId: number | undefined;
  /** Watts per amp of the connector (voltage × phases). */
  wattsPerAmp: number;
}

/** The limit of one profile now, in watts; undefined when it does not apply now. */
function limitNow(profile: ChargingProfile, moment: Moment): number | undefined {
  const { nowMs } = moment;
  if (profile.validFrom !== undefined && Date.parse(profile.validFrom) > nowMs) return undefined;
  if (profile.validTo !== undefined && Date.parse(profile.validTo) <= nowMs) return undefined;
  const schedule = profile.chargingSchedule;
  const startMs =
    profile.chargingProfileKind === 'Relative'
      ? (moment.sessionStartMs ?? nowMs)
      : schedule.startSchedule !== undefined
        ? Date.parse(schedule.startSchedule)
        : nowMs;
  const elapsedSec = (nowMs - startMs) / 1000;
  if (elapsedSec < 0 || (schedule.duration !== undefined && elapsedSec >= schedule.duration)) return undefined;
  const period = [...schedule.chargingSchedulePeriod].reverse().find((candidate) => candidate.startPeriod <= elapsedSec);
  if (!period) return undefined;
  return schedule.chargingRateUnit === 'W' ? period.limit : period.limit * moment.wattsPerAmp;
}

function highest(candidates: InstalledProfile[], moment: Moment): number | undefined {
  const sorted = [...candidates].sort((a, b) => b.profile.stackLevel - a.profile.stackLevel);
  for (const { profile } of sorted) {
    const limit = limitNow(profile, moment);
    if (limit !== undefined) return limit;
  }
  return undefined;
}

/** Watts the connector may draw now under `profiles` (Infinity: no profile limits it). */
export function connectorLimitW(profiles: Iterable<InstalledProfile>, connectorId: number, moment: Moment): number {
  const all = [...profiles];
  const of = (purpose: ChargingProfile['chargingProfilePurpose'], connector: number) =>
    all.filter((entry) => entry.profile.chargingProfilePurpose === purpose && entry.connectorId === connector);
  const stationMax = highest(of('ChargePointMaxProfile', 0), moment) ?? Infinity;
  const tx =
    moment.transactionId === undefined
      ? undefined
      : highest(
          of('TxProfile', connectorId).filter((entry) => entry.profile.transactionId === undefined || entry.profile.transactionId === moment.transactionId),
          moment,
        );
  const txDefault = highest(of('TxDefaultProfile', connectorId), moment) ?? highest(of('TxDefaultProfile', 0), moment);
  return Math.min(stationMax, tx ?? txDefault ?? Infinity);
}

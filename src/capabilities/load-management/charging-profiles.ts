// The SetChargingProfile requests load management sends, built from amps: a TxProfile per
// session (its allocation) and a TxDefaultProfile per station (its fallback share). Both sit at
// the station's highest stack level (ChargeProfileMaxStackLevel), so no other profile of the
// same purpose outranks the site's limit, and use fixed ids, so each new one replaces the last.

import type { CentralSystemRequest } from '../../protocol/v16/actions.js';

export type SetChargingProfile = CentralSystemRequest<'SetChargingProfile'>;

const FALLBACK_PROFILE_ID = 770_000;
const SESSION_PROFILE_ID = 770_100;

export interface StationProfileSettings {
  unit: 'A' | 'W';
  stackLevel: number;
  /** ChargingScheduleMaxPeriods: the fallback's waiting period needs two. */
  maxPeriods: number;
}

/** From the station's configuration: amps unless it only takes watts; unknown keys read as the spec's defaults. */
export function profileSettings(settings: { chargingRateUnits: string[] | null; chargeProfileMaxStackLevel: number | null; chargingScheduleMaxPeriods: number | null } | undefined): StationProfileSettings {
  const units = settings?.chargingRateUnits;
  return {
    unit: units && units.length > 0 && !units.includes('A') ? 'W' : 'A',
    stackLevel: settings?.chargeProfileMaxStackLevel ?? 0,
    maxPeriods: settings?.chargingScheduleMaxPeriods ?? 1,
  };
}

/** Amps per phase as the schedule's limit: A to 0.1, or W over the session's phases (rounded down). */
export function scheduleLimit(amps: number, unit: 'A' | 'W', phases: number, voltage: number): number {
  if (unit === 'A') return Math.floor(amps * 10 + 1e-9) / 10;
  return Math.floor(amps * voltage * Math.max(1, phases) + 1e-6);
}

export function sessionProfile(
  session: { connectorId: number; transactionId: number },
  amps: number,
  station: StationProfileSettings,
  electrical: { phases: number; voltage: number },
  validTo: Date | undefined,
): SetChargingProfile {
  return {
    connectorId: session.connectorId,
    csChargingProfiles: {
      chargingProfileId: SESSION_PROFILE_ID + session.connectorId,
      transactionId: session.transactionId,
      stackLevel: station.stackLevel,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      ...(validTo ? { validTo: validTo.toISOString() } : {}),
      chargingSchedule: {
        chargingRateUnit: station.unit,
        chargingSchedulePeriod: [{ startPeriod: 0, limit: scheduleLimit(amps, station.unit, electrical.phases, electrical.voltage) }],
      },
    },
  };
}

/**
 * The station's fallback, for every connector (connectorId 0): a session starts at 0 A for the
 * TxProfile lease (so one that starts while we are unreachable cannot add to the sessions that
 * still hold a lease), then draws its share. Without a lease, or on a station that takes one
 * period only, the share applies at once.
 */
export function fallbackProfile(amps: number, station: StationProfileSettings, electrical: { phases: number; voltage: number }, leaseSec: number): SetChargingProfile {
  const share = scheduleLimit(amps, station.unit, electrical.phases, electrical.voltage);
  const periods = leaseSec > 0 && station.maxPeriods >= 2 && share > 0 ? [{ startPeriod: 0, limit: 0 }, { startPeriod: leaseSec, limit: share }] : [{ startPeriod: 0, limit: share }];
  return {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: FALLBACK_PROFILE_ID,
      stackLevel: station.stackLevel,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: station.unit, chargingSchedulePeriod: periods },
    },
  };
}

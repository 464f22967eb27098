import { describe, expect, it } from 'vitest';
import { schemas16 } from '../../protocol/v16/schemas.js';
import { fallbackProfile, profileSettings, scheduleLimit, sessionProfile } from './charging-profiles.js';

describe('charging profiles', () => {
  it('uses amps unless the station takes watts only, and its highest stack level', () => {
    expect(profileSettings(undefined)).toEqual({ unit: 'A', stackLevel: 0, maxPeriods: 1 });
    expect(profileSettings({ chargingRateUnits: ['A', 'W'], chargeProfileMaxStackLevel: 8, chargingScheduleMaxPeriods: 24 })).toEqual({ unit: 'A', stackLevel: 8, maxPeriods: 24 });
    expect(profileSettings({ chargingRateUnits: ['W'], chargeProfileMaxStackLevel: null, chargingScheduleMaxPeriods: null }).unit).toBe('W');
    expect(scheduleLimit(13.56, 'A', 3, 230)).toBe(13.5);
    expect(scheduleLimit(10, 'W', 3, 230)).toBe(6900);
    expect(scheduleLimit(10, 'W', 1, 230)).toBe(2300);
  });

  it('builds schema-valid TxProfiles and fallbacks', () => {
    const station = { unit: 'A' as const, stackLevel: 3, maxPeriods: 24 };
    const session = sessionProfile({ connectorId: 2, transactionId: 77 }, 9.95, station, { phases: 3, voltage: 230 }, new Date('2026-05-01T12:15:00Z'));
    expect(schemas16('SetChargingProfile').checkRequest(session)).toBeUndefined();
    expect(session.csChargingProfiles).toMatchObject({ transactionId: 77, stackLevel: 3, chargingProfilePurpose: 'TxProfile', validTo: '2026-05-01T12:15:00.000Z' });
    expect(session.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 9.9 }]);

    const fallback = fallbackProfile(6.3, station, { phases: 3, voltage: 230 }, 900);
    expect(schemas16('SetChargingProfile').checkRequest(fallback)).toBeUndefined();
    expect(fallback.connectorId).toBe(0);
    expect(fallback.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 0 },
      { startPeriod: 900, limit: 6.3 },
    ]);
    // One period only: the share at once.
    expect(fallbackProfile(6.3, { ...station, maxPeriods: 1 }, { phases: 3, voltage: 230 }, 900).csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 6.3 }]);
  });
});

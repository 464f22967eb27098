import { describe, expect, it } from 'vitest';
import { connectorLimitW, type InstalledProfile } from './charging-limit.js';
import type { ChargingProfile } from './remote-calls.js';

const profile = (fields: Partial<ChargingProfile> & Pick<ChargingProfile, 'chargingProfilePurpose'>, limits: [number, number][], unit: 'A' | 'W' = 'A'): ChargingProfile => ({
  chargingProfileId: Math.floor(Math.random() * 1e6),
  stackLevel: 0,
  chargingProfileKind: 'Relative',
  chargingSchedule: { chargingRateUnit: unit, chargingSchedulePeriod: limits.map(([startPeriod, limit]) => ({ startPeriod, limit })) },
  ...fields,
});
const START = Date.parse('2026-05-01T12:00:00Z');
const at = (seconds: number, transactionId: number | undefined = 5) => ({ nowMs: START + seconds * 1000, sessionStartMs: START, transactionId, wattsPerAmp: 690 });

describe('connectorLimitW', () => {
  const txDefault: InstalledProfile = { connectorId: 0, profile: profile({ chargingProfilePurpose: 'TxDefaultProfile' }, [[0, 0], [900, 6]]) };
  const tx: InstalledProfile = { connectorId: 1, profile: profile({ chargingProfilePurpose: 'TxProfile', transactionId: 5, validTo: new Date(START + 600_000).toISOString() }, [[0, 10]]) };

  it('follows a relative TxDefaultProfile from the session start', () => {
    expect(connectorLimitW([txDefault], 1, at(10))).toBe(0);
    expect(connectorLimitW([txDefault], 1, at(901))).toBe(6 * 690);
    expect(connectorLimitW([], 1, at(10))).toBe(Infinity);
  });

  it('prefers the transaction’s TxProfile while it is valid, under the station maximum', () => {
    expect(connectorLimitW([txDefault, tx], 1, at(10))).toBe(10 * 690);
    expect(connectorLimitW([txDefault, tx], 1, at(10, 6))).toBe(0);
    expect(connectorLimitW([txDefault, tx], 1, at(601))).toBe(0);
    expect(connectorLimitW([txDefault, tx], 1, at(901 + 0))).toBe(6 * 690);
    const max: InstalledProfile = { connectorId: 0, profile: profile({ chargingProfilePurpose: 'ChargePointMaxProfile' }, [[0, 4000]], 'W') };
    expect(connectorLimitW([txDefault, tx, max], 1, at(10))).toBe(4000);
  });

  it('takes the highest stack level that applies', () => {
    const low: InstalledProfile = { connectorId: 1, profile: profile({ chargingProfilePurpose: 'TxProfile', stackLevel: 1 }, [[0, 16]]) };
    const high: InstalledProfile = { connectorId: 1, profile: profile({ chargingProfilePurpose: 'TxProfile', stackLevel: 2, chargingSchedule: { chargingRateUnit: 'A', duration: 60, chargingSchedulePeriod: [{ startPeriod: 0, limit: 8 }] } }, []) };
    expect(connectorLimitW([low, high], 1, at(30))).toBe(8 * 690);
    expect(connectorLimitW([low, high], 1, at(61))).toBe(16 * 690);
  });
});

// The few configuration keys of a station that authorization (and load management) depend on, read from the station
// with GetConfiguration (through sendCommand, so the read is logged like any command) and kept
// in station_auth_settings. stationAuthSettings() is the one reader: it prefers the station's
// stored configuration (capabilities/configuration) when that was read whole and is at least as
// new, since every GetConfiguration and ChangeConfiguration answer lands there.

import { eq } from 'drizzle-orm';
import type { CommandDeps } from '../commands/send-command.js';
import { readConfiguration } from '../configuration/configuration-service.js';
import { storedKeys } from '../configuration/configuration-store.js';
import type { Executor } from '../../storage/database.js';
import { stationAuthSettings as settingsTable } from './tables.js';

export type StationAuthSettings = Omit<typeof settingsTable.$inferSelect, 'stationId'>;

export const AUTH_CONFIGURATION_KEYS = [
  'SupportedFeatureProfiles',
  'LocalAuthListEnabled',
  'LocalAuthListMaxLength',
  'SendLocalListMaxLength',
  'AuthorizeRemoteTxRequests',
  'StopTransactionOnInvalidId',
  'AuthorizationCacheEnabled',
  'ChargingScheduleAllowedChargingRateUnit',
  'ChargeProfileMaxStackLevel',
  'ChargingScheduleMaxPeriods',
  'MaxChargingProfilesInstalled',
] as const;

const flag = (value: string | undefined): boolean | null => {
  const text = value?.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : null;
};
/** "Current,Power" → ['A', 'W']; the spec's key lists Current and/or Power. */
const rateUnits = (value: string | undefined): string[] | null => {
  if (value === undefined) return null;
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  return [...(names.includes('current') ? ['A'] : []), ...(names.includes('power') ? ['W'] : [])];
};
const count = (value: string | undefined): number | null => {
  const text = value?.trim();
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : null;
};

/** The settings a GetConfiguration answer tells; keys are CiString50, matched case-insensitively. */
export function settingsFromConfiguration(keys: readonly { key: string; value?: string | undefined }[], readAt: Date): StationAuthSettings {
  const values = new Map(keys.map((entry) => [entry.key.toLowerCase(), entry.value]));
  const value = (key: (typeof AUTH_CONFIGURATION_KEYS)[number]) => values.get(key.toLowerCase());
  const profiles = value('SupportedFeatureProfiles');
  return {
    localListManagement:
      profiles === undefined ? null : profiles.split(',').some((profile) => profile.trim().toLowerCase() === 'localauthlistmanagement'),
    localAuthListEnabled: flag(value('LocalAuthListEnabled')),
    localAuthListMaxLength: count(value('LocalAuthListMaxLength')),
    sendLocalListMaxLength: count(value('SendLocalListMaxLength')),
    authorizeRemoteTxRequests: flag(value('AuthorizeRemoteTxRequests')),
    stopTransactionOnInvalidId: flag(value('StopTransactionOnInvalidId')),
    authorizationCacheEnabled: flag(value('AuthorizationCacheEnabled')),
    chargingRateUnits: rateUnits(value('ChargingScheduleAllowedChargingRateUnit')),
    chargeProfileMaxStackLevel: count(value('ChargeProfileMaxStackLevel')),
    chargingScheduleMaxPeriods: count(value('ChargingScheduleMaxPeriods')),
    maxChargingProfilesInstalled: count(value('MaxChargingProfilesInstalled')),
    readAt,
  };
}

/** What we last learnt of the station's authorization settings; undefined: never read. */
export async function stationAuthSettings(db: Executor, stationId: string): Promise<StationAuthSettings | undefined> {
  const [row] = await db.select().from(settingsTable).where(eq(settingsTable.stationId, stationId));
  const stored = await storedKeys(db, stationId, AUTH_CONFIGURATION_KEYS);
  if (stored && (!row || stored.updatedAt >= row.readAt)) return settingsFromConfiguration(stored.keys, stored.updatedAt);
  if (!row) return undefined;
  const { stationId: _, ...settings } = row;
  return settings;
}

/**
 * Asks the station for its authorization settings and keeps the answer. The read is of the whole
 * configuration, so it also refreshes the configuration store. Throws what sendCommand throws.
 */
export async function readStationAuthSettings(commands: CommandDeps, stationId: string, requestedBy: string): Promise<StationAuthSettings> {
  const answer = await readConfiguration(commands, stationId, requestedBy);
  const settings = settingsFromConfiguration(answer.configurationKey ?? [], commands.clock.now());
  await commands.db
    .insert(settingsTable)
    .values({ stationId, ...settings })
    .onConflictDoUpdate({ target: settingsTable.stationId, set: settings });
  return settings;
}

/**
 * Whether the station ends a transaction whose StartTransaction we answered with a status other
 * than Accepted (StopTransactionOnInvalidId). A station that never told us is assumed to keep
 * the usual default, true.
 */
export async function stopsOnInvalidId(db: Executor, stationId: string): Promise<boolean> {
  return (await stationAuthSettings(db, stationId))?.stopTransactionOnInvalidId ?? true;
}

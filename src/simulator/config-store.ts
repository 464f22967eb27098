// The station's configuration keys (OCPP 1.6 §9 standard keys), in memory. Get/ChangeConfiguration
// read and write it; the station reacts to the keys that change its behaviour (intervals).

import type { CentralSystemRequest, CentralSystemResponse } from '../protocol/v16/actions.js';
import type { BrandProfile } from './brand-profiles.js';

type KeyKind = 'integer' | 'boolean' | 'list' | 'text';

interface KeyEntry {
  value: string;
  readonly: boolean;
  kind: KeyKind;
}

export type ChangeStatus = CentralSystemResponse<'ChangeConfiguration'>['status'];

export interface ConfigStore {
  get(request: CentralSystemRequest<'GetConfiguration'>): CentralSystemResponse<'GetConfiguration'>;
  change(key: string, value: string): ChangeStatus;
  /** Sets a key from inside the station (e.g. the heartbeat interval the server handed out). */
  set(key: string, value: string): void;
  value(key: string): string | undefined;
  integer(key: string): number | undefined;
  flag(key: string): boolean;
}

export interface ConfigDefaults {
  heartbeatIntervalSec: number;
  meterValueSampleIntervalSec: number;
}

/** Keys whose change takes effect only after a reboot, as on many real units. */
const REBOOT_REQUIRED = new Set(['WebSocketPingInterval']);

function entries(profile: BrandProfile, defaults: ConfigDefaults): Record<string, KeyEntry> {
  const rw = (kind: KeyKind, value: string): KeyEntry => ({ kind, value, readonly: false });
  const ro = (kind: KeyKind, value: string): KeyEntry => ({ kind, value, readonly: true });
  const sampled = ['Energy.Active.Import.Register'];
  if (profile.meter.power) sampled.push('Power.Active.Import');
  if (profile.meter.perPhase || profile.meter.dc) sampled.push('Current.Import', 'Voltage');
  if (profile.meter.dc) sampled.push('SoC');
  return {
    AllowOfflineTxForUnknownId: rw('boolean', 'false'),
    AuthorizationCacheEnabled: rw('boolean', 'true'),
    AuthorizeRemoteTxRequests: rw('boolean', 'false'),
    ClockAlignedDataInterval: rw('integer', '0'),
    ConnectionTimeOut: rw('integer', '60'),
    ConnectorPhaseRotation: rw('list', '0.RST'),
    GetConfigurationMaxKeys: ro('integer', '50'),
    HeartbeatInterval: rw('integer', String(defaults.heartbeatIntervalSec)),
    LocalAuthorizeOffline: rw('boolean', 'true'),
    LocalPreAuthorize: rw('boolean', 'false'),
    MeterValuesAlignedData: rw('list', 'Energy.Active.Import.Register'),
    MeterValuesSampledData: rw('list', sampled.join(',')),
    MeterValueSampleInterval: rw('integer', String(defaults.meterValueSampleIntervalSec)),
    NumberOfConnectors: ro('integer', String(profile.connectors)),
    ResetRetries: rw('integer', '3'),
    StopTransactionOnEVSideDisconnect: rw('boolean', 'true'),
    StopTransactionOnInvalidId: rw('boolean', 'true'),
    StopTxnAlignedData: rw('list', ''),
    StopTxnSampledData: rw('list', 'Energy.Active.Import.Register'),
    SupportedFeatureProfiles: ro('list', 'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger'),
    TransactionMessageAttempts: rw('integer', '3'),
    TransactionMessageRetryInterval: rw('integer', '60'),
    UnlockConnectorOnEVSideDisconnect: rw('boolean', 'true'),
    WebSocketPingInterval: rw('integer', '30'),
    LocalAuthListEnabled: rw('boolean', 'true'),
    LocalAuthListMaxLength: ro('integer', '1000'),
    SendLocalListMaxLength: ro('integer', '100'),
    ReserveConnectorZeroSupported: ro('boolean', 'false'),
    ChargeProfileMaxStackLevel: ro('integer', '8'),
    ChargingScheduleAllowedChargingRateUnit: ro('list', profile.meter.dc ? 'Power' : 'Current,Power'),
    ChargingScheduleMaxPeriods: ro('integer', '24'),
    MaxChargingProfilesInstalled: ro('integer', '10'),
  };
}

function valid(kind: KeyKind, value: string): boolean {
  switch (kind) {
    case 'integer':
      return /^\d{1,9}$/.test(value);
    case 'boolean':
      return value === 'true' || value === 'false';
    default:
      return value.length <= 500;
  }
}

export function createConfigStore(
  profile: BrandProfile,
  defaults: ConfigDefaults,
  onChange: (key: string, value: string) => void = () => undefined,
): ConfigStore {
  const keys = entries(profile, defaults);
  // Keys are CiString50: matched case-insensitively, answered in our spelling.
  const find = (key: string): [string, KeyEntry] | undefined => {
    const name = Object.keys(keys).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    return name === undefined ? undefined : [name, keys[name]!];
  };
  const describe = (key: string, entry: KeyEntry) => ({ key, readonly: entry.readonly, value: entry.value });
  return {
    get(request) {
      const asked = request.key ?? [];
      if (asked.length === 0) return { configurationKey: Object.entries(keys).map(([key, entry]) => describe(key, entry)) };
      const known: { key: string; readonly: boolean; value: string }[] = [];
      const unknown: string[] = [];
      for (const key of asked) {
        const found = find(key);
        if (found) known.push(describe(...found));
        else unknown.push(key);
      }
      return unknown.length > 0 ? { configurationKey: known, unknownKey: unknown } : { configurationKey: known };
    },
    change(key, value) {
      const found = find(key);
      if (!found) return 'NotSupported';
      const [name, entry] = found;
      if (entry.readonly || !valid(entry.kind, value)) return 'Rejected';
      entry.value = value;
      onChange(name, value);
      return REBOOT_REQUIRED.has(name) ? 'RebootRequired' : 'Accepted';
    },
    set(key, value) {
      const found = find(key);
      if (found) found[1].value = value;
    },
    value: (key) => find(key)?.[1].value,
    integer(key) {
      const raw = find(key)?.[1].value;
      return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
    },
    flag: (key) => find(key)?.[1].value === 'true',
  };
}

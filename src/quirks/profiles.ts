// The one place where per-vendor, per-model and per-firmware tolerances live. Generic repairs
// (normalize-payload.ts) apply to every station; an entry here covers what only some chargers
// need. A new quirk should be one entry in PROFILES plus a test, never a branch in a handler.

export interface QuirkProfile {
  /** Shown in logs and the station API, so an operator sees which tolerances apply. */
  name: string;
  /** All given patterns must match the station's BootNotification fields. */
  match: { vendor?: RegExp; model?: RegExp; firmware?: RegExp };
  /** Zone for timestamps without an offset (default: the station's configured zone, else UTC). */
  naiveTimestampZone?: string;
  /** Unit of energy registers whose sampledValue has no `unit` (OCPP default: Wh). */
  defaultEnergyUnit?: 'Wh' | 'kWh';
  /** The firmware labels energy registers "Wh" but the numbers are kWh. */
  energyRegisterIsKWh?: boolean;
  /** Last-resort rewrite of an inbound payload before the generic repairs and validation. */
  rewrite?: (action: string, payload: unknown) => unknown;
}

export interface StationIdentity {
  vendor?: string | null;
  model?: string | null;
  firmwareVersion?: string | null;
}

export const PROFILES: QuirkProfile[] = [
  {
    // OpenEVSE WiFi firmware 4.2.x reports Energy.Active.Import.Register in kWh with unit "Wh"
    // (github.com/OpenEVSE/openevse_esp32_firmware/issues/703).
    name: 'openevse-4.2-kwh-register',
    match: { vendor: /openevse/i, firmware: /^v?4\.2\./ },
    energyRegisterIsKWh: true,
  },
];

/** The tolerances that apply to a station: the first matching entry, merged over the defaults. */
export function resolveProfile(station: StationIdentity, profiles: readonly QuirkProfile[] = PROFILES): QuirkProfile {
  const found = profiles.find(({ match }) => {
    const test = (pattern: RegExp | undefined, value: string | null | undefined) =>
      pattern === undefined || (value != null && pattern.test(value));
    return test(match.vendor, station.vendor) && test(match.model, station.model) && test(match.firmware, station.firmwareVersion);
  });
  return found ?? DEFAULT_PROFILE;
}

export const DEFAULT_PROFILE: QuirkProfile = { name: 'default', match: {} };

// Simulated charger brands, as data. Vendor names are fictional ("Sim...") on purpose: the
// simulator must not claim how a real vendor's firmware behaves. Together the profiles cover the
// shapes a central system meets in the field: a tidy AC wallbox, a multi-connector AC pedestal
// with per-phase readings in kWh, a DC fast charger with SoC, and a legacy unit that exercises
// the tolerated rows of quirks.md.

/** How a brand's meter reports (see meter.ts). */
export interface MeterStyle {
  /** Unit of Energy.Active.Import.Register in MeterValues; meterStart/meterStop are Wh by spec. */
  energyUnit: 'Wh' | 'kWh';
  /** False: the energy sample carries no `unit` at all (the OCPP default, Wh). */
  labelEnergyUnit: boolean;
  /** Power.Active.Import sample and its unit, or none. */
  power: 'W' | 'kW' | false;
  /** AC per-phase Current.Import (L1..L3) and Voltage (L1-N..L3-N) samples. */
  perPhase: boolean;
  /** Nominal voltage: per phase for AC, of the DC link for DC. */
  voltage: number;
  /** DC chargers report current and voltage without a phase, and the car's state of charge. */
  dc: false | { startSocPercent: number; batteryWh: number };
  /** Transaction.Begin/End register samples in StopTransaction.transactionData. */
  transactionData: boolean;
}

/** Deviations from the spec that real chargers show and a central system must tolerate (quirks.md). */
export interface WireQuirks {
  /** Sends no Sec-WebSocket-Protocol header. */
  noSubprotocol: boolean;
  /** Timestamps without a time zone ("2024-05-01T10:00:00.000", meant as UTC). */
  naiveTimestamps: boolean;
  /** A single object where the schema says array (meterValue, sampledValue). */
  singleObjects: boolean;
  /** sampledValue.value as a JSON number instead of a string. */
  numericValues: boolean;
  /** MeterValues without transactionId (the backend links them by connector and time). */
  meterValuesWithoutTransactionId: boolean;
  /** Goes from Charging straight to Available, never Finishing. */
  noFinishing: boolean;
  /** Answers TriggerMessage(MeterValues) with Rejected. */
  rejectsMeterValuesTrigger: boolean;
}

export interface BrandProfile {
  name: string;
  description: string;
  vendor: string;
  model: string;
  firmwareVersion: string;
  meterType: string;
  connectors: number;
  /** Per connector. */
  maxPowerW: number;
  /** Phases of an AC connector (used for amps ↔ watts); DC: 0. */
  phases: 0 | 1 | 3;
  meter: MeterStyle;
  quirks: WireQuirks;
}

const NO_QUIRKS: WireQuirks = {
  noSubprotocol: false,
  naiveTimestamps: false,
  singleObjects: false,
  numericValues: false,
  meterValuesWithoutTransactionId: false,
  noFinishing: false,
  rejectsMeterValuesTrigger: false,
};

export const BRAND_PROFILES = {
  wallbox: {
    name: 'wallbox',
    description: 'Tidy 11 kW AC wallbox: 1 connector, energy in Wh, arrays, offers ocpp1.6',
    vendor: 'SimWatt',
    model: 'Sim Wallbox 11',
    firmwareVersion: '2.4.1',
    meterType: 'SimWatt internal meter',
    connectors: 1,
    maxPowerW: 11_000,
    phases: 3,
    meter: { energyUnit: 'Wh', labelEnergyUnit: true, power: 'W', perPhase: false, voltage: 230, dc: false, transactionData: true },
    quirks: NO_QUIRKS,
  },
  pedestal: {
    name: 'pedestal',
    description: '2-connector 22 kW AC pedestal: per-phase current and voltage, energy and power in kWh/kW',
    vendor: 'SimVolt',
    model: 'Sim Pedestal 2x22',
    firmwareVersion: '5.0.12',
    meterType: 'SimVolt MID 3-phase',
    connectors: 2,
    maxPowerW: 22_000,
    phases: 3,
    meter: { energyUnit: 'kWh', labelEnergyUnit: true, power: 'kW', perPhase: true, voltage: 230, dc: false, transactionData: false },
    quirks: NO_QUIRKS,
  },
  'dc-fast': {
    name: 'dc-fast',
    description: '150 kW DC fast charger: 2 connectors, DC current/voltage, state of charge, tapering above 80 %',
    vendor: 'SimRapid',
    model: 'Sim HPC 150',
    firmwareVersion: '1.9.0-rc3',
    meterType: 'SimRapid DC meter',
    connectors: 2,
    maxPowerW: 150_000,
    phases: 0,
    meter: {
      energyUnit: 'Wh',
      labelEnergyUnit: true,
      power: 'W',
      perPhase: false,
      voltage: 400,
      dc: { startSocPercent: 20, batteryWh: 75_000 },
      transactionData: true,
    },
    quirks: NO_QUIRKS,
  },
  legacy: {
    name: 'legacy',
    description:
      'Quirky 7.4 kW legacy unit: no sub-protocol, zone-less timestamps, single objects for arrays, numeric values, ' +
      'MeterValues without transactionId, no Finishing, rejects TriggerMessage(MeterValues)',
    vendor: 'SimLegacy',
    model: 'Sim Classic 7',
    firmwareVersion: '0.9.7',
    meterType: 'SimLegacy S0',
    connectors: 1,
    maxPowerW: 7_400,
    phases: 1,
    meter: { energyUnit: 'Wh', labelEnergyUnit: false, power: false, perPhase: false, voltage: 230, dc: false, transactionData: false },
    quirks: {
      noSubprotocol: true,
      naiveTimestamps: true,
      singleObjects: true,
      numericValues: true,
      meterValuesWithoutTransactionId: true,
      noFinishing: true,
      rejectsMeterValuesTrigger: true,
    },
  },
} as const satisfies Record<string, BrandProfile>;

export type ProfileName = keyof typeof BRAND_PROFILES;
export const PROFILE_NAMES = Object.keys(BRAND_PROFILES) as ProfileName[];

export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(BRAND_PROFILES, name);
}

/** The profile called `name`; throws with the list of known names otherwise. */
export function getProfile(name: string): BrandProfile {
  if (!isProfileName(name)) throw new Error(`Unknown profile "${name}"; known: ${PROFILE_NAMES.join(', ')}`);
  return BRAND_PROFILES[name];
}

/** Profile names for a fleet: "mixed" (or nothing) is every profile in turn. */
export function resolveProfileNames(selection: readonly string[] | 'mixed' | undefined): ProfileName[] {
  if (selection === undefined || selection === 'mixed') return [...PROFILE_NAMES];
  const names = selection.flatMap((name) => (name === 'mixed' ? PROFILE_NAMES : [name]));
  if (names.length === 0) return [...PROFILE_NAMES];
  return names.map((name) => getProfile(name).name as ProfileName);
}

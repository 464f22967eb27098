// One connector's meter: an energy register that only grows, by the power drawn over simulated
// time, and the sampled values a brand reports from it. The register is kept as a fraction and
// reported rounded down, so every reading (Wh or kWh with three decimals, which is exact) is
// monotonic and never ahead of the meterStop that follows it.

import type { ChargePointRequest } from '../protocol/v16/actions.js';
import type { BrandProfile } from './brand-profiles.js';

export type MeterValue = ChargePointRequest<'MeterValues'>['meterValue'][number];
export type SampledValue = MeterValue['sampledValue'][number];
export type ReadingContext = NonNullable<SampledValue['context']>;

export interface MeterState {
  /** Energy register in Wh, with fractions. */
  registerWh: number;
  /** Power drawn since `atMs` (W). */
  powerW: number;
  /** Simulated time of the last accrual. */
  atMs: number;
  /** The car's state of charge (DC only). */
  socPercent: number | undefined;
}

export function createMeter(initialWh: number, atMs: number): MeterState {
  return { registerWh: initialWh, powerW: 0, atMs, socPercent: undefined };
}

/** Adds the energy drawn at the current power up to `atMs`; the car's SoC follows. */
export function accrue(meter: MeterState, profile: BrandProfile, atMs: number): void {
  const elapsedMs = Math.max(0, atMs - meter.atMs);
  const addedWh = (meter.powerW * elapsedMs) / 3_600_000;
  meter.registerWh += addedWh;
  meter.atMs = Math.max(meter.atMs, atMs);
  const dc = profile.meter.dc;
  if (dc && meter.socPercent !== undefined) meter.socPercent = Math.min(100, meter.socPercent + (addedWh / dc.batteryWh) * 100);
}

/** The power a connector draws while charging: full power, DC tapering above 80 % SoC. */
export function chargingPowerW(meter: MeterState, profile: BrandProfile, limitW = Infinity): number {
  let power = Math.min(profile.maxPowerW, limitW);
  const soc = meter.socPercent;
  if (profile.meter.dc && soc !== undefined && soc > 80) power *= Math.max(0.1, (100 - soc) / 20);
  return Math.max(0, Math.round(power));
}

/** The register as a whole number of Wh (what meterStart/meterStop carry). */
export function registerWh(meter: MeterState): number {
  return Math.floor(meter.registerWh);
}

function energyText(wh: number, unit: 'Wh' | 'kWh'): string {
  return unit === 'Wh' ? String(wh) : (wh / 1000).toFixed(3);
}

/** An energy register sample of `wh` (whole Wh), as the brand reports it. */
export function energySample(wh: number, profile: BrandProfile, context: ReadingContext): SampledValue {
  const { energyUnit, labelEnergyUnit } = profile.meter;
  const sample: SampledValue = {
    value: energyText(wh, energyUnit),
    context,
    measurand: 'Energy.Active.Import.Register',
    location: 'Outlet',
  };
  if (labelEnergyUnit) sample.unit = energyUnit;
  return sample;
}

/** Every sample the brand sends in a periodic reading: energy first, then power, current, voltage, SoC. */
export function readingSamples(meter: MeterState, profile: BrandProfile, context: ReadingContext): SampledValue[] {
  const style = profile.meter;
  const samples = [energySample(registerWh(meter), profile, context)];
  // A legacy unit with single objects can only send one sample, the register.
  if (profile.quirks.singleObjects) return samples;
  const power = meter.powerW;
  if (style.power === 'W') samples.push({ value: String(power), context, measurand: 'Power.Active.Import', unit: 'W', location: 'Outlet' });
  if (style.power === 'kW') samples.push({ value: (power / 1000).toFixed(3), context, measurand: 'Power.Active.Import', unit: 'kW', location: 'Outlet' });
  if (style.perPhase && profile.phases > 0) {
    const amps = (power / (profile.phases * style.voltage)).toFixed(1);
    const phases = profile.phases === 3 ? (['L1', 'L2', 'L3'] as const) : (['L1'] as const);
    for (const phase of phases) samples.push({ value: amps, context, measurand: 'Current.Import', phase, unit: 'A', location: 'Outlet' });
    for (const phase of phases) {
      samples.push({ value: style.voltage.toFixed(1), context, measurand: 'Voltage', phase: `${phase}-N`, unit: 'V', location: 'Outlet' });
    }
  }
  if (style.dc) {
    samples.push({ value: (power / style.voltage).toFixed(1), context, measurand: 'Current.Import', unit: 'A', location: 'Outlet' });
    samples.push({ value: style.voltage.toFixed(1), context, measurand: 'Voltage', unit: 'V', location: 'Outlet' });
    if (meter.socPercent !== undefined) {
      samples.push({ value: String(Math.floor(meter.socPercent)), context, measurand: 'SoC', unit: 'Percent', location: 'EV' });
    }
  }
  return samples;
}

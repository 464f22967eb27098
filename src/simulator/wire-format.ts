// What a brand puts on the wire. Payloads are built schema-correct and typed; a quirky brand then
// bends them the way real firmware does (quirks.md). Kept apart so the station logic never
// handles malformed shapes, and a new quirk is one branch here plus one flag in the profile.

import type { ChargePointAction } from '../protocol/v16/actions.js';
import type { BrandProfile } from './brand-profiles.js';

/** A station timestamp in the brand's style: RFC 3339 UTC, or the same wall time without a zone. */
export function formatTimestamp(profile: BrandProfile, at: Date): string {
  const iso = at.toISOString();
  return profile.quirks.naiveTimestamps ? iso.slice(0, -1) : iso;
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** meterValue arrays as a legacy unit sends them: one object instead of a one-element array, numbers as numbers. */
function bendMeterValues(list: Json, profile: BrandProfile): Json {
  if (!Array.isArray(list)) return list;
  const entries = list.map((entry: Json) => {
    if (!isObject(entry) || !Array.isArray(entry['sampledValue'])) return entry;
    const samples = (entry['sampledValue'] as Json[]).map((sample) => {
      if (!profile.quirks.numericValues || !isObject(sample) || typeof sample['value'] !== 'string') return sample;
      const number = Number(sample['value']);
      return Number.isFinite(number) ? { ...sample, value: number } : sample;
    });
    return { ...entry, sampledValue: profile.quirks.singleObjects && samples.length === 1 ? samples[0] : samples };
  });
  return profile.quirks.singleObjects && entries.length === 1 ? entries[0] : entries;
}

/** The payload of a CALL as this brand sends it. */
export function toWire(profile: BrandProfile, action: ChargePointAction, payload: Json): Json {
  const { singleObjects, numericValues } = profile.quirks;
  if (!singleObjects && !numericValues) return payload;
  if (action === 'MeterValues' && isObject(payload)) return { ...payload, meterValue: bendMeterValues(payload['meterValue'], profile) };
  if (action === 'StopTransaction' && isObject(payload) && payload['transactionData'] !== undefined) {
    return { ...payload, transactionData: bendMeterValues(payload['transactionData'], profile) };
  }
  return payload;
}

/** The WebSocket sub-protocols the brand offers in its upgrade request. */
export function offeredProtocols(profile: BrandProfile): string[] {
  return profile.quirks.noSubprotocol ? [] : ['ocpp1.6'];
}

// The live state of a connected station that handlers need on every message, loaded from its
// row at connect and refreshed when the row changes (boot, operator accept/reject, edits).

import { resolveProfile, type QuirkProfile } from '../../quirks/profiles.js';
import type { Registration } from './tables.js';
import type { StationRow } from './station-store.js';

export interface StationSession {
  id: string;
  /** The tenant that owns the station: its id tags, tariffs and invoices are the ones that count here. */
  tenantId: number;
  registration: Registration;
  vendor: string | null;
  model: string | null;
  firmwareVersion: string | null;
  timeZone: string | null;
  /** The vendor/model tolerances that apply (quirks/profiles.ts). */
  profile: QuirkProfile;
}

export function sessionFromRow(row: StationRow): StationSession {
  return {
    id: row.id,
    tenantId: row.tenantId,
    registration: row.registration,
    vendor: row.vendor,
    model: row.model,
    firmwareVersion: row.firmwareVersion,
    timeZone: row.timeZone,
    profile: resolveProfile(row),
  };
}

/** The zone for timestamps this station sends without an offset. */
export function naiveTimestampZone(session: StationSession): string {
  return session.profile.naiveTimestampZone ?? session.timeZone ?? 'UTC';
}

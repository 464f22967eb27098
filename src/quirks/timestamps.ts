// Lenient timestamp repair. Chargers send "2024-05-01 10:00:00", "2024-05-01T10:00:00" (no
// zone), "+0200" or "+02" offsets, lower-case "t"/"z". Where the meaning is clear the value is
// rewritten to RFC 3339; the caller keeps the raw text. What cannot be read is left as it is
// for schema validation to refuse.

import { DateTime } from 'luxon';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LOOSE =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Returns the timestamp in RFC 3339 form, or undefined when the text is not a timestamp we can
 * read unambiguously. `naiveZone` is the IANA zone for values without an offset (default UTC).
 */
export function repairTimestamp(raw: string, naiveZone = 'UTC'): string | undefined {
  if (RFC3339.test(raw)) return raw;
  const match = LOOSE.exec(raw.trim());
  if (!match) return undefined;
  const [, date, clock, fraction = '', zone] = match;
  const time = clock!.length === 5 ? `${clock}:00` : clock!;
  const local = `${date}T${time}${fraction}`;
  if (zone === undefined) {
    if (naiveZone === 'UTC') return `${local}Z`;
    const zoned = DateTime.fromISO(local, { zone: naiveZone });
    return zoned.isValid ? zoned.toUTC().toISO() ?? undefined : undefined;
  }
  const upper = zone.toUpperCase();
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT') return `${local}Z`;
  const sign = zone[0];
  const digits = zone.slice(1).replace(':', '');
  const hours = digits.slice(0, 2);
  const minutes = digits.length > 2 ? digits.slice(2, 4) : '00';
  return `${local}${sign}${hours}:${minutes}`;
}

/** Earliest timestamp we believe: before this a charger's clock has not been set since power-up. */
const EARLIEST_PLAUSIBLE = Date.UTC(2015, 0, 1);
/** How far ahead of the server clock a station clock may run before we call it implausible. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

/**
 * A station timestamp is implausible when it is before 2015 (clock not set, e.g. 1970) or more
 * than a day ahead of the server. Implausible timestamps are flagged, never refused.
 */
export function isImplausibleTimestamp(at: Date, receivedAt: Date): boolean {
  const ms = at.getTime();
  return Number.isNaN(ms) || ms < EARLIEST_PLAUSIBLE || ms > receivedAt.getTime() + FUTURE_TOLERANCE_MS;
}

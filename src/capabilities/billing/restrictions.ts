// OCPI 2.2.1 tariff restrictions (section 11.4.6): when an element applies, judged at the start
// of each piece of a session, and the instants where a restriction can change its answer, so
// that no piece straddles one. Local times and dates are the site's, daylight saving included.

import { DateTime } from 'luxon';
import { DAYS_OF_WEEK, type OcpiTariffBody, type RestrictionsBody } from './tariff-model.js';

/** What the restrictions are judged on, at the start of a piece. */
export interface PieceState {
  at: number;
  /** Seconds since the session started. */
  durationS: number;
  /** Energy charged before this piece. */
  energyKWh: number;
  /** Null when not known (a piece of no duration without a reported value). */
  powerKW: number | null;
  currentA: number | null;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function withinTime(r: RestrictionsBody, minute: number): boolean {
  const start = r.start_time !== undefined ? minutesOf(r.start_time) : undefined;
  const end = r.end_time !== undefined ? minutesOf(r.end_time) : undefined;
  if (start !== undefined && end !== undefined) return start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (start !== undefined) return minute >= start;
  if (end !== undefined) return minute < end;
  return true;
}

/** Min inclusive, max exclusive, as OCPI words them; an unknown value matches no bound. */
function withinRange(value: number | null, min: number | undefined, max: number | undefined): boolean {
  if (min === undefined && max === undefined) return true;
  if (value === null) return false;
  return (min === undefined || value >= min) && (max === undefined || value < max);
}

export function restrictionsMatch(r: RestrictionsBody | undefined, state: PieceState, zone: string): boolean {
  if (!r) return true;
  // Reservations are not billed here: elements priced only for them never apply to a session.
  if (r.reservation !== undefined) return false;
  const local = DateTime.fromMillis(state.at, { zone });
  const minute = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
  const date = local.toISODate()!;
  return (
    withinTime(r, minute) &&
    (r.start_date === undefined || date >= r.start_date) &&
    (r.end_date === undefined || date < r.end_date) &&
    (r.day_of_week === undefined || r.day_of_week.includes(DAYS_OF_WEEK[local.weekday - 1]!)) &&
    withinRange(state.energyKWh, r.min_kwh, r.max_kwh) &&
    withinRange(state.durationS, r.min_duration, r.max_duration) &&
    withinRange(state.powerKW, r.min_power, r.max_power) &&
    withinRange(state.currentA, r.min_current, r.max_current)
  );
}

/** The instant the zone's offset changes between two instants of different offsets. */
function offsetChange(before: number, after: number, zone: string): number {
  const offsetAt = (at: number) => DateTime.fromMillis(at, { zone }).offset;
  const first = offsetAt(before);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (offsetAt(middle) === first) before = middle;
    else after = middle;
  }
  return after;
}

/**
 * Instants in [from, to] where a time-of-day, date or weekday restriction can change: each local
 * midnight and each start_time/end_time of each local day. A wall-clock time that happens twice
 * (the autumn change) gives both instants; one that does not exist (spring) is passed when the
 * clock jumps, so the jump itself is a boundary too.
 */
export function clockBoundaries(tariff: OcpiTariffBody, from: number, to: number, zone: string): number[] {
  const times = new Set<number>([0]);
  for (const element of tariff.elements) {
    const r = element.restrictions;
    if (r?.start_time) times.add(minutesOf(r.start_time));
    if (r?.end_time) times.add(minutesOf(r.end_time));
  }
  const found = new Set<number>();
  let day = DateTime.fromMillis(from, { zone }).startOf('day');
  const last = DateTime.fromMillis(to, { zone });
  while (day <= last) {
    for (const minute of times) {
      const wall = { hour: Math.floor(minute / 60), minute: minute % 60 };
      const instant = day.set(wall);
      for (const candidate of [instant, instant.minus({ hours: 1 }), instant.plus({ hours: 1 })]) {
        const sameWall = candidate.hour === instant.hour && candidate.minute === instant.minute && candidate.toISODate() === instant.toISODate();
        if (sameWall) found.add(candidate.toMillis());
      }
    }
    const next = day.plus({ days: 1 }).startOf('day');
    if (next.offset !== day.offset) found.add(offsetChange(day.toMillis(), next.toMillis(), zone));
    day = next;
  }
  return [...found].filter((at) => at > from && at < to).sort((a, b) => a - b);
}

/** Seconds since the start where a duration restriction changes. */
export function durationBoundaries(tariff: OcpiTariffBody): number[] {
  return tariff.elements.flatMap((element) => [element.restrictions?.min_duration, element.restrictions?.max_duration]).filter((s): s is number => s !== undefined);
}

/** kWh where an energy restriction changes. */
export function energyBoundaries(tariff: OcpiTariffBody): number[] {
  return tariff.elements.flatMap((element) => [element.restrictions?.min_kwh, element.restrictions?.max_kwh]).filter((k): k is number => k !== undefined && k > 0);
}

import { describe, expect, it } from 'vitest';
import { compileCheck, createAjv } from '../protocol/validation.js';
import { isImplausibleTimestamp, repairTimestamp } from './timestamps.js';

// What a repaired timestamp must pass: the schemas' own date-time check.
const dateTime = compileCheck(createAjv(), { type: 'string', format: 'date-time' });

function repaired(raw: string, zone?: string): string {
  const result = repairTimestamp(raw, zone);
  expect(result, `repairTimestamp(${JSON.stringify(raw)}, ${String(zone)})`).toBeDefined();
  expect(dateTime(result), `${result} must be a valid RFC 3339 date-time`).toBeUndefined();
  return result!;
}

describe('repairTimestamp', () => {
  it('returns a valid RFC 3339 timestamp unchanged', () => {
    for (const raw of ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00+02:00', '2024-05-01T10:00:00.5-05:30']) {
      expect(repairTimestamp(raw), raw).toBe(raw);
      expect(repairTimestamp(raw, 'Europe/Berlin'), raw).toBe(raw);
    }
  });

  it('reads a space as the date/time separator', () => {
    expect(repaired('2024-05-01 10:00:00Z')).toBe('2024-05-01T10:00:00Z');
    expect(repaired('2024-05-01 10:00:00')).toBe('2024-05-01T10:00:00Z');
  });

  it('reads a value without a zone as UTC by default, keeping the fraction', () => {
    expect(repaired('2024-05-01T10:00:00')).toBe('2024-05-01T10:00:00Z');
    expect(repaired('2024-05-01T10:00:00.123')).toBe('2024-05-01T10:00:00.123Z');
    expect(repairTimestamp('2024-05-01T10:00:00', 'UTC')).toBe('2024-05-01T10:00:00Z');
  });

  it('adds missing seconds', () => {
    expect(repaired('2024-05-01T10:00')).toBe('2024-05-01T10:00:00Z');
    expect(repaired('2024-05-01 10:00+02')).toBe('2024-05-01T10:00:00+02:00');
  });

  it('reads a value without a zone in the station zone, across daylight-saving time', () => {
    // Berlin: CEST (+02:00) in summer, CET (+01:00) in winter.
    expect(Date.parse(repaired('2024-07-01T10:00:00', 'Europe/Berlin'))).toBe(Date.parse('2024-07-01T08:00:00Z'));
    expect(Date.parse(repaired('2024-01-15 10:00:00.250', 'Europe/Berlin'))).toBe(Date.parse('2024-01-15T09:00:00.250Z'));
    expect(Date.parse(repaired('2024-07-01T10:00:00', 'America/New_York'))).toBe(Date.parse('2024-07-01T14:00:00Z'));
    // The day the clocks move: before and after the change.
    expect(Date.parse(repaired('2024-03-31T01:30:00', 'Europe/Berlin'))).toBe(Date.parse('2024-03-31T00:30:00Z'));
    expect(Date.parse(repaired('2024-03-31T03:30:00', 'Europe/Berlin'))).toBe(Date.parse('2024-03-31T01:30:00Z'));
  });

  it('still gives one valid instant for local times that do not exist or exist twice', () => {
    // 02:30 does not exist in Berlin on 2024-03-31 (clocks jump 02:00 → 03:00).
    const gap = Date.parse(repaired('2024-03-31T02:30:00', 'Europe/Berlin'));
    expect([Date.parse('2024-03-31T00:30:00Z'), Date.parse('2024-03-31T01:30:00Z')]).toContain(gap);
    // 02:30 happens twice on 2024-10-27 (CEST, then CET).
    const twice = Date.parse(repaired('2024-10-27T02:30:00', 'Europe/Berlin'));
    expect([Date.parse('2024-10-27T00:30:00Z'), Date.parse('2024-10-27T01:30:00Z')]).toContain(twice);
  });

  it('ignores the station zone when the value carries its own offset', () => {
    expect(repaired('2024-07-01T10:00:00+0100', 'Europe/Berlin')).toBe('2024-07-01T10:00:00+01:00');
    expect(repaired('2024-07-01T10:00:00Z', 'Europe/Berlin')).toBe('2024-07-01T10:00:00Z');
  });

  it('completes short offsets: +0200, +02, -0530', () => {
    expect(repaired('2024-05-01T10:00:00+0200')).toBe('2024-05-01T10:00:00+02:00');
    expect(repaired('2024-05-01T10:00:00+02')).toBe('2024-05-01T10:00:00+02:00');
    expect(repaired('2024-05-01T10:00:00-0530')).toBe('2024-05-01T10:00:00-05:30');
    expect(repaired('2024-05-01T10:00:00.7+02')).toBe('2024-05-01T10:00:00.7+02:00');
    expect(Date.parse(repaired('2024-05-01T10:00:00+0200'))).toBe(Date.parse('2024-05-01T08:00:00Z'));
  });

  it('reads lower-case z and t, and UTC/GMT suffixes', () => {
    expect(repaired('2024-05-01T10:00:00z')).toBe('2024-05-01T10:00:00Z');
    expect(repaired('2024-05-01t10:00:00Z')).toBe('2024-05-01T10:00:00Z');
    expect(repaired('2024-05-01 10:00:00 UTC')).toBe('2024-05-01T10:00:00Z');
    expect(repaired('2024-05-01 10:00:00 gmt')).toBe('2024-05-01T10:00:00Z');
  });

  it('tolerates surrounding white space', () => {
    expect(repaired(' 2024-05-01T10:00:00Z\n')).toBe('2024-05-01T10:00:00Z');
  });

  it('returns undefined for what it cannot read', () => {
    for (const raw of ['', 'garbage', 'yesterday', '01.05.2024 10:00:00', '2024-05-01', '10:00:00', '1714557600', '2024-05-01T10:00:00+2', '2024/05/01 10:00:00']) {
      expect(repairTimestamp(raw), raw).toBeUndefined();
    }
  });

  it('returns undefined for a naive value in an unknown zone or on a date that does not exist there', () => {
    expect(repairTimestamp('2024-05-01T10:00:00', 'Mars/Olympus_Mons')).toBeUndefined();
    expect(repairTimestamp('2024-02-30T10:00:00', 'Europe/Berlin')).toBeUndefined();
  });
});

describe('isImplausibleTimestamp', () => {
  const now = new Date('2025-06-01T12:00:00Z');

  it('flags a clock that was never set (1970) and anything before 2015', () => {
    expect(isImplausibleTimestamp(new Date(0), now)).toBe(true);
    expect(isImplausibleTimestamp(new Date('1970-01-01T00:05:00Z'), now)).toBe(true);
    expect(isImplausibleTimestamp(new Date('2014-12-31T23:59:59Z'), now)).toBe(true);
    expect(isImplausibleTimestamp(new Date('2015-01-01T00:00:00Z'), now)).toBe(false);
  });

  it('flags a clock running more than a day ahead of the server', () => {
    expect(isImplausibleTimestamp(new Date('2030-01-01T00:00:00Z'), now)).toBe(true);
    expect(isImplausibleTimestamp(new Date(now.getTime() + 24 * 3600_000 + 1000), now)).toBe(true);
    expect(isImplausibleTimestamp(new Date(now.getTime() + 23 * 3600_000), now)).toBe(false);
  });

  it('accepts the present and the past (late deliveries are normal)', () => {
    expect(isImplausibleTimestamp(now, now)).toBe(false);
    expect(isImplausibleTimestamp(new Date('2025-05-01T00:00:00Z'), now)).toBe(false);
    expect(isImplausibleTimestamp(new Date('2019-03-01T00:00:00Z'), now)).toBe(false);
  });

  it('flags an invalid date', () => {
    expect(isImplausibleTimestamp(new Date('not a date'), now)).toBe(true);
  });
});

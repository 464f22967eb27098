import { describe, expect, it } from 'vitest';
import { decode, encode } from './wire.js';

describe('cluster wire format', () => {
  it('brings Dates back as Dates, and leaves date-like strings alone', () => {
    const at = new Date('2026-11-25T01:00:00.123Z');
    const back = decode<{ at: Date; idTag: string; nested: { list: Date[] }; none: null }>(
      encode({ at, idTag: '2026-11-25T01:00:00Z', nested: { list: [at] }, none: null }),
    );
    expect(back.at).toBeInstanceOf(Date);
    expect(back.at.getTime()).toBe(at.getTime());
    expect(back.nested.list[0]).toEqual(at);
    expect(back.idTag).toBe('2026-11-25T01:00:00Z');
    expect(back.none).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { LocalListState } from './local-list-store.js';
import { dueForSweep, RECHECK_UNSUPPORTED_MS, REFRESH_MS } from './sync.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const state = (fields: Partial<LocalListState>): LocalListState => ({
  stationId: 'S',
  version: 3,
  syncStatus: 'in_sync',
  detail: null,
  checkedAt: ago(60_000),
  syncedAt: ago(60_000),
  cacheClearPending: false,
  ...fields,
});

describe('dueForSweep', () => {
  it('retries failures and pending cache clears at once', () => {
    expect(dueForSweep(state({ syncStatus: 'failed' }), NOW)).toBe(true);
    expect(dueForSweep(state({ cacheClearPending: true }), NOW)).toBe(true);
  });

  it('leaves a station without local lists alone for a day', () => {
    expect(dueForSweep(state({ syncStatus: 'not_supported', checkedAt: ago(RECHECK_UNSUPPORTED_MS - 1) }), NOW)).toBe(false);
    expect(dueForSweep(state({ syncStatus: 'not_supported', checkedAt: ago(RECHECK_UNSUPPORTED_MS) }), NOW)).toBe(true);
  });

  it('refreshes a list in sync once a day', () => {
    expect(dueForSweep(state({}), NOW)).toBe(false);
    expect(dueForSweep(state({ syncedAt: ago(REFRESH_MS) }), NOW)).toBe(true);
  });

  it('leaves a station that never needed a list alone', () => {
    expect(dueForSweep(state({ syncStatus: null, version: null }), NOW)).toBe(false);
  });
});

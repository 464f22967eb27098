import { describe, expect, it } from 'vitest';
import type { IdTagRow } from '../id-tag-store.js';
import { selectLocalList, type ListCandidate } from './selection.js';

const NOW = new Date('2026-05-01T12:00:00Z');
let nextId = 1;
function tag(idTag: string, fields: Partial<IdTagRow> = {}): IdTagRow {
  return {
    id: nextId++,
    tenantId: 1,
    idTag,
    status: 'Accepted',
    expiryDate: null,
    parentIdTag: null,
    internal: false,
    ownerName: null,
    maxConcurrentTx: null,
    origin: 'operator',
    createdAt: NOW,
    updatedAt: NOW,
    ...fields,
  };
}
const candidate = (row: IdTagRow, lastStartedHere?: string, group?: IdTagRow): ListCandidate => ({
  tag: row,
  group,
  lastStartedHere: lastStartedHere ? new Date(lastStartedHere) : undefined,
});
const names = (entries: { idTag: string }[]) => entries.map((entry) => entry.idTag);

describe('selectLocalList', () => {
  const candidates = [
    candidate(tag('zed')),
    candidate(tag('Blocked-1', { status: 'Blocked' }), '2026-04-30T00:00:00Z'),
    candidate(tag('alpha')),
    candidate(tag('Used-Long-Ago'), '2025-01-01T00:00:00Z'),
    candidate(tag('Used-Yesterday'), '2026-04-30T00:00:00Z'),
    candidate(tag('lapsed', { expiryDate: new Date('2026-04-01T00:00:00Z') })),
    candidate(tag('Beta')),
  ];

  it('puts tags that may charge first, the most recently used here first, then by idTag case-insensitively', () => {
    expect(names(selectLocalList(candidates, null, NOW))).toEqual(['Used-Yesterday', 'Used-Long-Ago', 'alpha', 'Beta', 'zed', 'Blocked-1', 'lapsed']);
  });

  it('cuts the ranking to the station’s maximum length', () => {
    expect(names(selectLocalList(candidates, 3, NOW))).toEqual(['Used-Yesterday', 'Used-Long-Ago', 'alpha']);
    expect(selectLocalList(candidates, 0, NOW)).toEqual([]);
  });

  it('is the same whatever order the tags come in', () => {
    const reversed = [...candidates].reverse();
    expect(selectLocalList(reversed, 4, NOW)).toEqual(selectLocalList(candidates, 4, NOW));
  });

  it('carries the status a station must apply: expired, blocked through the group, with expiry and group', () => {
    const fleet = tag('FLEET', { status: 'Blocked' });
    const list = selectLocalList(
      [candidate(tag('lapsed', { expiryDate: new Date('2026-04-01T00:00:00Z') })), candidate(tag('card', { parentIdTag: 'fleet' }), undefined, fleet)],
      null,
      NOW,
    );
    expect(list).toEqual([
      { idTag: 'card', idTagInfo: { status: 'Blocked', parentIdTag: 'fleet' } },
      { idTag: 'lapsed', idTagInfo: { status: 'Expired', expiryDate: '2026-04-01T00:00:00.000Z' } },
    ]);
  });
});

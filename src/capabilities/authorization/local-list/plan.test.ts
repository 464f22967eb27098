import { describe, expect, it } from 'vitest';
import { applyUpdate, differences, planUpdates, type LocalListEntry } from './plan.js';

const entry = (idTag: string, status: LocalListEntry['idTagInfo']['status'] = 'Accepted', extra: Partial<LocalListEntry['idTagInfo']> = {}): LocalListEntry => ({
  idTag,
  idTagInfo: { status, ...extra },
});

describe('differences', () => {
  it('lists new and changed entries with their idTagInfo and removed ones without', () => {
    const held = [entry('A'), entry('B'), entry('C', 'Accepted', { expiryDate: '2030-01-01T00:00:00.000Z' })];
    const desired = [entry('a'), entry('B', 'Blocked'), entry('C', 'Accepted', { expiryDate: '2030-01-01T00:00:00Z' }), entry('D')];
    expect(differences(desired, held)).toEqual([entry('B', 'Blocked'), entry('D')]);
    expect(differences([entry('A')], held)).toEqual([{ idTag: 'B' }, { idTag: 'C' }]);
    expect(differences(held, held)).toEqual([]);
  });

  it('sees a changed group or expiry', () => {
    expect(differences([entry('A', 'Accepted', { parentIdTag: 'G2' })], [entry('A', 'Accepted', { parentIdTag: 'G1' })])).toHaveLength(1);
    expect(differences([entry('A', 'Accepted', { expiryDate: '2031-01-01T00:00:00Z' })], [entry('A')])).toHaveLength(1);
  });
});

describe('planUpdates', () => {
  const five = ['A', 'B', 'C', 'D', 'E'].map((tag) => entry(tag));

  it('sends a Full list when the station’s list is unknown, the rest as Differential updates', () => {
    expect(planUpdates(five, undefined, 2)).toEqual([
      { updateType: 'Full', entries: five.slice(0, 2) },
      { updateType: 'Differential', entries: five.slice(2, 4) },
      { updateType: 'Differential', entries: five.slice(4) },
    ]);
    expect(planUpdates(five, undefined, null)).toEqual([{ updateType: 'Full', entries: five }]);
  });

  it('sends an empty Full list to clear an unknown list', () => {
    expect(planUpdates([], undefined, 10)).toEqual([{ updateType: 'Full', entries: [] }]);
  });

  it('sends only the differences when the list is known, nothing when there are none', () => {
    expect(planUpdates(five, five.slice(0, 4), 10)).toEqual([{ updateType: 'Differential', entries: [five[4]] }]);
    expect(planUpdates(five, five, 10)).toEqual([]);
  });
});

describe('applyUpdate', () => {
  it('replaces the list on Full and merges on Differential, removing entries without idTagInfo', () => {
    const held = [entry('A'), entry('B')];
    expect(applyUpdate(held, { updateType: 'Full', entries: [entry('C')] })).toEqual([entry('C')]);
    expect(applyUpdate(held, { updateType: 'Differential', entries: [{ idTag: 'a' }, entry('B', 'Blocked'), entry('C')] })).toEqual([
      entry('B', 'Blocked'),
      entry('C'),
    ]);
  });

  it('turns any list into the desired one when the whole plan is applied', () => {
    const held = [entry('X'), entry('A', 'Blocked')];
    const desired = [entry('A'), entry('B'), entry('C')];
    for (const known of [held, undefined]) {
      const result = planUpdates(desired, known, 1).reduce(applyUpdate, held);
      expect(result.sort((a, b) => a.idTag.localeCompare(b.idTag))).toEqual(desired);
    }
  });
});

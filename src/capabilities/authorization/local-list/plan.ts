// What to send a station so that its local list becomes the one we want: a Full list when we do
// not know what it holds, else only the differences; either split into messages of at most
// SendLocalListMaxLength entries (a Full list's remainder follows as Differential updates).

import type { CentralSystemRequest } from '../../../protocol/v16/actions.js';
import type { IdTagInfo } from '../decide.js';

/** One entry of a SendLocalList; without idTagInfo (Differential only) it removes the tag. */
export type AuthorizationData = NonNullable<CentralSystemRequest<'SendLocalList'>['localAuthorizationList']>[number];
/** An entry the station holds (a type alias, not an interface, so it fits the schema's open object type). */
export type LocalListEntry = { idTag: string; idTagInfo: IdTagInfo };
export interface ListUpdate {
  updateType: 'Full' | 'Differential';
  entries: AuthorizationData[];
}

const key = (idTag: string) => idTag.toLowerCase();
const instant = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

function sameInfo(a: IdTagInfo, b: IdTagInfo): boolean {
  return a.status === b.status && instant(a.expiryDate) === instant(b.expiryDate) && a.parentIdTag === b.parentIdTag;
}

/** The entries that turn `held` into `desired`: new or changed ones with their idTagInfo, gone ones without. */
export function differences(desired: readonly LocalListEntry[], held: readonly LocalListEntry[]): AuthorizationData[] {
  const before = new Map(held.map((entry) => [key(entry.idTag), entry]));
  const changes: AuthorizationData[] = [];
  for (const entry of desired) {
    const old = before.get(key(entry.idTag));
    before.delete(key(entry.idTag));
    if (!old || !sameInfo(old.idTagInfo, entry.idTagInfo)) changes.push(entry);
  }
  for (const gone of before.values()) changes.push({ idTag: gone.idTag });
  return changes;
}

function chunks<T>(items: readonly T[], size: number | null): T[][] {
  const step = size === null ? Math.max(1, items.length) : Math.max(1, size);
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += step) result.push(items.slice(start, start + step));
  return result;
}

/**
 * The SendLocalList messages, in order. `held` undefined: the station's list is unknown, so a
 * Full list goes first (an empty Full list clears it). Known: only the differences, nothing at
 * all when there are none.
 */
export function planUpdates(desired: readonly LocalListEntry[], held: readonly LocalListEntry[] | undefined, maxPerMessage: number | null): ListUpdate[] {
  if (held) return chunks(differences(desired, held), maxPerMessage).map((entries) => ({ updateType: 'Differential', entries }));
  const [first = [], ...rest] = chunks(desired, maxPerMessage);
  return [{ updateType: 'Full', entries: first }, ...rest.map((entries): ListUpdate => ({ updateType: 'Differential', entries }))];
}

/** What the station holds after it accepted `update`. */
export function applyUpdate(held: readonly LocalListEntry[], update: ListUpdate): LocalListEntry[] {
  const list = new Map(update.updateType === 'Full' ? [] : held.map((entry) => [key(entry.idTag), entry]));
  for (const entry of update.entries) {
    if (entry.idTagInfo) list.set(key(entry.idTag), { idTag: entry.idTag, idTagInfo: entry.idTagInfo });
    else list.delete(key(entry.idTag));
  }
  return [...list.values()];
}

// Which tags go into a station's local list. A station holds at most LocalAuthListMaxLength
// entries, often fewer than an operator has tags, so the choice is a ranking, deterministic for
// the same data:
//   1. tags that may charge (Accepted now) before refused ones (Blocked, Expired, Invalid, ...):
//      the list exists so that drivers keep charging offline; refused tags follow while room is
//      left, so that an offline station also refuses them rather than trusting its cache;
//   2. within each part, tags most recently used to start a transaction at this station first;
//   3. then by idTag, case-insensitively (stable, so the list does not churn).
// With no known maximum, every tag goes in.

import { standingOf } from '../decide.js';
import type { IdTagRow } from '../id-tag-store.js';
import type { LocalListEntry } from './plan.js';

export interface ListCandidate {
  tag: IdTagRow;
  /** The tag's group (its parentIdTag's own row), when registered. */
  group: IdTagRow | undefined;
  /** When the tag last started a transaction at this station. */
  lastStartedHere: Date | undefined;
}

export function selectLocalList(candidates: readonly ListCandidate[], maxLength: number | null, at: Date): LocalListEntry[] {
  const ranked = candidates.map((candidate) => {
    const idTagInfo = standingOf(candidate.tag, candidate.group, at);
    return {
      entry: { idTag: candidate.tag.idTag, idTagInfo },
      allowed: idTagInfo.status === 'Accepted' ? 0 : 1,
      lastUsed: candidate.lastStartedHere?.getTime() ?? Number.NEGATIVE_INFINITY,
      name: candidate.tag.idTag.toLowerCase(),
    };
  });
  ranked.sort((a, b) => a.allowed - b.allowed || b.lastUsed - a.lastUsed || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return ranked.slice(0, maxLength ?? ranked.length).map((item) => item.entry);
}

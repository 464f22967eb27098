// Which tariff a session is rated with. Precedence, most specific first:
//   1. its token group: the tariff assigned to the id tag's parentIdTag (a tag without a parent
//      is its own group, so a group's own card is priced like its members);
//   2. its station (`tariffId` of /api/v1/stations/{id});
//   3. its station's site (`tariffId` of /api/v1/sites/{id});
//   4. the default tariff (/api/v1/tariff-assignments/default), if one is set.
// The version is the one in force when the session started (server time of the start), so a
// tariff changed mid-session does not change the session's price.

import type { Executor } from '../../storage/database.js';
import { findIdTagWithGroup } from '../authorization/id-tag-store.js';
import { getSite } from '../sites/site-store.js';
import { getStation } from '../stations/station-store.js';
import { DEFAULT_KEY, getAssignment, groupKey, tariffVersionAt } from './tariff-store.js';

export type TariffSource = 'group' | 'station' | 'site' | 'default';

export interface SessionTariffChoice {
  tariffId: string | null;
  tariffVersion: number | null;
  source: TariffSource | null;
  /** The id tag or its group is flagged internal: rated at zero. */
  internal: boolean;
}

export async function chooseTariff(db: Executor, session: { idTag: string; stationId: string }, startedAt: Date): Promise<SessionTariffChoice> {
  const tag = await findIdTagWithGroup(db, session.idTag);
  const internal = Boolean(tag?.tag.internal || tag?.group?.internal);
  const group = tag?.tag.parentIdTag ?? session.idTag;
  const station = await getStation(db, session.stationId);
  const site = station?.siteId ? await getSite(db, station.siteId) : undefined;
  const candidates: [TariffSource, () => Promise<string | null | undefined>][] = [
    ['group', () => getAssignment(db, 'group', groupKey(group))],
    ['station', async () => station?.tariffId],
    ['site', async () => site?.tariffId],
    ['default', () => getAssignment(db, 'default', DEFAULT_KEY)],
  ];
  for (const [source, find] of candidates) {
    const tariffId = await find();
    if (!tariffId) continue;
    const version = await tariffVersionAt(db, tariffId, startedAt);
    if (version) return { tariffId, tariffVersion: version.version, source, internal };
  }
  return { tariffId: null, tariffVersion: null, source: null, internal };
}

/** The zone of the site's price windows: the site's, else the station's own, else UTC. */
export async function pricingZone(db: Executor, stationId: string): Promise<string> {
  const station = await getStation(db, stationId);
  const site = station?.siteId ? await getSite(db, station.siteId) : undefined;
  return site?.timeZone ?? station?.timeZone ?? 'UTC';
}

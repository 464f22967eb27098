// Which tariff a session is rated with. Precedence, most specific first:
//   1. its token group: the tariff assigned to the id tag's parentIdTag (a tag without a parent
//      is its own group, so a group's own card is priced like its members);
//   2. its station (`tariffId` of /api/v1/stations/{id});
//   3. its station's site (`tariffId` of /api/v1/sites/{id});
//   4. the default tariff (/api/v1/tariff-assignments/default), if one is set.
// The version is the one in force when the session started (server time of the start), so a
// tariff changed mid-session does not change the session's price.
// Everything is the STATION's tenant's: its id tags (another tenant's card is a stranger here:
// no group, not internal), its group assignments and its default, and only its own tariffs.

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

const NO_TARIFF = { tariffId: null, tariffVersion: null, source: null } as const;

export async function chooseTariff(db: Executor, session: { idTag: string; stationId: string }, startedAt: Date): Promise<SessionTariffChoice> {
  const station = await getStation(db, session.stationId);
  if (!station) return { ...NO_TARIFF, internal: false };
  const tenantId = station.tenantId;
  const tag = await findIdTagWithGroup(db, tenantId, session.idTag);
  const internal = Boolean(tag?.tag.internal || tag?.group?.internal);
  const group = tag?.tag.parentIdTag ?? session.idTag;
  const site = station.siteId ? await getSite(db, station.siteId) : undefined;
  const candidates: [TariffSource, () => Promise<string | null | undefined>][] = [
    ['group', () => getAssignment(db, tenantId, 'group', groupKey(group))],
    ['station', async () => station.tariffId],
    ['site', async () => (site?.tenantId === tenantId ? site.tariffId : undefined)],
    ['default', () => getAssignment(db, tenantId, 'default', DEFAULT_KEY)],
  ];
  for (const [source, find] of candidates) {
    const tariffId = await find();
    if (!tariffId) continue;
    const version = await tariffVersionAt(db, tariffId, startedAt);
    // A tariff of another tenant never prices this tenant's session, whatever points to it.
    if (version && version.tenantId === tenantId) return { tariffId, tariffVersion: version.version, source, internal };
  }
  return { ...NO_TARIFF, internal };
}

/** The zone of the site's price windows: the site's, else the station's own, else UTC. */
export async function pricingZone(db: Executor, stationId: string): Promise<string> {
  const station = await getStation(db, stationId);
  const site = station?.siteId ? await getSite(db, station.siteId) : undefined;
  return site?.timeZone ?? station?.timeZone ?? 'UTC';
}

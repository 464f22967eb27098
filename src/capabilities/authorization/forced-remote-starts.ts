// Remote starts an operator forced for a tag that would have been refused. Until it expires,
// the Authorize (AuthorizeRemoteTxRequests) and the StartTransaction that follow from that
// station with that tag are answered Accepted; the StartTransaction uses it up.

import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { forcedRemoteStarts, type IdTagStatus } from './tables.js';

/** A driver has this long after the remote start to plug in. */
export const FORCED_REMOTE_START_MS = 15 * 60_000;

export interface ForcedRemoteStart {
  stationId: string;
  connectorId: number | null;
  idTag: string;
  refusedStatus: IdTagStatus;
  requestedBy: string;
  requestedAt: Date;
}

export async function recordForcedRemoteStart(db: Executor, start: ForcedRemoteStart): Promise<void> {
  await db.insert(forcedRemoteStarts).values({ ...start, expiresAt: new Date(start.requestedAt.getTime() + FORCED_REMOTE_START_MS) });
}

const open = (stationId: string, idTag: string, at: Date) =>
  and(
    eq(forcedRemoteStarts.stationId, stationId),
    eq(sql`lower(${forcedRemoteStarts.idTag})`, idTag.toLowerCase()),
    isNull(forcedRemoteStarts.usedAt),
    gt(forcedRemoteStarts.expiresAt, at),
  );

/** Whether an unused, unexpired forced remote start exists for this station and tag. */
export async function hasForcedRemoteStart(db: Executor, stationId: string, idTag: string, at: Date): Promise<boolean> {
  const [row] = await db.select({ id: forcedRemoteStarts.id }).from(forcedRemoteStarts).where(open(stationId, idTag, at)).limit(1);
  return row !== undefined;
}

/** Uses up the newest open forced remote start for this station and tag; false when there is none. */
export async function useForcedRemoteStart(db: Executor, stationId: string, idTag: string, at: Date): Promise<boolean> {
  const newest = db
    .select({ id: forcedRemoteStarts.id })
    .from(forcedRemoteStarts)
    .where(open(stationId, idTag, at))
    .orderBy(desc(forcedRemoteStarts.requestedAt))
    .limit(1);
  const used = await db
    .update(forcedRemoteStarts)
    .set({ usedAt: at })
    .where(eq(forcedRemoteStarts.id, sql`(${newest})`))
    .returning({ id: forcedRemoteStarts.id });
  return used.length > 0;
}

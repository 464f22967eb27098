// Reads and writes of each station's local-list state and of the entries it holds from us.

import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../../storage/database.js';
import { localListEntries, localListStates } from '../tables.js';
import type { LocalListEntry } from './plan.js';

export type LocalListState = typeof localListStates.$inferSelect;
export type LocalListStateFields = Partial<Omit<LocalListState, 'stationId'>>;

export async function localListState(db: Executor, stationId: string): Promise<LocalListState | undefined> {
  const [row] = await db.select().from(localListStates).where(eq(localListStates.stationId, stationId));
  return row;
}

export async function allLocalListStates(db: Executor): Promise<LocalListState[]> {
  return db.select().from(localListStates);
}

export async function updateLocalListState(db: Executor, stationId: string, fields: LocalListStateFields): Promise<void> {
  await db
    .insert(localListStates)
    .values({ stationId, ...fields })
    .onConflictDoUpdate({ target: localListStates.stationId, set: fields });
}

/** A tag was revoked: these stations must clear their authorization cache (now, or when they are back). */
export async function markCacheClearPending(db: Executor, stationIds: readonly string[]): Promise<void> {
  if (stationIds.length === 0) return;
  await db
    .insert(localListStates)
    .values(stationIds.map((stationId) => ({ stationId, cacheClearPending: true })))
    .onConflictDoUpdate({ target: localListStates.stationId, set: { cacheClearPending: true } });
}

export async function heldEntries(db: Executor, stationId: string): Promise<LocalListEntry[]> {
  const rows = await db.select().from(localListEntries).where(eq(localListEntries.stationId, stationId)).orderBy(asc(localListEntries.idTag));
  return rows.map((row) => {
    const entry: LocalListEntry = { idTag: row.idTag, idTagInfo: { status: row.status } };
    if (row.expiryDate) entry.idTagInfo.expiryDate = row.expiryDate.toISOString();
    if (row.parentIdTag) entry.idTagInfo.parentIdTag = row.parentIdTag;
    return entry;
  });
}

const ROWS_PER_INSERT = 500;

/** The station accepted list `version`, which holds `entries`. */
export async function storeHeldList(db: Executor, stationId: string, version: number, entries: readonly LocalListEntry[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(localListEntries).where(eq(localListEntries.stationId, stationId));
    for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
      await tx.insert(localListEntries).values(
        entries.slice(start, start + ROWS_PER_INSERT).map((entry) => ({
          stationId,
          idTag: entry.idTag,
          status: entry.idTagInfo.status,
          expiryDate: entry.idTagInfo.expiryDate ? new Date(entry.idTagInfo.expiryDate) : null,
          parentIdTag: entry.idTagInfo.parentIdTag ?? null,
        })),
      );
    }
    await updateLocalListState(tx, stationId, { version });
  });
}

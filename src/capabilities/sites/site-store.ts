// Reads and writes of the sites table. Other capabilities call these functions.

import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { sites } from './tables.js';

export type SiteRow = typeof sites.$inferSelect;
export type NewSite = typeof sites.$inferInsert;
export type SiteChanges = Partial<Omit<NewSite, 'id' | 'createdAt' | 'updatedAt'>>;

export async function getSite(db: Executor, id: string): Promise<SiteRow | undefined> {
  const [row] = await db.select().from(sites).where(eq(sites.id, id));
  return row;
}

/** Every site, or only `tenantId`'s (API lists pass the caller's; internal sweeps leave it out). */
export function listSites(db: Executor, tenantId?: number): Promise<SiteRow[]> {
  return db
    .select()
    .from(sites)
    .where(tenantId === undefined ? undefined : eq(sites.tenantId, tenantId))
    .orderBy(asc(sites.name), asc(sites.id));
}

/** Returns undefined when the id is taken. */
export async function createSite(db: Executor, site: NewSite): Promise<SiteRow | undefined> {
  const [row] = await db.insert(sites).values(site).onConflictDoNothing().returning();
  return row;
}

export async function updateSite(db: Executor, id: string, changes: SiteChanges): Promise<SiteRow | undefined> {
  const [row] = await db
    .update(sites)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(sites.id, id))
    .returning();
  return row;
}

export async function deleteSite(db: Executor, id: string): Promise<boolean> {
  const rows = await db.delete(sites).where(eq(sites.id, id)).returning({ id: sites.id });
  return rows.length > 0;
}

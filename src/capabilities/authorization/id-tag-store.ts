// Reads and writes of the id-tag table. Tags are stored as given and found case-insensitively.

import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { idTags, type IdTagStatus } from './tables.js';

export type IdTagRow = typeof idTags.$inferSelect;

const byTag = (idTag: string) => eq(sql`lower(${idTags.idTag})`, idTag.toLowerCase());

export async function findIdTag(db: Executor, idTag: string): Promise<IdTagRow | undefined> {
  const [row] = await db.select().from(idTags).where(byTag(idTag));
  return row;
}

export async function listIdTags(db: Executor): Promise<IdTagRow[]> {
  return db.select().from(idTags).orderBy(asc(idTags.idTag));
}

export interface IdTagFields {
  status?: IdTagStatus;
  expiryDate?: Date | null;
  parentIdTag?: string | null;
  internal?: boolean;
}

/** Creates a tag; returns undefined when one with the same id (in any letter case) exists. */
export async function createIdTag(db: Executor, idTag: string, fields: IdTagFields): Promise<IdTagRow | undefined> {
  const [row] = await db.insert(idTags).values({ idTag, ...fields }).onConflictDoNothing().returning();
  return row;
}

export async function updateIdTag(db: Executor, idTag: string, fields: IdTagFields): Promise<IdTagRow | undefined> {
  const [row] = await db
    .update(idTags)
    .set({ ...fields, updatedAt: sql`now()` })
    .where(byTag(idTag))
    .returning();
  return row;
}

export async function deleteIdTag(db: Executor, idTag: string): Promise<boolean> {
  const deleted = await db.delete(idTags).where(byTag(idTag)).returning({ id: idTags.id });
  return deleted.length > 0;
}

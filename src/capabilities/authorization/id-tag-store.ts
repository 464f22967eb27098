// Reads and writes of the id-tag table. Tags are stored as given and found case-insensitively.
// Every read and write names its tenant: an id tag (an RFID UID: one card) is unique within a
// tenant, and several tenants may each register the same card, none seeing the others' rows.

import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../storage/database.js';
import { idTags, type IdTagOrigin, type IdTagStatus } from './tables.js';

export type IdTagRow = typeof idTags.$inferSelect;

const byTag = (tenantId: number, idTag: string) => and(eq(idTags.tenantId, tenantId), eq(sql`lower(${idTags.idTag})`, idTag.toLowerCase()));

/** The tenant's tag of that id (another tenant's registration of the same card is not this one). */
export async function findIdTag(db: Executor, tenantId: number, idTag: string): Promise<IdTagRow | undefined> {
  const [row] = await db.select().from(idTags).where(byTag(tenantId, idTag));
  return row;
}

/**
 * The tenant's tag and the tag of its group (its parentIdTag), if the same tenant registered that
 * too (another tenant's tag of that name is not this tag's group): one query.
 */
export async function findIdTagWithGroup(db: Executor, tenantId: number, idTag: string): Promise<{ tag: IdTagRow; group: IdTagRow | undefined } | undefined> {
  const group = alias(idTags, 'group_tag');
  const [row] = await db
    .select({ tag: idTags, group })
    .from(idTags)
    .leftJoin(group, and(eq(sql`lower(${group.idTag})`, sql`lower(${idTags.parentIdTag})`), eq(group.tenantId, idTags.tenantId)))
    .where(byTag(tenantId, idTag));
  return row && { tag: row.tag, group: row.group ?? undefined };
}

/** For a set of tags, the function that finds a tag's group (its parentIdTag's row) among them. */
export function groupsAmong(tags: readonly IdTagRow[]): (tag: IdTagRow) => IdTagRow | undefined {
  const byTag = new Map(tags.map((tag) => [tag.idTag.toLowerCase(), tag]));
  return (tag) => (tag.parentIdTag ? byTag.get(tag.parentIdTag.toLowerCase()) : undefined);
}

export interface IdTagFilter {
  /** Whose tags: a list is always one tenant's. */
  tenantId: number;
  status?: IdTagStatus | undefined;
  parentIdTag?: string | undefined;
  origin?: IdTagOrigin | undefined;
}

export async function listIdTags(db: Executor, filter: IdTagFilter): Promise<IdTagRow[]> {
  const where: SQL[] = [eq(idTags.tenantId, filter.tenantId)];
  if (filter.status) where.push(eq(idTags.status, filter.status));
  if (filter.parentIdTag) where.push(eq(sql`lower(${idTags.parentIdTag})`, filter.parentIdTag.toLowerCase()));
  if (filter.origin) where.push(eq(idTags.origin, filter.origin));
  return db
    .select()
    .from(idTags)
    .where(and(...where))
    .orderBy(asc(idTags.idTag));
}

/** A tenant's tags in pages of `size` (keyset by id), so an export never holds the whole table. */
export async function* idTagPages(db: Executor, tenantId: number, size: number): AsyncGenerator<IdTagRow[]> {
  let after = 0;
  for (;;) {
    const page = await db
      .select()
      .from(idTags)
      .where(and(eq(idTags.tenantId, tenantId), gt(idTags.id, after))).orderBy(asc(idTags.id)).limit(size);
    if (page.length > 0) yield page;
    if (page.length < size) return;
    after = page.at(-1)!.id;
  }
}

export async function hasIdTags(db: Executor, tenantId: number): Promise<boolean> {
  const [row] = await db.select({ id: idTags.id }).from(idTags).where(eq(idTags.tenantId, tenantId)).limit(1);
  return row !== undefined;
}

export interface IdTagFields {
  status?: IdTagStatus;
  expiryDate?: Date | null;
  parentIdTag?: string | null;
  internal?: boolean;
  ownerName?: string | null;
  maxConcurrentTx?: number | null;
  origin?: IdTagOrigin;
}

/** Creates a tenant's tag; returns undefined when the tenant has one with the same id (in any letter case). */
export async function createIdTag(db: Executor, tenantId: number, idTag: string, fields: IdTagFields): Promise<IdTagRow | undefined> {
  const [row] = await db.insert(idTags).values({ tenantId, idTag, ...fields }).onConflictDoNothing().returning();
  return row;
}

/** Records a tag nobody registered that was accepted under the accept policy, so operators see who charged. */
export async function recordUnknownIdTag(db: Executor, tenantId: number, idTag: string): Promise<void> {
  await db.insert(idTags).values({ tenantId, idTag, origin: 'unknown_accepted' }).onConflictDoNothing();
}

/** The SQL type of each field, for the arrays an upsert passes (one parameter per column). */
const FIELD_TYPES: Record<keyof IdTagFields, string> = {
  status: 'text',
  expiryDate: 'timestamptz',
  parentIdTag: 'text',
  internal: 'boolean',
  ownerName: 'text',
  maxConcurrentTx: 'integer',
  origin: 'text',
};
const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const UPSERT_CHUNK = 1000;

const anyOf = (tags: readonly string[]) => sql`lower(${idTags.idTag}) = any(${sql.param(tags.map((tag) => tag.toLowerCase()))}::text[])`;

/**
 * Creates `tenantId`'s tags that it does not have and updates those it has (case-insensitively):
 * one statement per thousand tags. Every tag carries the same fields (one file's columns); an
 * update sets only those. Other tenants' rows of the same cards are neither read nor touched.
 */
export async function upsertIdTags(
  db: Executor,
  tenantId: number,
  tags: readonly { idTag: string; fields: IdTagFields }[],
): Promise<{ created: number; updated: number }> {
  const result = { created: 0, updated: 0 };
  const names = Object.keys(tags[0]?.fields ?? {}) as (keyof IdTagFields)[];
  for (let start = 0; start < tags.length; start += UPSERT_CHUNK) {
    const chunk = tags.slice(start, start + UPSERT_CHUNK);
    const [found] = await db
      .select({ existing: sql<number>`count(*)::int` })
      .from(idTags)
      .where(and(eq(idTags.tenantId, tenantId), anyOf(chunk.map((tag) => tag.idTag))));
    const existing = found?.existing ?? 0;
    const columns = [sql.raw('tenant_id'), sql.raw('id_tag'), ...names.map((name) => sql.raw(snake(name)))];
    const arrays = [
      sql`${sql.param(chunk.map(() => tenantId))}::integer[]`,
      sql`${sql.param(chunk.map((tag) => tag.idTag))}::text[]`,
      ...names.map((name) => {
        const values = chunk.map((tag) => {
          const value = tag.fields[name];
          return value instanceof Date ? value.toISOString() : (value ?? null);
        });
        return sql`${sql.param(values)}::${sql.raw(FIELD_TYPES[name])}[]`;
      }),
    ];
    const updates = [...names.map((name) => sql.raw(`${snake(name)} = excluded.${snake(name)}`)), sql.raw('updated_at = now()')];
    await db.execute(sql`
      insert into ${idTags} (${sql.join(columns, sql`, `)})
      select * from unnest(${sql.join(arrays, sql`, `)})
      on conflict (tenant_id, lower(id_tag)) do update set ${sql.join(updates, sql`, `)}`);
    result.created += chunk.length - existing;
    result.updated += existing;
  }
  return result;
}

export async function updateIdTag(db: Executor, tenantId: number, idTag: string, fields: IdTagFields): Promise<IdTagRow | undefined> {
  const [row] = await db
    .update(idTags)
    .set({ ...fields, updatedAt: sql`now()` })
    .where(byTag(tenantId, idTag))
    .returning();
  return row;
}

export async function deleteIdTag(db: Executor, tenantId: number, idTag: string): Promise<IdTagRow | undefined> {
  const [deleted] = await db.delete(idTags).where(byTag(tenantId, idTag)).returning();
  return deleted;
}

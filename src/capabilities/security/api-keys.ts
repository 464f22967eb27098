// API keys: bearer secrets for operators' scripts and integrations. Only a SHA-256 of the
// secret is stored; a key is revoked, never deleted (the audit log names it). BOOTSTRAP_API_KEY
// makes an owner key with exactly that secret exist; without it, the first start creates one and
// prints it once.

import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { PLATFORM_TENANT_ID } from '../tenants/tables.js';
import { apiKeys, type Role } from './tables.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function newSecret(): string {
  return `ocpp_${randomBytes(24).toString('base64url')}`;
}

export async function findActiveKey(db: Executor, secret: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, hashSecret(secret)), isNull(apiKeys.revokedAt)));
  return row;
}

export async function touchKey(db: Executor, id: number, at: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
}

export async function listKeys(db: Executor, tenantId: number): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(asc(apiKeys.id));
}

export async function getKey(db: Executor, id: number): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row;
}

/** A new key; its secret is returned once and never again. */
export async function createKey(db: Executor, key: { tenantId: number; name: string; role: Role; createdBy: string }): Promise<{ row: ApiKeyRow; secret: string }> {
  const secret = newSecret();
  const [row] = await db.insert(apiKeys).values({ ...key, secretHash: hashSecret(secret) }).returning();
  return { row: row!, secret };
}

export async function revokeKey(db: Executor, id: number, at: Date): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(apiKeys.id, id))
    .returning();
  return row;
}

/**
 * Makes sure an owner key exists. With `bootstrapSecret`, the key named "bootstrap" gets exactly
 * that secret. Without it, when no active key exists, one is created and its secret returned
 * (to be printed once); otherwise nothing is returned.
 */
export async function ensureAdminKey(db: Executor, bootstrapSecret: string | undefined): Promise<string | undefined> {
  if (bootstrapSecret !== undefined) {
    const secretHash = hashSecret(bootstrapSecret);
    await db.transaction(async (tx) => {
      const [existing] = await tx.select().from(apiKeys).where(eq(apiKeys.name, 'bootstrap'));
      if (existing) {
        await tx.update(apiKeys).set({ secretHash, revokedAt: null, role: 'owner' }).where(eq(apiKeys.id, existing.id));
      } else {
        await tx.insert(apiKeys).values({ tenantId: PLATFORM_TENANT_ID, name: 'bootstrap', secretHash, role: 'owner' }).onConflictDoNothing();
      }
    });
    return undefined;
  }
  const [{ active } = { active: 0 }] = await db
    .select({ active: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(isNull(apiKeys.revokedAt));
  if (active > 0) return undefined;
  const secret = newSecret();
  await db.insert(apiKeys).values({ tenantId: PLATFORM_TENANT_ID, name: 'initial', secretHash: hashSecret(secret), role: 'owner' });
  return secret;
}

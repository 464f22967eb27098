// API keys: bearer secrets for operators' scripts and integrations. Only a SHA-256 of the
// secret is stored. BOOTSTRAP_API_KEY makes a key with exactly that secret exist; without it,
// the first start creates one and prints it once.

import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { apiKeys } from './tables.js';

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

/**
 * Makes sure an admin key exists. With `bootstrapSecret`, the key named "bootstrap" gets exactly
 * that secret. Without it, when no active key exists, one is created and its secret returned
 * (to be printed once); otherwise nothing is returned.
 */
export async function ensureAdminKey(db: Executor, bootstrapSecret: string | undefined): Promise<string | undefined> {
  if (bootstrapSecret !== undefined) {
    const secretHash = hashSecret(bootstrapSecret);
    await db.transaction(async (tx) => {
      const [existing] = await tx.select().from(apiKeys).where(eq(apiKeys.name, 'bootstrap'));
      if (existing) {
        await tx.update(apiKeys).set({ secretHash, revokedAt: null }).where(eq(apiKeys.id, existing.id));
      } else {
        await tx.insert(apiKeys).values({ name: 'bootstrap', secretHash, role: 'admin' }).onConflictDoNothing();
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
  await db.insert(apiKeys).values({ name: 'initial', secretHash: hashSecret(secret), role: 'admin' });
  return secret;
}

// People who log in to the dashboard, each with a role (roles.ts). The bootstrap person is an
// owner: ADMIN_EMAIL and ADMIN_PASSWORD make that person exist with exactly that password;
// without a password, the first start creates one and hands it back to be printed once. Owners
// and admins manage the others through /api/v1/users (users-api.ts).

import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { PLATFORM_TENANT_ID } from '../tenants/tables.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { users, type UserRole } from './tables.js';

export type UserRow = typeof users.$inferSelect;

/** Used when ADMIN_EMAIL is unset. */
export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, normalizeEmail(email)));
  return row;
}

export async function recordLogin(db: Executor, userId: number, at: Date): Promise<void> {
  await db.update(users).set({ lastLoginAt: at }).where(eq(users.id, userId));
}

export async function getUser(db: Executor, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function listUsers(db: Executor, tenantId: number): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(asc(users.id));
}

/** A tenant's owners: its last one may be neither demoted nor deleted. */
export async function countOwners(db: Executor, tenantId: number): Promise<number> {
  const [{ count } = { count: 0 }] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, 'owner'), eq(users.tenantId, tenantId)));
  return count;
}

export async function updateUser(db: Executor, id: number, changes: { role?: UserRole; password?: string }): Promise<UserRow | undefined> {
  const set: Partial<typeof users.$inferInsert> = {};
  if (changes.role) set.role = changes.role;
  if (changes.password) set.passwordHash = await hashPassword(changes.password);
  if (Object.keys(set).length === 0) return getUser(db, id);
  const [row] = await db.update(users).set(set).where(eq(users.id, id)).returning();
  return row;
}

export async function deleteUser(db: Executor, id: number): Promise<boolean> {
  return (await db.delete(users).where(eq(users.id, id)).returning({ id: users.id })).length > 0;
}

/** False when the address is taken (another process may be starting on the same database). */
export async function createUser(db: Executor, email: string, password: string, role: UserRole, tenantId: number): Promise<boolean> {
  const created = await db
    .insert(users)
    .values({ tenantId, email: normalizeEmail(email), passwordHash: await hashPassword(password), role })
    .onConflictDoNothing()
    .returning({ id: users.id });
  return created.length > 0;
}

export interface GeneratedAdmin {
  email: string;
  password: string;
}

/**
 * Makes sure the bootstrap administrator can log in.
 * - With `password`: the user `email` exists as an owner with exactly that password (also the way
 *   to recover a lost password: restart with ADMIN_PASSWORD set).
 * - Without: if the user `email` (ADMIN_EMAIL) does not exist, or no user exists at all when no
 *   email was given, it is created with a generated password, which is returned to be shown once.
 */
export async function ensureAdminUser(
  db: Executor,
  wanted: { email: string | undefined; password: string | undefined },
): Promise<GeneratedAdmin | undefined> {
  const generated = await ensureBootstrapUser(db, wanted);
  await ensureAnOwner(db);
  return generated;
}

/** Databases from before roles had admins only: the first of them becomes the owner. */
async function ensureAnOwner(db: Executor): Promise<void> {
  if ((await countOwners(db, PLATFORM_TENANT_ID)) > 0) return;
  await db.execute(sql`update ${users} set role = 'owner' where id = (select min(id) from ${users} where role = 'admin' and tenant_id = ${PLATFORM_TENANT_ID})`);
}

async function ensureBootstrapUser(
  db: Executor,
  wanted: { email: string | undefined; password: string | undefined },
): Promise<GeneratedAdmin | undefined> {
  const email = normalizeEmail(wanted.email ?? DEFAULT_ADMIN_EMAIL);
  const existing = await findUserByEmail(db, email);
  if (wanted.password !== undefined) {
    if (!existing && (await createUser(db, email, wanted.password, 'owner', PLATFORM_TENANT_ID))) return undefined;
    // (Re-read when another process created the address between our read and our insert.)
    const current = existing ?? (await findUserByEmail(db, email))!;
    if (current.role !== 'owner' || !(await verifyPassword(wanted.password, current.passwordHash))) {
      await db.update(users).set({ passwordHash: await hashPassword(wanted.password), role: 'owner' }).where(eq(users.id, current.id));
    }
    return undefined;
  }
  if (existing) return undefined;
  if (wanted.email === undefined) {
    const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
    if (count > 0) return undefined;
  }
  const password = randomBytes(15).toString('base64url');
  return (await createUser(db, email, password, 'owner', PLATFORM_TENANT_ID)) ? { email, password } : undefined;
}

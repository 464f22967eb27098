// People who log in to the dashboard. For now there is the bootstrap administrator: ADMIN_EMAIL
// and ADMIN_PASSWORD make that person exist with exactly that password; without a password, the
// first start creates one and hands it back to be printed once. Roles, invitations and a users
// page come with the users-and-roles issue; the `role` column is where they start.

import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
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

/** False when the address is taken (another process may be starting on the same database). */
async function createUser(db: Executor, email: string, password: string, role: UserRole): Promise<boolean> {
  const created = await db
    .insert(users)
    .values({ email: normalizeEmail(email), passwordHash: await hashPassword(password), role })
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
 * - With `password`: the user `email` exists as an admin with exactly that password (also the way
 *   to recover a lost password: restart with ADMIN_PASSWORD set).
 * - Without: if the user `email` (ADMIN_EMAIL) does not exist, or no user exists at all when no
 *   email was given, it is created with a generated password, which is returned to be shown once.
 */
export async function ensureAdminUser(
  db: Executor,
  wanted: { email: string | undefined; password: string | undefined },
): Promise<GeneratedAdmin | undefined> {
  const email = normalizeEmail(wanted.email ?? DEFAULT_ADMIN_EMAIL);
  const existing = await findUserByEmail(db, email);
  if (wanted.password !== undefined) {
    if (!existing && (await createUser(db, email, wanted.password, 'admin'))) return undefined;
    // (Re-read when another process created the address between our read and our insert.)
    const current = existing ?? (await findUserByEmail(db, email))!;
    if (current.role !== 'admin' || !(await verifyPassword(wanted.password, current.passwordHash))) {
      await db.update(users).set({ passwordHash: await hashPassword(wanted.password), role: 'admin' }).where(eq(users.id, current.id));
    }
    return undefined;
  }
  if (existing) return undefined;
  if (wanted.email === undefined) {
    const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
    if (count > 0) return undefined;
  }
  const password = randomBytes(15).toString('base64url');
  return (await createUser(db, email, password, 'admin')) ? { email, password } : undefined;
}

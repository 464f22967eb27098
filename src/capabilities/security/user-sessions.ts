// Server-side dashboard sessions. The browser holds a random token in an HttpOnly cookie; the
// database holds its SHA-256, so a leaked database cannot be replayed as log-ins. A session ends
// after IDLE_MS without use, after ABSOLUTE_MS in any case, or on log-out.

import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { hashSecret } from './api-keys.js';
import { userSessions, users, type UserRole } from './tables.js';

export const IDLE_MS = 12 * 3_600_000;
export const ABSOLUTE_MS = 7 * 86_400_000;
/** Sliding expiry is written at most this often, so polling pages do not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface SessionUser {
  userId: number;
  tenantId: number;
  email: string;
  role: UserRole;
  csrfToken: string;
}

export interface NewSession {
  /** For the cookie; never stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createUserSession(db: Executor, userId: number, now: Date): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + IDLE_MS);
  await db.insert(userSessions).values({ tokenHash: hashSecret(token), userId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt });
  return { token, csrfToken, expiresAt };
}

/** The user behind a live session token (extending its idle expiry), or undefined. */
export async function resolveUserSession(db: Executor, token: string, now: Date): Promise<SessionUser | undefined> {
  const tokenHash = hashSecret(token);
  const [row] = await db
    .select({
      userId: users.id,
      tenantId: users.tenantId,
      email: users.email,
      role: users.role,
      csrfToken: userSessions.csrfToken,
      createdAt: userSessions.createdAt,
      lastSeenAt: userSessions.lastSeenAt,
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.tokenHash, tokenHash), gt(userSessions.expiresAt, now)));
  if (!row) return undefined;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    const expiresAt = new Date(Math.min(now.getTime() + IDLE_MS, row.createdAt.getTime() + ABSOLUTE_MS));
    await db.update(userSessions).set({ lastSeenAt: now, expiresAt }).where(eq(userSessions.tokenHash, tokenHash));
  }
  return { userId: row.userId, tenantId: row.tenantId, email: row.email, role: row.role, csrfToken: row.csrfToken };
}

export async function endUserSession(db: Executor, token: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.tokenHash, hashSecret(token)));
}

export async function pruneUserSessions(db: Executor, now: Date): Promise<void> {
  await db.delete(userSessions).where(lt(userSessions.expiresAt, now));
}

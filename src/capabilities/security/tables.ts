// Tables owned by the security capability.

import { bigserial, index, integer, pgTable, serial, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';

export const apiKeys = pgTable('api_keys', {
  id: serial().primaryKey(),
  name: text().notNull(),
  /** SHA-256 of the secret; the secret itself is never stored. */
  secretHash: text().notNull().unique(),
  role: text({ enum: ['admin'] }).notNull(),
  createdAt: createdAt(),
  lastUsedAt: instant(),
  revokedAt: instant(),
});

export const securityEvents = pgTable(
  'security_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    stationId: text().notNull(),
    type: text().notNull(),
    techInfo: text(),
    timestamp: instant().notNull(),
    receivedAt: createdAt(),
  },
  (t) => [
    index('security_events_station_time').on(t.stationId, t.timestamp),
    // A retransmitted notification is stored once.
    unique('security_events_identity').on(t.stationId, t.type, t.timestamp),
  ],
);

/** Roles a person may have; the later users-and-roles issue adds more (operator, viewer, ...). */
export const USER_ROLES = ['admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** People who log in to the dashboard. */
export const users = pgTable('users', {
  id: serial().primaryKey(),
  /** Stored lower-case: addresses are matched without regard to case. */
  email: text().notNull().unique(),
  /** scrypt, see passwords.ts. */
  passwordHash: text().notNull(),
  role: text({ enum: USER_ROLES }).notNull(),
  createdAt: createdAt(),
  lastLoginAt: instant(),
});

/** Dashboard log-ins: the cookie holds a random token, only its SHA-256 is stored. */
export const userSessions = pgTable(
  'user_sessions',
  {
    tokenHash: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Sent back by the dashboard in X-CSRF-Token on every state-changing request. */
    csrfToken: text().notNull(),
    createdAt: createdAt(),
    lastSeenAt: instant().notNull(),
    /** Sliding: moved forward while the session is used, never past createdAt + the absolute limit. */
    expiresAt: instant().notNull(),
  },
  (t) => [index('user_sessions_user').on(t.userId), index('user_sessions_expiry').on(t.expiresAt)],
);

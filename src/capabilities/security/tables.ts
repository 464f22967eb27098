// Tables owned by the security capability.

import { bigserial, index, integer, jsonb, pgTable, serial, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';
import { tenantColumn, tenants } from '../tenants/tables.js';

/**
 * Who may do what, strongest first (roles.ts holds the rules). A principal is a role (and later
 * a tenant): the role is kept on the person or key, never derived from the route.
 */
export const ROLES = ['owner', 'admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const apiKeys = pgTable('api_keys', {
  id: serial().primaryKey(),
  tenantId: tenantColumn(),
  name: text().notNull(),
  /** SHA-256 of the secret; the secret itself is never stored. */
  secretHash: text().notNull().unique(),
  role: text({ enum: ROLES }).notNull(),
  /** Who made it (a person's e-mail or a key's name); null for the bootstrap key. */
  createdBy: text(),
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

/** Roles a person may have: the same as a key's. */
export const USER_ROLES = ROLES;
export type UserRole = Role;

/** People who log in to the dashboard. */
export const users = pgTable('users', {
  id: serial().primaryKey(),
  tenantId: tenantColumn(),
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

/**
 * A station's previous Basic-auth password after a rotation the station accepted: still valid
 * until the station first connects with the new one (it may reconnect before it applies it).
 */
export const stationPasswordRotations = pgTable('station_password_rotations', {
  stationId: text().primaryKey(),
  previousPasswordHash: text().notNull(),
  rotatedAt: instant().notNull(),
});

/** Certificates our certificate authority issued to stations (security profile 3). */
export const stationCertificates = pgTable(
  'station_certificates',
  {
    id: serial().primaryKey(),
    stationId: text().notNull(),
    /** Lower-case hex without leading zeros (as certificate-authority.ts normalises it). */
    serialNumber: text().notNull().unique(),
    subject: text().notNull(),
    pem: text().notNull(),
    notBefore: instant().notNull(),
    notAfter: instant().notNull(),
    issuedAt: createdAt(),
    /** The station's answer to CertificateSigned (Accepted, Rejected) or why it was not delivered. */
    deliveryStatus: text(),
    /** When we last asked the station for a new CSR because this one is about to lapse. */
    renewalRequestedAt: instant(),
  },
  (t) => [index('station_certificates_station').on(t.stationId, t.notAfter)],
);

/** Our revocation list: certificates (ours or a manufacturer's) that may no longer connect. */
export const revokedCertificates = pgTable('revoked_certificates', {
  serialNumber: text().primaryKey(),
  /** The station the certificate belonged to, when known. */
  stationId: text(),
  reason: text(),
  revokedBy: text().notNull(),
  revokedAt: createdAt(),
});

/** Operator actions through the API: who, what, on what, when, and how it ended. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    /** The actor's tenant: each tenant reads only its own entries. */
    tenantId: integer().references(() => tenants.id),
    at: instant().notNull(),
    actorKind: text({ enum: ['user', 'api-key'] }).notNull(),
    /** E-mail address or key name. */
    actor: text().notNull(),
    role: text().notNull(),
    /** e.g. "POST /api/v1/stations/:id/commands/:action". */
    action: text().notNull(),
    /** The object acted on: the route's first parameter (a station id, a user id, ...). */
    target: text(),
    /** All route parameters (e.g. the command's action); never the body, which may hold secrets. */
    params: jsonb(),
    /** HTTP status of the answer. */
    outcome: integer().notNull(),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_target').on(t.target, t.at)],
);

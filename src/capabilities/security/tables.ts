// Tables owned by the security capability.

import { bigserial, index, pgTable, serial, text, unique } from 'drizzle-orm/pg-core';
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

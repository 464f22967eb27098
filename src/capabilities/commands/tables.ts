// Tables owned by the commands capability: every command sent to a station, with who sent it,
// the request, the answer or error, and how long the station took.

import { bigserial, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';

export const COMMAND_OUTCOMES = ['answered', 'call_error', 'timeout', 'offline', 'invalid_response', 'failed'] as const;
export type CommandOutcome = (typeof COMMAND_OUTCOMES)[number];

export const stationCommands = pgTable(
  'station_commands',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    stationId: text().notNull(),
    action: text().notNull(),
    request: jsonb().notNull(),
    outcome: text({ enum: COMMAND_OUTCOMES }).notNull(),
    response: jsonb(),
    errorCode: text(),
    errorDescription: text(),
    /** Who asked: an API key's name, "system:<job>" for the backend's own commands. */
    requestedBy: text().notNull(),
    requestedAt: createdAt(),
    answeredAt: instant(),
    latencyMs: integer(),
  },
  (t) => [index('station_commands_station_time').on(t.stationId, t.requestedAt)],
);

// Tables owned by the message log: every OCPP frame in and out, per station, as sent.

import { bigserial, index, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from '../../storage/columns.js';

export const ocppMessages = pgTable(
  'ocpp_messages',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    stationId: text().notNull(),
    /** in: from the station; out: to the station. */
    direction: text({ enum: ['in', 'out'] }).notNull(),
    at: instant().notNull(),
    /** 2 CALL, 3 CALLRESULT, 4 CALLERROR; null when the frame could not be read. */
    messageType: text(),
    messageId: text(),
    /** The CALL's action; for answers, the action of the CALL they answer when known. */
    action: text(),
    /** The frame exactly as it travelled (truncated beyond the log's size limit). */
    frame: text().notNull(),
  },
  (t) => [
    index('ocpp_messages_station_time').on(t.stationId, t.at),
    index('ocpp_messages_time').on(t.at),
  ],
);

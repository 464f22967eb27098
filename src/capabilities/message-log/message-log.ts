// The raw OCPP message log. Frames are queued in memory and written in batches off the
// charger's path (the log is evidence, not the data of record, so it must never slow an
// answer); a bounded queue drops the oldest frames if the database falls far behind.

import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { FrameEvent } from '../../gateway/station-connection.js';
import type { Logger } from '../../logger.js';
import { bulkInsert } from '../../storage/bulk-insert.js';
import type { Database, Executor } from '../../storage/database.js';
import { ocppMessages } from './tables.js';

export type LoggedFrame = typeof ocppMessages.$inferInsert;
export type MessageRow = typeof ocppMessages.$inferSelect;

/** Frames longer than this are stored truncated (a firmware blob in a DataTransfer, say). */
export const MAX_LOGGED_FRAME_CHARS = 64 * 1024;
const FLUSH_EVERY_MS = 200;
const BATCH_ROWS = 2000;
const MAX_QUEUED_ROWS = 100_000;

export interface MessageLogWriter {
  record(stationId: string, frame: FrameEvent, at: Date): void;
  /** Writes what is queued now; resolves when it is stored. */
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly dropped: number;
}

export function createMessageLogWriter(db: Database, log: Logger): MessageLogWriter {
  let queue: LoggedFrame[] = [];
  let dropped = 0;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    writing = writing.then(async () => {
      while (queue.length > 0) {
        // Take the whole queue at once (no per-batch copying of what is left) and write it in
        // batches; frames recorded meanwhile gather in a fresh queue.
        const pending = queue;
        queue = [];
        for (let start = 0; start < pending.length; start += BATCH_ROWS) {
          const batch = pending.slice(start, start + BATCH_ROWS);
          try {
            await bulkInsert(db, ocppMessages, batch);
          } catch (error) {
            dropped += batch.length;
            log.warn({ err: error, frames: batch.length }, 'message log batch not stored');
          }
        }
      }
    });
    return writing;
  }

  const timer = setInterval(() => void flush(), FLUSH_EVERY_MS);
  timer.unref();

  return {
    record(stationId, frame, at) {
      queue.push({
        stationId,
        direction: frame.direction,
        at,
        messageType: frame.messageType === undefined ? null : String(frame.messageType),
        messageId: frame.messageId ?? null,
        action: frame.action ?? null,
        frame: frame.text.length > MAX_LOGGED_FRAME_CHARS ? `${frame.text.slice(0, MAX_LOGGED_FRAME_CHARS)}…[truncated]` : frame.text,
      });
      if (queue.length > MAX_QUEUED_ROWS) {
        // Far behind: drop the oldest tenth at once, so that each frame recorded does not pay
        // for moving the whole queue.
        const excess = queue.length - MAX_QUEUED_ROWS + MAX_QUEUED_ROWS / 10;
        queue.splice(0, excess);
        dropped += excess;
      }
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
    get dropped() {
      return dropped;
    },
  };
}

export interface MessageQuery {
  stationId: string;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  /** Only frames with an id below this (for paging back in time). */
  before?: number | undefined;
}

export async function queryMessages(db: Executor, query: MessageQuery): Promise<MessageRow[]> {
  const where: SQL[] = [eq(ocppMessages.stationId, query.stationId)];
  if (query.action) where.push(eq(ocppMessages.action, query.action));
  if (query.from) where.push(gte(ocppMessages.at, query.from));
  if (query.to) where.push(lte(ocppMessages.at, query.to));
  if (query.before) where.push(lt(ocppMessages.id, query.before));
  return db
    .select()
    .from(ocppMessages)
    .where(and(...where))
    .orderBy(desc(ocppMessages.at), desc(ocppMessages.id))
    .limit(query.limit);
}

/** Deletes frames older than `before`, a chunk at a time so the table is never locked for long. */
export async function pruneMessages(db: Executor, before: Date, chunk = 10_000): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.execute(
      sql`delete from ${ocppMessages} where ${ocppMessages.id} in (select ${ocppMessages.id} from ${ocppMessages} where ${ocppMessages.at} < ${before} limit ${chunk})`,
    );
    const count = (deleted as unknown as { rowCount?: number; affectedRows?: number }).rowCount ?? (deleted as unknown as { affectedRows?: number }).affectedRows ?? 0;
    total += count;
    if (count < chunk) return total;
  }
}

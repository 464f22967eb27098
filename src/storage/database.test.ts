import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { openStorage, queryRows, type Storage } from './database.js';

let storage: Storage;
beforeAll(async () => {
  storage = await openStorage({ dataDir: 'memory://', log: createLogger('silent') });
});
afterAll(async () => {
  await storage.close();
});

describe('the embedded database', () => {
  it('answers at once after its connection was lost (the pool reconnects before the socket server has noticed)', async () => {
    const pool = (storage.db as unknown as { $client: pg.Pool }).$client;
    for (let round = 0; round < 20; round++) {
      const client = await pool.connect();
      // The connection breaks: the pool throws this client away and opens another for the next query.
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      client.release(new Error('connection lost'));
      const [row] = await queryRows<{ round: number }>(storage.db, sql`select ${round}::int as round`);
      expect(row?.round).toBe(round);
    }
  });
});

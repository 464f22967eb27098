// Opens the one PostgreSQL schema on either engine: the embedded database (PGlite: PostgreSQL
// compiled to WebAssembly, in-process, files in DATA_DIR) or a PostgreSQL server (DATABASE_URL).
// Both run the same migrations and the same SQL; the rest of the code sees one `Database`.

import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from './schema.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { drainGroupCommits } from './group-commit.js';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Database | Transaction;

export interface Storage {
  db: Database;
  engine: 'embedded' | 'postgres';
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** postgres://... to use a server; otherwise the embedded database. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; "memory://" keeps it in memory (tests). */
  dataDir: string;
  log: Logger;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
const drizzleOptions = { schema, casing: 'snake_case' } as const;

// One well-known lock key so that several nodes starting together migrate one at a time.
const MIGRATION_LOCK_KEY = 0x0cc9_0001;

async function openEmbedded(dataDir: string, log: Logger): Promise<Storage> {
  const inMemory = dataDir.startsWith('memory://');
  let releaseLock = () => {};
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    // Two processes on one PGlite folder would corrupt it; the second one must stop instead.
    releaseLock = acquireDataDirLock(dataDir);
  }
  try {
    // The database lives in its own sub-folder: DATA_DIR also holds the lock and, later, files.
    const client = await PGlite.create(inMemory ? undefined : join(dataDir, 'pgdata'));
    const db = drizzlePglite({ client, ...drizzleOptions });
    await migratePglite(db, { migrationsFolder });
    log.info({ dataDir }, 'embedded database ready');
    return {
      db: db as unknown as Database,
      engine: 'embedded',
      ping: async () => {
        await client.query('select 1');
      },
      close: async () => {
        await drainGroupCommits(db);
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function openPostgres(databaseUrl: string, log: Logger): Promise<Storage> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by a database restart must not crash the process; the pool
  // replaces it on the next query.
  pool.on('error', (error) => log.warn({ err: error }, 'idle database connection lost'));
  const db = drizzlePg({ client: pool, ...drizzleOptions });
  const lock = await pool.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzlePg({ client: lock, ...drizzleOptions }), { migrationsFolder });
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    lock.release();
  }
  log.info({ server: new URL(databaseUrl).host }, 'PostgreSQL ready');
  return {
    db: db as unknown as Database,
    engine: 'postgres',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await drainGroupCommits(db);
      await pool.end();
    },
  };
}

export function openStorage(options: StorageOptions): Promise<Storage> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.log)
    : openEmbedded(options.dataDir, options.log);
}

/** Runs hand-written SQL on either engine and returns its rows (both drivers answer { rows }). */
export async function queryRows<Row = Record<string, unknown>>(db: Executor, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

// Opens the one PostgreSQL schema on either engine: the embedded database (PGlite: PostgreSQL
// compiled to WebAssembly, on its own thread, files in DATA_DIR) or a PostgreSQL server
// (DATABASE_URL). Both are reached through the same driver (node-postgres) and run the same
// migrations and SQL; the rest of the code sees one `Database`.

import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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

/** The port number in the embedded database's socket name (no TCP port is opened). */
const EMBEDDED_PORT = 5432;

// One well-known lock key so that several nodes starting together migrate one at a time.
const MIGRATION_LOCK_KEY = 0x0cc9_0001;

/** Starts PGlite on its own thread, listening on a private unix socket; resolves with how to reach it. */
async function startEmbeddedWorker(dataDir: string | undefined): Promise<{ socketDir: string; stop(): Promise<void> }> {
  // Unix socket paths are limited to ~100 bytes, so the socket lives in a short private folder.
  const socketDir = mkdtempSync(join(tmpdir(), 'ocpp-db-'));
  const data = { dataDir, socketPath: join(socketDir, `.s.PGSQL.${EMBEDDED_PORT}`) };
  const worker = new Worker(new URL('./embedded-worker.mjs', import.meta.url), { workerData: data });
  const first = await new Promise<unknown>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The embedded database stopped while starting (exit ${code})`)));
  });
  if (first !== 'ready') {
    await worker.terminate();
    rmSync(socketDir, { recursive: true, force: true });
    throw new Error(`The embedded database did not start: ${(first as { error?: string }).error ?? String(first)}`);
  }
  return {
    socketDir,
    async stop() {
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
      await worker.terminate();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

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
    const worker = await startEmbeddedWorker(inMemory ? undefined : join(dataDir, 'pgdata'));
    try {
      // PGlite is one session: one pooled connection, so a transaction holds it and other
      // queries wait their turn, exactly as they would for a busy server connection. It is kept
      // open however long it idles: the socket server takes one connection at a time and notices
      // a closed one a moment later, so a query that reconnected in that moment was refused
      // ("Too many connections") and a station got a 503 (seen under load in CI).
      const storage = await connectPool(
        { host: worker.socketDir, port: EMBEDDED_PORT, user: 'postgres', database: 'postgres', max: 1, idleTimeoutMillis: 0 },
        'embedded',
        log,
      );
      log.info({ dataDir }, 'embedded database ready');
      return {
        ...storage,
        close: async () => {
          await storage.close();
          await worker.stop();
          releaseLock();
        },
      };
    } catch (error) {
      await worker.stop();
      throw error;
    }
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function connectPool(options: pg.PoolConfig, engine: Storage['engine'], log: Logger): Promise<Storage> {
  const pool = new pg.Pool({ connectionTimeoutMillis: 10_000, ...options });
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
  return {
    db: db as unknown as Database,
    engine,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await drainGroupCommits(db);
      await pool.end();
    },
  };
}

async function openPostgres(databaseUrl: string, log: Logger): Promise<Storage> {
  const storage = await connectPool({ connectionString: databaseUrl, max: 20 }, 'postgres', log);
  log.info({ server: new URL(databaseUrl).host }, 'PostgreSQL ready');
  return storage;
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

// Starts a real central system for a test: port 0, the database chosen by TEST_DB (embedded
// in memory, or a fresh database on the PostgreSQL server), a manual clock if asked for.

import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Clock } from '../../src/clock.js';

export const TEST_API_KEY = 'test-api-key-0123456789';
/** The dashboard administrator of every test server. */
export const TEST_ADMIN = { email: 'admin@example.test', password: 'test-admin-password' } as const;
const ADMIN_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Engine = 'embedded' | 'postgres';
export const engine: Engine = process.env['TEST_DB'] === 'postgres' ? 'postgres' : 'embedded';

export interface TestServer {
  server: RunningServer;
  url: string;
  /** ws://.../ocpp/{id} (the id is URL-encoded). */
  ocppUrl(stationId: string): string;
  /** Calls the API with the test key; returns status and parsed body. */
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

/** A fresh, empty database on the PostgreSQL server; returns its URL and the function that drops it. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ocpp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function startTestServer(env: Record<string, string> = {}, options: { clock?: Clock; databaseUrl?: string; dataDir?: string } = {}): Promise<TestServer> {
  let scratch: { url: string; drop(): Promise<void> } | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl && !options.dataDir && engine === 'postgres') {
    scratch = await createScratchDatabase();
    databaseUrl = scratch.url;
  }
  const config = loadConfig({
    PORT: '0',
    TLS_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir ?? 'memory://',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    BOOTSTRAP_API_KEY: TEST_API_KEY,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    OCPP_UNKNOWN_STATIONS: 'accept',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const server = await startServer(config, options.clock ? { clock: options.clock } : {});
  const url = server.url;
  return {
    server,
    url,
    ocppUrl: (stationId) => `${url.replace(/^http/, 'ws')}/ocpp/${encodeURIComponent(stationId)}`,
    async api(method, path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TEST_API_KEY}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (e.g. /metrics); return the text
      }
      return { status: response.status, body: parsed as any, headers: response.headers };
    },
    async close() {
      await server.close();
      await scratch?.drop();
    },
  };
}

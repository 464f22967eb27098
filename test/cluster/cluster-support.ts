// Two (or more) nodes of one cluster for a test: one scratch PostgreSQL database, the local
// Redis under a key prefix of the test's own (removed afterwards), a short node TTL so a dead
// node is noticed in seconds.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createScratchDatabase } from '../support/test-server.js';

export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const NODE_TTL_SEC = 2;

export interface ClusterFixture {
  databaseUrl: string;
  /** Environment of node `nodeId`. */
  env(nodeId: string, extra?: Record<string, string>): Record<string, string>;
  redis: Redis;
  prefix: string;
  close(): Promise<void>;
}

export async function clusterFixture(): Promise<ClusterFixture> {
  const scratch = await createScratchDatabase();
  const prefix = `test-${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(REDIS_URL);
  return {
    databaseUrl: scratch.url,
    prefix,
    redis,
    env: (nodeId, extra = {}) => ({
      REDIS_URL,
      NODE_ID: nodeId,
      REDIS_KEY_PREFIX: prefix,
      CLUSTER_NODE_TTL: String(NODE_TTL_SEC),
      ...extra,
    }),
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await scratch.drop();
    },
  };
}

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() < deadline);
  return last;
}

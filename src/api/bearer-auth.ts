// Bearer API-key authentication for /api/v1. Valid keys are remembered briefly so a busy
// integration does not cost a database query per request; a revoked key stops working within
// that time.

import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { Database } from '../storage/database.js';
import { findActiveKey, touchKey, type ApiKeyRow } from '../capabilities/security/api-keys.js';
import { ApiProblem } from './problem.js';

const CACHE_MS = 30_000;

export interface Principal {
  keyId: number;
  name: string;
  role: ApiKeyRow['role'];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function createBearerAuth(db: Database, clock: Clock) {
  const cache = new Map<string, { principal: Principal; until: number }>();
  const unauthorized = (detail: string) => new ApiProblem(401, 'Unauthorized', detail);

  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw unauthorized('Send an API key as "Authorization: Bearer <key>"');
    const secret = match[1]!;
    const now = Date.now();
    const cached = cache.get(secret);
    if (cached && cached.until > now) {
      request.principal = cached.principal;
      return;
    }
    const key = await findActiveKey(db, secret);
    if (!key) {
      cache.delete(secret);
      throw unauthorized('The API key is unknown or revoked');
    }
    const principal = { keyId: key.id, name: key.name, role: key.role };
    if (cache.size > 10_000) cache.clear();
    cache.set(secret, { principal, until: now + CACHE_MS });
    request.principal = principal;
    await touchKey(db, key.id, clock.now());
  };
}

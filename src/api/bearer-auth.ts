// Authentication for /api/v1: a bearer API key (scripts, integrations) or a dashboard session
// cookie (people). Valid keys are remembered briefly so a busy integration does not cost a
// database query per request; a revoked key stops working within that time. Sessions are looked
// up on every request, so a log-out takes effect at once.
//
// A cookie is sent by the browser on its own, so a state-changing request authenticated by one
// must also carry the session's CSRF token in X-CSRF-Token: a page of another origin cannot read
// that token, hence cannot forge the request. (The cookie is SameSite=Strict as well.)

import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Database } from '../storage/database.js';
import { findActiveKey, touchKey } from '../capabilities/security/api-keys.js';
import { resolveUserSession } from '../capabilities/security/user-sessions.js';
import type { Role } from '../capabilities/security/tables.js';
import { ApiProblem } from './problem.js';

const CACHE_MS = 30_000;
export const SESSION_COOKIE = 'csms_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who is calling: a role within one tenant. Nothing else decides what a request may see or do. */
export type Principal =
  | { kind: 'api-key'; keyId: number; name: string; role: Role; tenantId: number }
  | { kind: 'user'; userId: number; name: string; role: Role; tenantId: number };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const unauthorized = (detail: string) => new ApiProblem(401, 'Unauthorized', detail);

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function createApiAuth(db: Database, clock: Clock, events?: EventBus) {
  const cache = new Map<string, { principal: Principal; until: number }>();
  // A revoked key stops working at once, on every node (the event is bridged in a cluster), not
  // after the cache time.
  events?.on(
    'api-key.revoked',
    ({ keyId }) => {
      for (const [secret, entry] of cache) if (entry.principal.kind === 'api-key' && entry.principal.keyId === keyId) cache.delete(secret);
    },
    { remote: true },
  );

  async function byApiKey(request: FastifyRequest, header: string): Promise<void> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
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
    const principal: Principal = { kind: 'api-key', keyId: key.id, name: key.name, role: key.role, tenantId: key.tenantId };
    if (cache.size > 10_000) cache.clear();
    cache.set(secret, { principal, until: now + CACHE_MS });
    request.principal = principal;
    await touchKey(db, key.id, clock.now());
  }

  async function bySessionCookie(request: FastifyRequest, token: string): Promise<void> {
    const user = await resolveUserSession(db, token, clock.now());
    if (!user) throw unauthorized('The dashboard session has ended; log in again');
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, user.csrfToken)) {
        throw new ApiProblem(403, 'Forbidden', `A request authenticated by the session cookie must carry the session's CSRF token in ${CSRF_HEADER}`);
      }
    }
    request.principal = { kind: 'user', userId: user.userId, name: user.email, role: user.role, tenantId: user.tenantId };
  }

  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (header) return byApiKey(request, header);
    const token = request.cookies[SESSION_COOKIE];
    if (token) return bySessionCookie(request, token);
    throw unauthorized('Log in to the dashboard, or send an API key as "Authorization: Bearer <key>"');
  };
}

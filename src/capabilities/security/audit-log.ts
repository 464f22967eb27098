// The audit log: every change an operator asks of the API (any method but GET/HEAD/OPTIONS),
// by an authenticated caller, allowed or refused, with who, what, on what, when and the HTTP
// status it ended with. Written just before the answer is sent (so whoever has the answer finds
// the entry); a failed write is logged and never fails the request. Bodies are never kept
// (passwords).

import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Executor } from '../../storage/database.js';
import { auditLog } from './tables.js';

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditEntry = typeof auditLog.$inferInsert;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

/** onSend hook for /api/v1. */
export function auditHook(db: Executor, clock: Clock, log: Logger) {
  return async function audit<T>(request: FastifyRequest, reply: FastifyReply, payload: T): Promise<T> {
    const principal = request.principal;
    // Unauthenticated noise is not an operator action (and must not fill the table).
    if (SAFE_METHODS.has(request.method) || !principal) return payload;
    const params = (request.params ?? {}) as Record<string, string>;
    const entry: AuditEntry = {
      tenantId: principal.tenantId,
      at: clock.now(),
      actorKind: principal.kind,
      actor: principal.name,
      role: principal.role,
      action: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      target: Object.values(params)[0] ?? null,
      params: Object.keys(params).length > 0 ? params : null,
      outcome: reply.statusCode,
    };
    await recordAudit(db, entry).catch((error: unknown) => log.warn({ err: error, entry }, 'audit entry not recorded'));
    return payload;
  };
}

export interface AuditFilter {
  tenantId: number;
  actor?: string | undefined;
  target?: string | undefined;
  before?: number | undefined;
  limit: number;
}

export async function listAudit(db: Executor, filter: AuditFilter): Promise<AuditRow[]> {
  const where: SQL[] = [eq(auditLog.tenantId, filter.tenantId)];
  if (filter.actor) where.push(eq(auditLog.actor, filter.actor));
  if (filter.target) where.push(eq(auditLog.target, filter.target));
  if (filter.before) where.push(lt(auditLog.id, filter.before));
  return db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit);
}

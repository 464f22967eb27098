// Role checks for /api/v1. Every route is guarded: it declares `config: { minRole }`, or reading
// needs a viewer and changing an operator (roles.ts). The check runs before the body is parsed,
// so a viewer learns nothing about a payload it may not send. Handlers whose rule depends on the
// body (a station password, a security command) call requireRole themselves.

import type { FastifyRequest, RouteOptions } from 'fastify';
import { atLeast, routeMinRole } from '../capabilities/security/roles.js';
import type { Role } from '../capabilities/security/tables.js';
import { ApiProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The weakest role that may call the route (default: viewer for GET, operator otherwise). */
    minRole?: Role;
  }
}

export function requireRole(request: FastifyRequest, needed: Role, what: string): void {
  const role = request.principal?.role;
  if (!role) throw new ApiProblem(401, 'Unauthorized', 'Not authenticated');
  if (!atLeast(role, needed)) {
    throw new ApiProblem(403, 'Forbidden', `Your role (${role}) may not ${what}; it needs ${needed} or stronger`, { requiredRole: needed });
  }
}

/** onRequest hook, after authentication. */
export async function enforceRouteRole(request: FastifyRequest): Promise<void> {
  const needed = routeMinRole(request.method, request.routeOptions.config.minRole);
  requireRole(request, needed, `${request.method === 'GET' ? 'read' : 'call'} ${request.method} ${request.routeOptions.url ?? request.url}`);
}

/** onRoute hook: the OpenAPI description of each route says which role it needs. */
export function documentRouteRole(route: RouteOptions): void {
  if (!route.schema || route.schema.hide) return;
  const method = Array.isArray(route.method) ? route.method[0]! : route.method;
  const needed = routeMinRole(method, route.config?.minRole);
  const schema = route.schema as { description?: string };
  schema.description = [`Needs the ${needed} role or stronger.`, schema.description].filter(Boolean).join(' ');
}

// Tenancy for /api/v1. Every principal belongs to one tenant and sees and changes only what that
// tenant owns; nothing else derives a tenant (not the URL, not the body).
//
// - Each path parameter names an owned kind by the collection it follows (/stations/:id is a
//   station; PARAMETER_NAMES below), or a route says so itself in `config.owns`. A route with a
//   parameter nobody described stops the start-up, so no new route can forget.
// - Before the handler runs, each owned parameter is checked to be the caller's tenant's: another
//   tenant's resource gets exactly the 404 a missing one gets, so nobody learns that it exists.
// - Lists, creations and references in bodies pass `tenantOf(request)` to their stores.

import type { FastifyRequest, RouteOptions } from 'fastify';
import type { Executor } from '../storage/database.js';
import { OWNERS, type OwnedKind } from '../capabilities/tenants/owners.js';
import { PLATFORM_TENANT_ID } from '../capabilities/tenants/tables.js';
import { ApiProblem, notFound } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What each path parameter names: an owned kind, checked against the caller's tenant, or 'none'. */
    owns?: Record<string, OwnedKind | 'none'>;
  }
}

/** The caller's tenant. */
export function tenantOf(request: FastifyRequest): number {
  const principal = request.principal;
  if (!principal) throw new ApiProblem(401, 'Unauthorized', 'Not authenticated');
  return principal.tenantId;
}

/** Managing tenants, and whole-database exports and imports, are the platform tenant's alone. */
export function requirePlatformTenant(request: FastifyRequest, what: string): void {
  if (tenantOf(request) !== PLATFORM_TENANT_ID) {
    throw new ApiProblem(403, 'Forbidden', `Only the platform operator's people may ${what}`);
  }
}

/**
 * What a path parameter names, by the collection it follows: the one table of ownership in the
 * API. 'none' marks a parameter that names nothing a tenant owns by itself: a command's action,
 * a key within an owned station or site (checked through that), or a key the store already
 * scopes by the caller's tenant (priorities, billing modes and tariffs of token groups).
 */
const PARAMETER_NAMES: Record<string, OwnedKind | 'none'> = {
  stations: 'station',
  sites: 'site',
  'id-tags': 'idTag',
  sessions: 'session',
  tariffs: 'tariff',
  invoices: 'invoice',
  reservations: 'reservation',
  firmware: 'firmware',
  users: 'user',
  'api-keys': 'apiKey',
  commands: 'none',
  configuration: 'none',
  circuits: 'none',
  files: 'none',
  'load-priorities': 'none',
  'invoice-customers': 'none',
  groups: 'none',
  tenants: 'none',
};

/** onRoute hook: says what each path parameter names, or stops the start-up when nobody said. */
export function declareRouteOwnership(route: RouteOptions): void {
  const segments = route.url.split('/');
  const owns: Record<string, OwnedKind | 'none'> = {};
  segments.forEach((segment, index) => {
    const parameter = /^:([A-Za-z0-9_]+)/.exec(segment)?.[1];
    if (!parameter) return;
    const collection = segments[index - 1] ?? '';
    const kind = route.config?.owns?.[parameter] ?? PARAMETER_NAMES[collection];
    if (!kind) {
      const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
      throw new Error(`${method} ${route.url}: nobody said what :${parameter} after /${collection} names (api/tenant-scope.ts PARAMETER_NAMES, or config.owns)`);
    }
    owns[parameter] = kind;
  });
  if (Object.keys(owns).length > 0) route.config = { ...route.config, owns };
}

/** preValidation hook (before the body is even read): the named resources are the caller's tenant's, or the request ends in a 404. */
export function enforceOwnership(db: Executor) {
  return async function ownership(request: FastifyRequest): Promise<void> {
    const declared = request.routeOptions.config.owns;
    if (!declared) return;
    const params = request.params as Record<string, unknown>;
    const tenantId = tenantOf(request);
    for (const [name, kind] of Object.entries(declared)) {
      if (kind === 'none') continue;
      const value = String(params[name] ?? '');
      const owner = OWNERS[kind];
      if (!(await owner.owns(db, tenantId, value))) throw notFound(owner.missing(value));
    }
  };
}

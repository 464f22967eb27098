// /api/v1/api-keys: bearer keys for scripts and integrations, for admins and owners. The secret
// is shown once, in the answer that creates the key; a key is revoked, not deleted. Only an
// owner creates or revokes admin and owner keys.

import { Type, type Static } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { ApiProblem, notFound } from '../../api/problem.js';
import { tenantOf } from '../../api/tenant-scope.js';
import { createKey, getKey, listKeys, revokeKey, type ApiKeyRow } from './api-keys.js';
import { mayManage } from './roles.js';
import { ROLES, type Role } from './tables.js';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const ApiKey = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: Type.Enum(ROLES),
  createdBy: Nullable(Type.String()),
  createdAt: DateTime,
  lastUsedAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
});
const NewApiKey = Type.Intersect([ApiKey, Type.Object({ secret: Type.String({ description: 'Shown once; only a hash is kept' }) })]);
const CreateApiKey = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), role: Type.Enum(ROLES) }, { additionalProperties: false });

const keyJson = (row: ApiKeyRow): Static<typeof ApiKey> => ({
  id: row.id,
  name: row.name,
  role: row.role,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

function requireManage(request: FastifyRequest, target: Role): void {
  const actor = request.principal!.role;
  if (!mayManage(actor, target)) throw new ApiProblem(403, 'Forbidden', `Your role (${actor}) may not manage ${target} keys; only an owner does`);
}

export async function apiKeyRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock, events } = deps.services;
  const config = { minRole: 'admin' as const };

  app.get('/api-keys', { config, schema: { tags: ['api-keys'], summary: 'API keys (never their secrets)', response: { 200: Type.Array(ApiKey) } } }, async (request) =>
    (await listKeys(db, tenantOf(request))).map(keyJson),
  );

  app.post(
    '/api-keys',
    { config, schema: { tags: ['api-keys'], summary: 'Create an API key; the answer holds its secret, once', body: CreateApiKey, response: { 201: NewApiKey } } },
    async (request, reply) => {
      requireManage(request, request.body.role);
      const { row, secret } = await createKey(db, { ...request.body, tenantId: tenantOf(request), createdBy: request.principal!.name });
      return reply.code(201).send({ ...keyJson(row), secret });
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config,
      schema: { tags: ['api-keys'], summary: 'Revoke an API key (it stops working at once)', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: ApiKey } },
    },
    async (request) => {
      const key = await getKey(db, request.params.id);
      if (!key) throw notFound(`No API key ${request.params.id}`);
      requireManage(request, key.role);
      const revoked = (await revokeKey(db, key.id, clock.now()))!;
      events.emit('api-key.revoked', { keyId: key.id });
      return keyJson(revoked);
    },
  );
}

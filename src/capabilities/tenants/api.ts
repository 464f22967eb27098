// /api/v1/tenant (the caller's own organisation) and /api/v1/tenants (every organisation, for the
// platform tenant's admins and owners): creating a tenant creates its first owner, who then adds
// that tenant's people, keys, stations and everything else from inside it.

import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { conflict, notFound } from '../../api/problem.js';
import { requirePlatformTenant, tenantOf } from '../../api/tenant-scope.js';
import { createUser, normalizeEmail } from '../security/users.js';
import { PLATFORM_TENANT_ID } from './tables.js';
import { handOverRoutes } from './hand-over.js';
import { createTenant, getTenant, listTenants, updateTenant, type TenantRow } from './tenant-store.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Tenant = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  platform: Type.Boolean({ description: "The platform operator's own tenant (manages the others)" }),
  invoiceAddress: Nullable(Type.String()),
  vatId: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Address = Type.String({ maxLength: 500 });
const VatId = Type.String({ maxLength: 40 });
const Owner = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    password: Type.String({ minLength: 10, maxLength: 1024 }),
  },
  { additionalProperties: false, description: 'An owner of the tenant, who logs in and adds the rest' },
);
const CreateTenant = Type.Object(
  { name: Name, invoiceAddress: Type.Optional(Address), vatId: Type.Optional(VatId), owner: Owner },
  { additionalProperties: false },
);
const PatchTenant = Type.Object(
  { name: Type.Optional(Name), invoiceAddress: Type.Optional(Nullable(Address)), vatId: Type.Optional(Nullable(VatId)) },
  { additionalProperties: false },
);

const tenantJson = (row: TenantRow): Static<typeof Tenant> => ({
  id: row.id,
  name: row.name,
  platform: row.id === PLATFORM_TENANT_ID,
  invoiceAddress: row.invoiceAddress,
  vatId: row.vatId,
  createdAt: row.createdAt.toISOString(),
});

export async function tenantRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db } = deps.services;
  const admin = { minRole: 'admin' as const };

  app.get('/tenant', { schema: { tags: ['tenants'], summary: 'The organisation you belong to', response: { 200: Tenant } } }, async (request) =>
    tenantJson((await getTenant(db, tenantOf(request)))!),
  );

  app.get(
    '/tenants',
    { config: admin, schema: { tags: ['tenants'], summary: "Every organisation (the platform operator's admins only)", response: { 200: Type.Array(Tenant) } } },
    async (request) => {
      requirePlatformTenant(request, 'list tenants');
      return (await listTenants(db)).map(tenantJson);
    },
  );

  app.post(
    '/tenants',
    { config: admin, schema: { tags: ['tenants'], summary: 'Add an organisation with its first owner', body: CreateTenant, response: { 201: Tenant } } },
    async (request, reply) => {
      requirePlatformTenant(request, 'create tenants');
      const { owner, ...fields } = request.body;
      const outcome = await createTenant(db, fields, owner);
      if ('taken' in outcome) {
        throw conflict(outcome.taken === 'name' ? `A tenant named "${fields.name}" exists` : `A user with the address ${owner.email} exists`);
      }
      return reply.code(201).send(tenantJson(outcome.created));
    },
  );

  app.post(
    '/tenants/:id/owners',
    {
      config: admin,
      schema: {
        tags: ['tenants'],
        summary: 'Add an owner to an organisation (e.g. one whose people were lost, or after an import, which carries no people)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: Owner,
        response: { 201: Type.Object({ tenantId: Type.Integer(), email: Type.String(), role: Type.Literal('owner') }) },
      },
    },
    async (request, reply) => {
      requirePlatformTenant(request, "add owners to other tenants");
      if (!(await getTenant(db, request.params.id))) throw notFound(`No tenant ${request.params.id}`);
      if (!(await createUser(db, request.body.email, request.body.password, 'owner', request.params.id))) {
        throw conflict(`A user with the address ${request.body.email} exists`);
      }
      return reply.code(201).send({ tenantId: request.params.id, email: normalizeEmail(request.body.email), role: 'owner' as const });
    },
  );

  app.patch(
    '/tenants/:id',
    {
      // The platform's admins may change any tenant; a tenant's own admins their own.
      config: admin,
      schema: { tags: ['tenants'], summary: "Rename an organisation or change its invoice details", params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: PatchTenant, response: { 200: Tenant } },
    },
    async (request) => {
      if (request.params.id !== tenantOf(request)) requirePlatformTenant(request, "change another tenant's details");
      const row = await updateTenant(db, request.params.id, request.body);
      if (row === 'name-taken') throw conflict(`A tenant named "${request.body.name}" exists`);
      if (!row) throw notFound(`No tenant ${request.params.id}`);
      return tenantJson(row);
    },
  );

  await handOverRoutes(app, deps);
}

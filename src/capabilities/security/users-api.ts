// /api/v1/users: people who log in, for admins and owners. An admin manages operators and
// viewers; only an owner creates, changes or removes admins and owners; the last owner cannot
// be removed or demoted (someone must be able to manage admins). Everyone may change their own
// password.

import { Type, type Static } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { ApiProblem, conflict, notFound } from '../../api/problem.js';
import { tenantOf } from '../../api/tenant-scope.js';
import { mayManage } from './roles.js';
import { ROLES, type Role } from './tables.js';
import { countOwners, createUser, deleteUser, findUserByEmail, getUser, listUsers, updateUser, type UserRow } from './users.js';

const User = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  role: Type.Enum(ROLES),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const Password = Type.String({ minLength: 10, maxLength: 1024 });
const CreateUser = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }), password: Password, role: Type.Enum(ROLES) },
  { additionalProperties: false },
);
const PatchUser = Type.Object({ role: Type.Optional(Type.Enum(ROLES)), password: Type.Optional(Password) }, { additionalProperties: false });
const UserId = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const userJson = (row: UserRow): Static<typeof User> => ({
  id: row.id,
  email: row.email,
  role: row.role,
  createdAt: row.createdAt.toISOString(),
  lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
});

function requireManage(request: FastifyRequest, target: Role): void {
  const actor = request.principal!.role;
  if (!mayManage(actor, target)) {
    throw new ApiProblem(403, 'Forbidden', `Your role (${actor}) may not manage ${target}s; only an owner manages admins and owners`);
  }
}

export async function userRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db } = deps.services;
  const config = { minRole: 'admin' as const };

  async function existing(id: number): Promise<UserRow> {
    const row = await getUser(db, id);
    if (!row) throw notFound(`No user ${id}`);
    return row;
  }
  async function keepAnOwner(row: UserRow, newRole: Role | undefined): Promise<void> {
    if (row.role === 'owner' && newRole !== 'owner' && (await countOwners(db, row.tenantId)) <= 1) {
      throw conflict(`${row.email} is the last owner; make someone else an owner first`);
    }
  }

  app.get('/users', { config, schema: { tags: ['users'], summary: 'People who may log in', response: { 200: Type.Array(User) } } }, async (request) =>
    (await listUsers(db, tenantOf(request))).map(userJson),
  );

  app.post(
    '/users',
    { config, schema: { tags: ['users'], summary: 'Add a person', body: CreateUser, response: { 201: User } } },
    async (request, reply) => {
      requireManage(request, request.body.role);
      if (!(await createUser(db, request.body.email, request.body.password, request.body.role, tenantOf(request)))) {
        throw conflict(`A user with the address ${request.body.email} exists`);
      }
      return reply.code(201).send(userJson((await findUserByEmail(db, request.body.email))!));
    },
  );

  app.patch(
    '/users/:id',
    {
      // A viewer or operator changes their own password here too; the handler checks the rest.
      config: { minRole: 'viewer' },
      schema: { tags: ['users'], summary: "Change a person's role or password (anyone their own password)", params: UserId, body: PatchUser, response: { 200: User } },
    },
    async (request) => {
      const row = await existing(request.params.id);
      // Everyone may change their own password; anything else about a person needs the right to manage them.
      const principal = request.principal!;
      const ownPassword = principal.kind === 'user' && principal.userId === row.id && request.body.role === undefined;
      if (!ownPassword) requireManage(request, row.role);
      if (request.body.role) {
        requireManage(request, request.body.role);
        await keepAnOwner(row, request.body.role);
      }
      return userJson((await updateUser(db, row.id, request.body))!);
    },
  );

  app.delete(
    '/users/:id',
    { config, schema: { tags: ['users'], summary: 'Remove a person (ends their sessions)', params: UserId, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const row = await existing(request.params.id);
      requireManage(request, row.role);
      await keepAnOwner(row, undefined);
      await deleteUser(db, row.id);
      return reply.code(204).send(null);
    },
  );
}

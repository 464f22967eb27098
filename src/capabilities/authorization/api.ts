// /api/v1/id-tags: the RFID cards and other tokens that may charge.

import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { conflict, notFound } from '../../api/problem.js';
import { createIdTag, deleteIdTag, findIdTag, listIdTags, updateIdTag, type IdTagFields, type IdTagRow } from './id-tag-store.js';
import { ID_TAG_STATUSES } from './tables.js';

const Status = Type.Enum(ID_TAG_STATUSES);
const IdTagText = Type.String({ minLength: 1, maxLength: 20, description: 'OCPP CiString20: matched case-insensitively' });
const NullableDate = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const IdTag = Type.Object({
  idTag: Type.String(),
  status: Status,
  expiryDate: NullableDate,
  parentIdTag: Type.Union([Type.String(), Type.Null()]),
  internal: Type.Boolean({ description: 'Internal user: sessions recorded but billed at zero' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const Fields = {
  status: Type.Optional(Status),
  expiryDate: Type.Optional(NullableDate),
  parentIdTag: Type.Optional(Type.Union([IdTagText, Type.Null()])),
  internal: Type.Optional(Type.Boolean()),
};
const CreateIdTag = Type.Object({ idTag: IdTagText, ...Fields }, { additionalProperties: false });
const PatchIdTag = Type.Object(Fields, { additionalProperties: false });
const Params = Type.Object({ idTag: IdTagText });

function json(row: IdTagRow): Static<typeof IdTag> {
  return {
    idTag: row.idTag,
    status: row.status,
    expiryDate: row.expiryDate?.toISOString() ?? null,
    parentIdTag: row.parentIdTag,
    internal: row.internal,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function fields(body: Static<typeof PatchIdTag>): IdTagFields {
  const result: IdTagFields = {};
  if (body.status !== undefined) result.status = body.status;
  if (body.expiryDate !== undefined) result.expiryDate = body.expiryDate === null ? null : new Date(body.expiryDate);
  if (body.parentIdTag !== undefined) result.parentIdTag = body.parentIdTag;
  if (body.internal !== undefined) result.internal = body.internal;
  return result;
}

export async function idTagRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db } = deps.services;

  app.get('/id-tags', { schema: { tags: ['id-tags'], summary: 'All id tags', response: { 200: Type.Array(IdTag) } } }, async () =>
    (await listIdTags(db)).map(json),
  );

  app.get(
    '/id-tags/:idTag',
    { schema: { tags: ['id-tags'], summary: 'One id tag (case-insensitive)', params: Params, response: { 200: IdTag } } },
    async (request) => {
      const row = await findIdTag(db, request.params.idTag);
      if (!row) throw notFound(`No id tag "${request.params.idTag}"`);
      return json(row);
    },
  );

  app.post(
    '/id-tags',
    { schema: { tags: ['id-tags'], summary: 'Create an id tag', body: CreateIdTag, response: { 201: IdTag } } },
    async (request, reply) => {
      const row = await createIdTag(db, request.body.idTag, fields(request.body));
      if (!row) throw conflict(`Id tag "${request.body.idTag}" already exists (id tags are case-insensitive)`);
      return reply.code(201).send(json(row));
    },
  );

  app.patch(
    '/id-tags/:idTag',
    { schema: { tags: ['id-tags'], summary: 'Change an id tag', params: Params, body: PatchIdTag, response: { 200: IdTag } } },
    async (request) => {
      const row = await updateIdTag(db, request.params.idTag, fields(request.body));
      if (!row) throw notFound(`No id tag "${request.params.idTag}"`);
      return json(row);
    },
  );

  app.delete(
    '/id-tags/:idTag',
    { schema: { tags: ['id-tags'], summary: 'Delete an id tag', params: Params, response: { 204: Type.Null() } } },
    async (request, reply) => {
      if (!(await deleteIdTag(db, request.params.idTag))) throw notFound(`No id tag "${request.params.idTag}"`);
      return reply.code(204).send(null);
    },
  );
}

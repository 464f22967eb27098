// The authorization capability's routes: /api/v1/id-tags (the RFID cards and other tokens that
// may charge), their CSV import and export (/api/v1/id-tags.csv), and each station's local list
// (local-list/api.ts). Every change emits id-tags.changed, which pushes local lists and, when a
// tag can no longer charge, makes stations clear their authorization cache.

import { Readable } from 'node:stream';
import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { ApiProblem, conflict, notFound } from '../../api/problem.js';
import type { Executor } from '../../storage/database.js';
import { standingOf } from './decide.js';
import { idTagCsvHeader, idTagCsvRow, readIdTagCsv } from './id-tag-csv.js';
import {
  createIdTag,
  deleteIdTag,
  findIdTag,
  findIdTagWithGroup,
  groupsAmong,
  idTagPages,
  listIdTags,
  updateIdTag,
  upsertIdTags,
  type IdTagFields,
  type IdTagRow,
} from './id-tag-store.js';
import { localListRoutes } from './local-list/api.js';
import { ID_TAG_ORIGINS, ID_TAG_STATUSES } from './tables.js';
import { tenantOf } from '../../api/tenant-scope.js';

const Status = Type.Enum(ID_TAG_STATUSES);
const Origin = Type.Enum(ID_TAG_ORIGINS, {
  description: 'operator: created through the API or an import; unknown_accepted: recorded when an unknown tag charged under OCPP_UNKNOWN_ID_TAGS=accept',
});
const IdTagText = Type.String({ minLength: 1, maxLength: 20, description: 'OCPP CiString20: matched case-insensitively' });
const NullableDate = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
// One schema with two types rather than a union: the API coerces types, and in a union null
// would be read as "" or 0 (and 0 as null).
const OwnerName = Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 200, description: 'The card’s owner or driver' });
const MaxConcurrentTx = Type.Unsafe<number | null>({
  type: ['integer', 'null'],
  minimum: 1,
  maximum: 999_999,
  description: 'At most this many open transactions at once (ConcurrentTx beyond); null: no limit',
});

const IdTag = Type.Object({
  idTag: Type.String(),
  status: Status,
  expiryDate: NullableDate,
  parentIdTag: Type.Union([Type.String(), Type.Null()]),
  internal: Type.Boolean({ description: 'Internal user: sessions recorded but billed at zero' }),
  ownerName: Type.Union([Type.String(), Type.Null()]),
  maxConcurrentTx: Type.Union([Type.Integer(), Type.Null()]),
  origin: Origin,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const Fields = {
  status: Type.Optional(Status),
  expiryDate: Type.Optional(NullableDate),
  parentIdTag: Type.Optional(Type.Union([IdTagText, Type.Null()])),
  internal: Type.Optional(Type.Boolean()),
  ownerName: Type.Optional(OwnerName),
  maxConcurrentTx: Type.Optional(MaxConcurrentTx),
  origin: Type.Optional(Origin),
};
const CreateIdTag = Type.Object({ idTag: IdTagText, ...Fields }, { additionalProperties: false });
const PatchIdTag = Type.Object(Fields, { additionalProperties: false });
const Params = Type.Object({ idTag: IdTagText });
const ListQuery = Type.Object({
  status: Type.Optional(Status),
  parentIdTag: Type.Optional(Type.String({ description: 'Only the cards of this group' })),
  origin: Type.Optional(Origin),
});
const ImportResult = Type.Object({ created: Type.Integer(), updated: Type.Integer() });

function json(row: IdTagRow): Static<typeof IdTag> {
  return {
    idTag: row.idTag,
    status: row.status,
    expiryDate: row.expiryDate?.toISOString() ?? null,
    parentIdTag: row.parentIdTag,
    internal: row.internal,
    ownerName: row.ownerName,
    maxConcurrentTx: row.maxConcurrentTx,
    origin: row.origin,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function fields(body: Static<typeof PatchIdTag>): IdTagFields {
  const { expiryDate, ...rest } = body;
  const result: IdTagFields = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  if (expiryDate !== undefined) result.expiryDate = expiryDate === null ? null : new Date(expiryDate);
  return result;
}

/** Whether the tenant's tag may charge now (by its own and its group's row). */
async function mayCharge(db: Executor, tenantId: number, idTag: string, at: Date): Promise<boolean> {
  const found = await findIdTagWithGroup(db, tenantId, idTag);
  return found !== undefined && standingOf(found.tag, found.group, at).status === 'Accepted';
}

/** The tenant's tags (lower case) that may charge now. */
async function tagsThatMayCharge(db: Executor, tenantId: number, at: Date): Promise<Set<string>> {
  const tags = await listIdTags(db, { tenantId });
  const group = groupsAmong(tags);
  return new Set(tags.filter((tag) => standingOf(tag, group(tag), at).status === 'Accepted').map((tag) => tag.idTag.toLowerCase()));
}

const EXPORT_PAGE = 1000;
const ERRORS_SHOWN = 1000;

export async function idTagRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock, events } = deps.services;
  // The tenant goes along: only its stations' local lists and caches are concerned.
  const changed = (tenantId: number, idTags: string[], revoked: boolean) => events.emit('id-tags.changed', { tenantId, idTags, revoked });

  app.get(
    '/id-tags',
    { schema: { tags: ['id-tags'], summary: 'All id tags, optionally filtered', querystring: ListQuery, response: { 200: Type.Array(IdTag) } } },
    async (request) => (await listIdTags(db, { ...request.query, tenantId: tenantOf(request) })).map(json),
  );

  app.get(
    '/id-tags/:idTag',
    { schema: { tags: ['id-tags'], summary: 'One id tag (case-insensitive)', params: Params, response: { 200: IdTag } } },
    async (request) => {
      const row = await findIdTag(db, tenantOf(request), request.params.idTag);
      if (!row) throw notFound(`No id tag "${request.params.idTag}"`);
      return json(row);
    },
  );

  app.post(
    '/id-tags',
    { schema: { tags: ['id-tags'], summary: 'Create an id tag', body: CreateIdTag, response: { 201: IdTag } } },
    async (request, reply) => {
      const row = await createIdTag(db, tenantOf(request), request.body.idTag, fields(request.body));
      if (!row) throw conflict(`You already have id tag "${request.body.idTag}" (id tags are case-insensitive)`);
      changed(row.tenantId, [row.idTag], false);
      return reply.code(201).send(json(row));
    },
  );

  app.patch(
    '/id-tags/:idTag',
    { schema: { tags: ['id-tags'], summary: 'Change an id tag', params: Params, body: PatchIdTag, response: { 200: IdTag } } },
    async (request) => {
      const { idTag } = request.params;
      const before = await mayCharge(db, tenantOf(request), idTag, clock.now());
      const row = await updateIdTag(db, tenantOf(request), idTag, fields(request.body));
      if (!row) throw notFound(`No id tag "${idTag}"`);
      changed(row.tenantId, [row.idTag], before && !(await mayCharge(db, tenantOf(request), idTag, clock.now())));
      return json(row);
    },
  );

  app.delete(
    '/id-tags/:idTag',
    { schema: { tags: ['id-tags'], summary: 'Delete an id tag', params: Params, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const before = await mayCharge(db, tenantOf(request), request.params.idTag, clock.now());
      const row = await deleteIdTag(db, tenantOf(request), request.params.idTag);
      if (!row) throw notFound(`No id tag "${request.params.idTag}"`);
      changed(row.tenantId, [row.idTag], before);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/id-tags.csv',
    {
      schema: {
        tags: ['id-tags'],
        summary: 'Export every id tag (of your tenant) as CSV',
        description: 'Streamed, a header row first: idTag, status, expiryDate, parentIdTag, ownerName, internal, maxConcurrentTx, origin.',
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      async function* lines(): AsyncGenerator<string> {
        yield idTagCsvHeader();
        for await (const page of idTagPages(db, tenantId, EXPORT_PAGE)) yield page.map(idTagCsvRow).join('');
      }
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="id-tags.csv"').send(Readable.from(lines()));
    },
  );

  // The import takes the CSV as it is (text/csv), in a scope of its own so the parser applies here only.
  await app.register(async (scope) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    (scope as unknown as ApiApp).post(
      '/id-tags.csv',
      {
        schema: {
          tags: ['id-tags'],
          summary: 'Import id tags from CSV (all or nothing)',
          description:
            'Content-Type text/csv. A header row names the columns (as the export; only idTag is required). Each row creates the tag or ' +
            'updates it (case-insensitively; columns the file lacks are left as they are). If any row is invalid nothing is imported and ' +
            'the 400 problem lists every invalid row as {line, reason}.',
          consumes: ['text/csv'],
          response: { 200: ImportResult },
        },
      },
      async (request) => {
        if (typeof request.body !== 'string') throw new ApiProblem(415, 'Unsupported Media Type', 'Send the id tags as CSV with Content-Type text/csv');
        const tenantId = tenantOf(request);
        const { tags, errors } = readIdTagCsv(request.body);
        if (errors.length > 0) {
          throw new ApiProblem(400, 'Bad Request', `${errors.length} invalid row(s), first on line ${errors[0]!.line}: ${errors[0]!.reason}; nothing was imported`, {
            errors: errors.slice(0, ERRORS_SHOWN),
          });
        }
        const at = clock.now();
        const { result, revoked } = await db.transaction(async (tx) => {
          const before = await tagsThatMayCharge(tx, tenantId, at);
          const result = await upsertIdTags(tx, tenantId, tags);
          const after = await tagsThatMayCharge(tx, tenantId, at);
          return { result, revoked: [...before].some((tag) => !after.has(tag)) };
        });
        if (tags.length > 0) changed(tenantId, tags.map((tag) => tag.idTag), revoked);
        return result;
      },
    );
  });

  await localListRoutes(app, deps);
}

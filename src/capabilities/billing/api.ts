// /api/v1/tariffs (OCPI 2.2.1 Tariff objects, versioned), /api/v1/tariff-assignments (token
// groups and the default; stations and sites carry their own tariffId), and per session the
// timeline, its (estimated) cost and an operator's re-rating.

import { randomBytes } from 'node:crypto';
import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { badRequest, conflict, notFound } from '../../api/problem.js';
import { DateTime, Nullable } from '../../api/schema-types.js';
import { findIdTag, listIdTags } from '../authorization/id-tag-store.js';
import { listSites } from '../sites/site-store.js';
import { listStations } from '../stations/station-store.js';
import { getTransaction } from '../transactions/transaction-store.js';
import { costOf, rateTransaction, sessionTariff } from './rating-service.js';
import { checkTariffReference } from './tariff-reference.js';
import { applyPatch, TariffBody, TariffJson, TariffPatch, tariffProblems, type OcpiTariffBody } from './tariff-model.js';
import {
  addTariffVersion,
  createTariff,
  DEFAULT_KEY,
  deleteTariff,
  getTariff,
  groupKey,
  listAssignments,
  listTariffs,
  removeAssignment,
  setAssignment,
  tariffHistory,
  type TariffVersionRow,
} from './tariff-store.js';
import { tenantOf } from '../../api/tenant-scope.js';

const TariffId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const SessionId = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const GroupParams = Type.Object({ groupIdTag: Type.String({ minLength: 1, maxLength: 20 }) });
const AssignBody = Type.Object({ tariffId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const Assignments = Type.Object({
  default: Nullable(Type.String()),
  groups: Type.Array(Type.Object({ groupIdTag: Type.String(), tariffId: Type.String() })),
  stations: Type.Array(Type.Object({ stationId: Type.String(), tariffId: Type.String() })),
  sites: Type.Array(Type.Object({ siteId: Type.String(), tariffId: Type.String() })),
});

const Interval = Type.Object({
  start: DateTime,
  end: DateTime,
  energyWh: Type.Number(),
  kind: Type.Union([Type.Literal('charging'), Type.Literal('idle')]),
  reportedPowerW: Nullable(Type.Number()),
});

function tariffJson(row: TariffVersionRow): Static<typeof TariffJson> {
  return { ...row.body, id: row.id, last_updated: row.validFrom.toISOString(), version: row.version };
}

function checkTariff(tariff: OcpiTariffBody): void {
  const [first] = tariffProblems(tariff);
  if (first) throw badRequest(`body${first.field}: ${first.detail}`, { field: first.field });
}

export async function billingRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps.services;

  /** A tenant's group/default assignments, stations and sites (of one tariff, or all), for what uses which tariff. */
  function tenantsTariffUsers(tenantId: number, tariffId?: string) {
    return Promise.all([listAssignments(db, tenantId, tariffId), listStations(db, { tenantId }), listSites(db, tenantId)]);
  }

  async function existing(id: string, version?: number): Promise<TariffVersionRow> {
    const row = await getTariff(db, id, version);
    if (!row) throw notFound(version === undefined ? `No tariff "${id}"` : `No version ${version} of tariff "${id}"`);
    return row;
  }

  app.get('/tariffs', { schema: { tags: ['tariffs'], summary: 'Every tariff, newest version', response: { 200: Type.Array(TariffJson) } } }, async (request) =>
    (await listTariffs(db, tenantOf(request))).map(tariffJson),
  );

  app.post(
    '/tariffs',
    {
      schema: {
        tags: ['tariffs'],
        summary: 'Create a tariff (an OCPI 2.2.1 Tariff object; the id is assigned)',
        body: TariffBody,
        response: { 201: TariffJson },
      },
    },
    async (request, reply) => {
      checkTariff(request.body);
      const row = await createTariff(db, tenantOf(request), `tariff-${randomBytes(5).toString('hex')}`, request.body, clock.now());
      return reply.code(201).send(tariffJson(row));
    },
  );

  app.get(
    '/tariffs/:id',
    {
      schema: {
        tags: ['tariffs'],
        summary: 'One tariff: its newest version, or the version asked for',
        params: TariffId,
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: TariffJson },
      },
    },
    async (request) => tariffJson(await existing(request.params.id, request.query.version)),
  );

  app.get(
    '/tariffs/:id/versions',
    { schema: { tags: ['tariffs'], summary: 'Every version of a tariff, oldest first', params: TariffId, response: { 200: Type.Array(TariffJson) } } },
    async (request) => {
      await existing(request.params.id);
      return (await tariffHistory(db, request.params.id)).map(tariffJson);
    },
  );

  app.patch(
    '/tariffs/:id',
    {
      schema: {
        tags: ['tariffs'],
        summary: 'Change a tariff: top-level fields are replaced (null removes one) and a new version is made; running sessions keep theirs',
        params: TariffId,
        body: TariffPatch,
        response: { 200: TariffJson },
      },
    },
    async (request) => {
      const current = await existing(request.params.id);
      const next = applyPatch(current.body, request.body);
      if (next.currency === undefined || next.elements === undefined) throw badRequest('currency and elements cannot be removed', { field: '/elements' });
      checkTariff(next);
      const row = await addTariffVersion(db, request.params.id, next, clock.now());
      if (!row) throw notFound(`No tariff "${request.params.id}"`);
      return tariffJson(row);
    },
  );

  app.delete(
    '/tariffs/:id',
    { schema: { tags: ['tariffs'], summary: 'Delete a tariff nothing is assigned to (rated sessions keep naming its versions)', params: TariffId } },
    async (request, reply) => {
      const id = request.params.id;
      await existing(id);
      const [assignments, stations, sites] = await tenantsTariffUsers(tenantOf(request), id);
      const usedBy = [
        ...assignments.map((a) => (a.scope === 'default' ? 'the default tariff' : `token group ${a.key}`)),
        ...stations.filter((s) => s.tariffId === id).map((s) => `station ${s.id}`),
        ...sites.filter((s) => s.tariffId === id).map((s) => `site ${s.id}`),
      ];
      if (usedBy.length > 0) throw conflict(`Tariff "${id}" is still assigned to ${usedBy.join(', ')}; assign another first`, { usedBy });
      await deleteTariff(db, id, clock.now());
      return reply.code(204).send();
    },
  );

  app.get(
    '/tariff-assignments',
    { schema: { tags: ['tariffs'], summary: 'Which tariff applies where (precedence: token group > station > site > default)', response: { 200: Assignments } } },
    async (request) => {
      const [assignments, stations, sites] = await tenantsTariffUsers(tenantOf(request));
      return {
        default: assignments.find((a) => a.scope === 'default')?.tariffId ?? null,
        groups: assignments.filter((a) => a.scope === 'group').map((a) => ({ groupIdTag: a.key, tariffId: a.tariffId })),
        stations: stations.flatMap((s) => (s.tariffId ? [{ stationId: s.id, tariffId: s.tariffId }] : [])),
        sites: sites.flatMap((s) => (s.tariffId ? [{ siteId: s.id, tariffId: s.tariffId }] : [])),
      };
    },
  );

  app.put(
    '/tariff-assignments/groups/:groupIdTag',
    {
      schema: {
        tags: ['tariffs'],
        summary: "Assign a tariff to a token group: the id tags whose parentIdTag is this tag (and the tag itself)",
        params: GroupParams,
        body: AssignBody,
        response: { 200: Type.Object({ groupIdTag: Type.String(), tariffId: Type.String() }) },
      },
    },
    async (request) => {
      const group = request.params.groupIdTag;
      const tenantId = tenantOf(request);
      // The group is one of the caller's tags, or the parentIdTag of one: another tenant's group is not known here.
      const known = (await findIdTag(db, tenantId, group)) ?? (await listIdTags(db, { tenantId, parentIdTag: group }))[0];
      if (!known) throw notFound(`No id tag "${group}" and none with it as parentIdTag`);
      await checkTariffReference(db, tenantOf(request), request.body.tariffId);
      await setAssignment(db, tenantOf(request), 'group', groupKey(group), request.body.tariffId);
      return { groupIdTag: groupKey(group), tariffId: request.body.tariffId };
    },
  );

  app.delete(
    '/tariff-assignments/groups/:groupIdTag',
    { schema: { tags: ['tariffs'], summary: "Remove a token group's tariff", params: GroupParams } },
    async (request, reply) => {
      if (!(await removeAssignment(db, tenantOf(request), 'group', groupKey(request.params.groupIdTag)))) throw notFound(`Token group "${request.params.groupIdTag}" has no tariff`);
      return reply.code(204).send();
    },
  );

  app.put(
    '/tariff-assignments/default',
    { schema: { tags: ['tariffs'], summary: 'Set the tariff of sessions no group, station or site tariff covers', body: AssignBody, response: { 200: AssignBody } } },
    async (request) => {
      await checkTariffReference(db, tenantOf(request), request.body.tariffId);
      await setAssignment(db, tenantOf(request), 'default', DEFAULT_KEY, request.body.tariffId);
      return { tariffId: request.body.tariffId };
    },
  );

  app.delete('/tariff-assignments/default', { schema: { tags: ['tariffs'], summary: 'Remove the default tariff' } }, async (request, reply) => {
    if (!(await removeAssignment(db, tenantOf(request), 'default', DEFAULT_KEY))) throw notFound('No default tariff is set');
    return reply.code(204).send();
  });

  async function session(id: number) {
    const row = await getTransaction(db, id);
    if (!row) throw notFound(`No session ${id}`);
    return row;
  }

  app.get(
    '/sessions/:id/timeline',
    {
      schema: {
        tags: ['sessions'],
        summary: "A session's charging and idle intervals, its tariff and its cost (an estimate while it runs)",
        params: SessionId,
        response: {
          200: Type.Object({
            intervals: Type.Array(Interval),
            energyWh: Type.Number(),
            chargingSeconds: Type.Number(),
            idleSeconds: Type.Number(),
            meterReset: Type.Boolean(),
            tariffId: Nullable(Type.String()),
            tariffVersion: Nullable(Type.Integer()),
            tariffSource: Nullable(Type.String()),
            estimatedCost: Nullable(Type.Unknown()),
          }),
        },
      },
    },
    async (request) => {
      const row = await session(request.params.id);
      const [chosen, { cost, timeline }] = await Promise.all([sessionTariff(db, row), costOf(db, row, clock.now())]);
      return {
        intervals: timeline.intervals.map((i) => ({ start: i.start.toISOString(), end: i.end.toISOString(), energyWh: i.energyWh, kind: i.kind, reportedPowerW: i.reportedPowerW })),
        energyWh: timeline.energyWh,
        chargingSeconds: timeline.chargingSeconds,
        idleSeconds: timeline.idleSeconds,
        meterReset: timeline.meterReset,
        tariffId: chosen.tariffId,
        tariffVersion: chosen.tariffVersion,
        tariffSource: chosen.source,
        estimatedCost: cost,
      };
    },
  );

  app.post(
    '/sessions/:id/rate',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Rate a finished session again with the tariff version it started under, and store the cost',
        params: SessionId,
        response: { 200: Type.Object({ cost: Nullable(Type.Unknown()) }) },
      },
    },
    async (request) => {
      const row = await session(request.params.id);
      if (!row.stoppedAt) throw conflict(`Session ${row.id} is still running; GET /api/v1/sessions/${row.id}/timeline shows its estimated cost`);
      return { cost: (await rateTransaction(deps.services, row.id)) ?? null };
    },
  );
}

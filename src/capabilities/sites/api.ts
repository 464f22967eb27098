// /api/v1/sites: grid connections with their stations, time zone and electrical limit. Changes
// emit site.changed so that load management re-plans the site at once.

import { randomBytes } from 'node:crypto';
import { IANAZone } from 'luxon';
import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { badRequest, conflict, notFound } from '../../api/problem.js';
import { DateTime, Nullable } from '../../api/schema-types.js';
import { checkTariffReference } from '../billing/tariff-reference.js';
import { listStations } from '../stations/station-store.js';
import { createSite, deleteSite, getSite, listSites, updateSite, type SiteChanges, type SiteRow } from './site-store.js';
import { tenantOf } from '../../api/tenant-scope.js';

const SiteId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' });
const Amps = Type.Number({ exclusiveMinimum: 0, maximum: 100_000 });

const editable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
  gridLimitAmps: Nullable(Amps),
  gridLimitKw: Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 100_000, description: 'The limit in kW (all phases); the smaller of this and gridLimitAmps counts' })),
  buildingLoadAmps: Nullable(Type.Number({ minimum: 0, maximum: 100_000, description: 'Other building load (A per phase) when it is not reported' })),
  buildingLoadWorstCaseAmps: Nullable(
    Type.Number({ minimum: 0, maximum: 100_000, description: 'Counted as building load when reports (PUT .../building-load) go stale' }),
  ),
  phases: Type.Union([Type.Literal(1), Type.Literal(3)]),
  voltage: Type.Integer({ minimum: 100, maximum: 1000 }),
  minCurrentAmps: Type.Number({ minimum: 0, maximum: 80 }),
  tariffId: Nullable(Type.String({ minLength: 1, maxLength: 64 })),
};

const Site = Type.Object({
  id: Type.String(),
  ...editable,
  gridLimitAmps: Nullable(Type.Number()),
  gridLimitKw: Nullable(Type.Number()),
  buildingLoadAmps: Nullable(Type.Number()),
  buildingLoadWorstCaseAmps: Nullable(Type.Number()),
  stationIds: Type.Array(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const CreateSite = Type.Object(
  {
    id: Type.Optional(SiteId),
    name: editable.name,
    timeZone: editable.timeZone,
    gridLimitAmps: Type.Optional(editable.gridLimitAmps),
    gridLimitKw: Type.Optional(editable.gridLimitKw),
    buildingLoadAmps: Type.Optional(editable.buildingLoadAmps),
    buildingLoadWorstCaseAmps: Type.Optional(editable.buildingLoadWorstCaseAmps),
    phases: Type.Optional(editable.phases),
    voltage: Type.Optional(editable.voltage),
    minCurrentAmps: Type.Optional(editable.minCurrentAmps),
    tariffId: Type.Optional(editable.tariffId),
  },
  { additionalProperties: false },
);
const PatchSite = Type.Partial(Type.Object(editable, { additionalProperties: false }));
const Params = Type.Object({ id: Type.String() });

function checkSite(site: Partial<Static<typeof CreateSite>>): void {
  if (site.timeZone !== undefined && !IANAZone.isValidZone(site.timeZone)) {
    throw badRequest(`timeZone "${site.timeZone}" is not an IANA time zone (e.g. Europe/Berlin)`, { field: '/timeZone' });
  }
}

export async function siteRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, events } = deps.services;

  async function siteJson(row: SiteRow) {
    // The site's tenant's stations only: a station joins a site of its own tenant (stations/api.ts).
    const stations = await listStations(db, { tenantId: row.tenantId, siteId: row.id });
    return {
      id: row.id,
      name: row.name,
      timeZone: row.timeZone,
      gridLimitAmps: row.gridLimitAmps,
      gridLimitKw: row.gridLimitKw,
      buildingLoadAmps: row.buildingLoadAmps,
      buildingLoadWorstCaseAmps: row.buildingLoadWorstCaseAmps,
      phases: row.phases as 1 | 3,
      voltage: row.voltage,
      minCurrentAmps: row.minCurrentAmps,
      tariffId: row.tariffId,
      stationIds: stations.map((station) => station.id),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async function existing(id: string): Promise<SiteRow> {
    const row = await getSite(db, id);
    if (!row) throw notFound(`No site "${id}"`);
    return row;
  }

  app.get('/sites', { schema: { tags: ['sites'], summary: 'All sites', response: { 200: Type.Array(Site) } } }, async (request) =>
    Promise.all((await listSites(db, tenantOf(request))).map(siteJson)),
  );

  app.get('/sites/:id', { schema: { tags: ['sites'], summary: 'One site with its stations', params: Params, response: { 200: Site } } }, async (request) =>
    siteJson(await existing(request.params.id)),
  );

  app.post(
    '/sites',
    { schema: { tags: ['sites'], summary: 'Create a site (the id is generated unless given)', body: CreateSite, response: { 201: Site } } },
    async (request, reply) => {
      const body = request.body;
      checkSite(body);
      await checkTariffReference(db, tenantOf(request), body.tariffId);
      const row = await createSite(db, { ...body, tenantId: tenantOf(request), id: body.id ?? `site-${randomBytes(5).toString('hex')}` });
      if (!row) throw conflict(`Site "${body.id}" already exists`);
      events.emit('site.changed', { siteId: row.id });
      return reply.code(201).send(await siteJson(row));
    },
  );

  app.patch(
    '/sites/:id',
    { schema: { tags: ['sites'], summary: 'Change a site', params: Params, body: PatchSite, response: { 200: Site } } },
    async (request) => {
      await existing(request.params.id);
      checkSite(request.body);
      await checkTariffReference(db, tenantOf(request), request.body.tariffId);
      const changes: SiteChanges = request.body;
      const row = Object.keys(changes).length > 0 ? await updateSite(db, request.params.id, changes) : undefined;
      events.emit('site.changed', { siteId: request.params.id });
      return siteJson(row ?? (await existing(request.params.id)));
    },
  );

  app.delete(
    '/sites/:id',
    { schema: { tags: ['sites'], summary: 'Delete a site that has no stations', params: Params } },
    async (request, reply) => {
      await existing(request.params.id);
      const stations = await listStations(db, { siteId: request.params.id });
      if (stations.length > 0) {
        throw conflict(`Site "${request.params.id}" still has ${stations.length} station(s); move them first (PATCH /api/v1/stations/{id} {"siteId": null})`, {
          stationIds: stations.map((station) => station.id),
        });
      }
      await deleteSite(db, request.params.id);
      events.emit('site.changed', { siteId: request.params.id });
      return reply.code(204).send();
    },
  );
}

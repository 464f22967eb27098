// Load management's API: a site's live load and its history, reported building load,
// sub-circuits, a station's max current, and priorities per token group. Every change emits
// site.changed (or re-plans the site directly), so the new figures take effect at once.

import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { badRequest, conflict, notFound } from '../../api/problem.js';
import { DateTime, iso, Nullable } from '../../api/schema-types.js';
import { getSite, listSites } from '../sites/site-store.js';
import { getStation, listStations } from '../stations/station-store.js';
import type { LoadManager } from './load-service.js';
import {
  buildingReport,
  circuitIdTaken,
  circuitMemberships,
  circuitsOf,
  deleteCircuit,
  deletePriority,
  latestSnapshot,
  listPriorities,
  loadStationRows,
  reportBuildingLoad,
  saveCircuit,
  setPriority,
  snapshotsBetween,
  updateLoadStation,
  type Circuit,
  type LoadStationRow,
} from './load-store.js';
import { tenantOf } from '../../api/tenant-scope.js';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' });
const Amps = Type.Number({ minimum: 0, maximum: 100_000 });
const SiteParams = Type.Object({ id: Type.String() });

const SessionLoad = Type.Object({
  transactionId: Type.Integer(),
  stationId: Type.String(),
  connectorId: Type.Integer(),
  circuitId: Nullable(Type.String()),
  idTag: Type.String(),
  priority: Type.Integer(),
  startedAt: DateTime,
  limitAmps: Type.Number({ description: 'What the station holds for the session (its TxProfile)' }),
  targetAmps: Type.Number({ description: 'What the rule gives now (differs from limitAmps within the hysteresis)' }),
  drawAmps: Nullable(Type.Number({ description: 'Measured now (Current.Import, or Power.Active.Import over voltage and phases)' })),
  capAmps: Nullable(Type.Number({ description: 'Set while the EV draws clearly less than it is given' })),
  waiting: Type.Boolean({ description: 'At 0 A: the minimum did not fit' }),
});
const WorstCase = Type.Object({ stationId: Type.String(), amps: Type.Number(), reason: Type.String({ description: 'offline or rejects_profiles' }) });
const Fallback = Type.Object({ stationId: Type.String(), amps: Type.Number(), heldAmps: Nullable(Type.Number()) });

const SiteLoad = Type.Object({
  siteId: Type.String(),
  at: DateTime,
  source: Type.String({ description: 'live: the current decision; history: the last recorded one (another node decides)' }),
  limitAmps: Type.Number(),
  buildingAmps: Type.Number(),
  buildingSource: Type.String(),
  allocatedAmps: Type.Number(),
  worstCaseAmps: Type.Number(),
  sessionsDrawAmps: Nullable(Type.Number()),
  totalDrawAmps: Nullable(Type.Number({ description: 'Building load plus what the sessions draw' })),
  sessions: Type.Array(SessionLoad),
  worstCase: Type.Array(WorstCase),
  fallback: Type.Array(Fallback),
  circuits: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), limitAmps: Type.Number(), allocatedAmps: Type.Number() })),
});

const Snapshot = Type.Object({
  at: DateTime,
  trigger: Type.String(),
  limitAmps: Type.Number(),
  buildingAmps: Type.Number(),
  allocatedAmps: Type.Number(),
  drawAmps: Nullable(Type.Number()),
  sessions: Type.Array(Type.Unknown()),
  worstCase: Type.Array(Type.Unknown()),
});

const CircuitJson = Type.Object({ id: Type.String(), siteId: Type.String(), name: Type.String(), limitAmps: Type.Number(), stationIds: Type.Array(Type.String()) });
const CircuitBody = Type.Object(
  { id: Type.Optional(Id), name: Type.String({ minLength: 1, maxLength: 200 }), limitAmps: Amps, stationIds: Type.Optional(Type.Array(Type.String(), { maxItems: 10_000 })) },
  { additionalProperties: false },
);
const CircuitPatch = Type.Partial(Type.Omit(CircuitBody, ['id']), { additionalProperties: false });

const sum = (values: number[]) => Math.round(values.reduce((total, value) => total + value, 0) * 10) / 10;
const circuitJson = (circuit: Circuit) => ({ id: circuit.id, siteId: circuit.siteId, name: circuit.name, limitAmps: circuit.limitAmps, stationIds: circuit.stationIds });

export async function loadRoutes(app: ApiApp, deps: ApiDeps, load: LoadManager): Promise<void> {
  const { db, events, clock } = deps.services;

  async function site(id: string) {
    const row = await getSite(db, id);
    if (!row) throw notFound(`No site "${id}"`);
    return row;
  }

  app.get('/sites/:id/load', { schema: { tags: ['load'], summary: "A site's limit, building load, live draw and each session's allocation", params: SiteParams, response: { 200: SiteLoad } } }, async (request) => {
    await site(request.params.id);
    const live = load.view(request.params.id);
    if (!live) {
      const last = await latestSnapshot(db, request.params.id);
      if (!last) throw notFound(`Site "${request.params.id}" has no allocation yet (does it have a grid limit?)`);
      return {
        siteId: last.siteId,
        at: last.at.toISOString(),
        source: 'history',
        limitAmps: last.limitAmps,
        buildingAmps: last.buildingAmps,
        buildingSource: 'recorded',
        allocatedAmps: last.allocatedAmps,
        worstCaseAmps: sum(last.worstCase.map((entry) => entry.amps)),
        sessionsDrawAmps: last.drawAmps,
        totalDrawAmps: last.drawAmps === null ? null : last.drawAmps + last.buildingAmps,
        sessions: [],
        worstCase: last.worstCase,
        fallback: [],
        circuits: [],
      };
    }
    const { plan, drawOf } = live;
    const sessions = plan.sessions.map((session) => ({
      transactionId: session.transactionId,
      stationId: session.stationId,
      connectorId: session.connectorId,
      circuitId: session.circuitId,
      idTag: session.idTag,
      priority: session.priority,
      startedAt: session.startedAt.toISOString(),
      limitAmps: session.limitA,
      targetAmps: session.targetA,
      drawAmps: drawOf(session.transactionId),
      capAmps: session.capA,
      waiting: session.limitA === 0,
    }));
    const draws = sessions.map((session) => session.drawAmps).filter((draw): draw is number => draw !== null);
    const sessionsDraw = draws.length > 0 ? sum(draws) : null;
    return {
      siteId: plan.siteId,
      at: plan.at.toISOString(),
      source: 'live',
      limitAmps: plan.limitA,
      buildingAmps: plan.buildingA,
      buildingSource: plan.buildingSource,
      allocatedAmps: sum(sessions.map((session) => session.limitAmps)),
      worstCaseAmps: sum(plan.worstCase.map((entry) => entry.amps)),
      sessionsDrawAmps: sessionsDraw,
      totalDrawAmps: sessionsDraw === null ? null : sum([sessionsDraw, plan.buildingA]),
      sessions,
      worstCase: plan.worstCase,
      fallback: plan.stations
        .filter((station) => station.online && !station.rejectsProfiles)
        .map((station) => ({ stationId: station.stationId, amps: station.fallbackA, heldAmps: station.fallbackHeldA })),
      circuits: plan.circuits.map((circuit) => ({
        id: circuit.id,
        name: circuit.name,
        limitAmps: circuit.limitA,
        allocatedAmps: sum(sessions.filter((session) => session.circuitId === circuit.id).map((session) => session.limitAmps)),
      })),
    };
  });

  app.get(
    '/sites/:id/load/history',
    {
      schema: {
        tags: ['load'],
        summary: "A site's allocation decisions between from and to (default: the last 24 hours), oldest first",
        params: SiteParams,
        querystring: Type.Object({ from: Type.Optional(DateTime), to: Type.Optional(DateTime), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }),
        response: { 200: Type.Array(Snapshot) },
      },
    },
    async (request) => {
      await site(request.params.id);
      const to = request.query.to ? new Date(request.query.to) : clock.now();
      const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 86_400_000);
      if (from > to) throw badRequest('from must not be after to', { field: '/from' });
      const rows = await snapshotsBetween(db, request.params.id, from, to, request.query.limit ?? 1000);
      return rows.map((row) => ({
        at: row.at.toISOString(),
        trigger: row.trigger,
        limitAmps: row.limitAmps,
        buildingAmps: row.buildingAmps,
        allocatedAmps: row.allocatedAmps,
        drawAmps: row.drawAmps,
        sessions: row.sessions,
        worstCase: row.worstCase,
      }));
    },
  );

  const BuildingLoad = Type.Object({ amps: Amps, reportedAt: DateTime });
  app.put(
    '/sites/:id/building-load',
    {
      schema: {
        tags: ['load'],
        summary: "Report the building's own load now (amps per phase); stale reports fall back to the site's worst case",
        params: SiteParams,
        body: Type.Object({ amps: Amps }, { additionalProperties: false }),
        response: { 200: BuildingLoad },
      },
    },
    async (request) => {
      await site(request.params.id);
      const at = clock.now();
      await reportBuildingLoad(db, request.params.id, request.body.amps, at);
      load.request(request.params.id, 'building-load', 0);
      return { amps: request.body.amps, reportedAt: at.toISOString() };
    },
  );
  app.get('/sites/:id/building-load', { schema: { tags: ['load'], summary: 'The last building-load report', params: SiteParams, response: { 200: BuildingLoad } } }, async (request) => {
    await site(request.params.id);
    const report = await buildingReport(db, request.params.id);
    if (!report) throw notFound(`Site "${request.params.id}" has no building-load report`);
    return { amps: report.amps, reportedAt: report.reportedAt.toISOString() };
  });

  // ---- circuits ---------------------------------------------------------------------------------

  /**
   * Stations must be the site's (and so its tenant's: another tenant's station is named like any
   * station that is not on the site), and on no other circuit.
   */
  async function checkMembers(siteId: string, tenantId: number, circuitId: string, stationIds: string[] | undefined): Promise<void> {
    if (!stationIds) return;
    const ofSite = new Set((await listStations(db, { tenantId, siteId })).map((station) => station.id));
    const strangers = stationIds.filter((stationId) => !ofSite.has(stationId));
    if (strangers.length > 0) throw badRequest(`Not stations of site "${siteId}": ${strangers.join(', ')}`, { field: '/stationIds' });
    const elsewhere = [...(await circuitMemberships(db, stationIds))].filter(([, circuit]) => circuit !== circuitId);
    if (elsewhere.length > 0) {
      throw conflict(`A station belongs to at most one circuit: ${elsewhere.map(([stationId, circuit]) => `${stationId} is on ${circuit}`).join(', ')}`);
    }
  }

  const CircuitParams = Type.Object({ id: Type.String(), circuitId: Type.String() });
  app.get('/sites/:id/circuits', { schema: { tags: ['load'], summary: "A site's sub-circuits", params: SiteParams, response: { 200: Type.Array(CircuitJson) } } }, async (request) => {
    await site(request.params.id);
    return (await circuitsOf(db, request.params.id)).map(circuitJson);
  });

  app.post(
    '/sites/:id/circuits',
    { schema: { tags: ['load'], summary: 'Add a sub-circuit: a feeder inside the site with its own limit (amps per phase)', params: SiteParams, body: CircuitBody, response: { 201: CircuitJson } } },
    async (request, reply) => {
      const siteId = request.params.id;
      await site(siteId);
      const id = request.body.id ?? `circuit-${randomBytes(5).toString('hex')}`;
      // Ids are unique across sites: saving over another site's circuit would move its name, limit and stations.
      if (await circuitIdTaken(db, id)) throw conflict(`Circuit "${id}" already exists`);
      await checkMembers(siteId, tenantOf(request), id, request.body.stationIds);
      try {
        await saveCircuit(db, { id, siteId, name: request.body.name, limitAmps: request.body.limitAmps }, request.body.stationIds ?? []);
      } catch {
        throw conflict(`Circuit "${id}" already exists`);
      }
      events.emit('site.changed', { siteId });
      return reply.code(201).send(circuitJson((await circuitsOf(db, siteId)).find((circuit) => circuit.id === id)!));
    },
  );

  app.patch(
    '/sites/:id/circuits/:circuitId',
    { schema: { tags: ['load'], summary: 'Change a sub-circuit (stationIds replaces its stations)', params: CircuitParams, body: CircuitPatch, response: { 200: CircuitJson } } },
    async (request) => {
      const { id: siteId, circuitId } = request.params;
      const existing = (await circuitsOf(db, siteId)).find((circuit) => circuit.id === circuitId);
      if (!existing) throw notFound(`No circuit "${circuitId}" in site "${siteId}"`);
      await checkMembers(siteId, tenantOf(request), circuitId, request.body.stationIds);
      await saveCircuit(
        db,
        { id: circuitId, siteId, name: request.body.name ?? existing.name, limitAmps: request.body.limitAmps ?? existing.limitAmps },
        request.body.stationIds,
      );
      events.emit('site.changed', { siteId });
      return circuitJson((await circuitsOf(db, siteId)).find((circuit) => circuit.id === circuitId)!);
    },
  );

  app.delete('/sites/:id/circuits/:circuitId', { schema: { tags: ['load'], summary: 'Remove a sub-circuit', params: CircuitParams } }, async (request, reply) => {
    if (!(await deleteCircuit(db, request.params.id, request.params.circuitId))) throw notFound(`No circuit "${request.params.circuitId}" in site "${request.params.id}"`);
    events.emit('site.changed', { siteId: request.params.id });
    return reply.code(204).send();
  });

  // ---- a station's max current --------------------------------------------------------------------

  const StationLoad = Type.Object({
    stationId: Type.String(),
    maxCurrentAmps: Nullable(Type.Number({ description: 'Per connector; null: LOAD_DEFAULT_CONNECTOR_MAX_AMPS' })),
    profilesRejectedAt: Nullable(DateTime),
    rejectedProfile: Nullable(Type.String()),
    fallbackAmps: Nullable(Type.Number()),
    fallbackSentAt: Nullable(DateTime),
  });
  const stationLoadJson = (stationId: string, row: LoadStationRow | undefined) => ({
    stationId,
    maxCurrentAmps: row?.maxCurrentAmps ?? null,
    profilesRejectedAt: iso(row?.profilesRejectedAt ?? null),
    rejectedProfile: row?.rejectedProfile ?? null,
    fallbackAmps: row?.fallbackAmps ?? null,
    fallbackSentAt: iso(row?.fallbackSentAt ?? null),
  });
  const StationParams = Type.Object({ id: Type.String() });

  app.get('/stations/:id/load-settings', { schema: { tags: ['load'], summary: "A station's load-management settings and state", params: StationParams, response: { 200: StationLoad } } }, async (request) => {
    if (!(await getStation(db, request.params.id))) throw notFound(`No station "${request.params.id}"`);
    return stationLoadJson(request.params.id, (await loadStationRows(db, [request.params.id])).get(request.params.id));
  });

  app.put(
    '/stations/:id/load-settings',
    {
      schema: {
        tags: ['load'],
        summary: "Set a station's max current per connector (its worst case when it is offline or ignores profiles)",
        params: StationParams,
        body: Type.Object({ maxCurrentAmps: Nullable(Type.Number({ minimum: 6, maximum: 1000 })) }, { additionalProperties: false }),
        response: { 200: StationLoad },
      },
    },
    async (request) => {
      const station = await getStation(db, request.params.id);
      if (!station) throw notFound(`No station "${request.params.id}"`);
      const row = await updateLoadStation(db, station.id, { maxCurrentAmps: request.body.maxCurrentAmps });
      if (station.siteId) events.emit('site.changed', { siteId: station.siteId });
      return stationLoadJson(station.id, row);
    },
  );

  // ---- priorities per token group -----------------------------------------------------------------

  const Priority = Type.Object({ idTag: Type.String(), priority: Type.Integer() });
  app.get(
    '/load-priorities',
    { schema: { tags: ['load'], summary: 'Charging priorities per token group (a parent id tag) or tag; higher is served first', response: { 200: Type.Array(Priority) } } },
    async (request) => (await listPriorities(db, tenantOf(request))).map((row) => ({ idTag: row.idTag, priority: row.priority })),
  );

  /** A priority may concern sessions on any of the tenant's sites (and only those): each plans again. */
  const resiteAll = async (tenantId: number) => {
    for (const { id } of await listSites(db, tenantId)) events.emit('site.changed', { siteId: id });
  };

  app.put(
    '/load-priorities/:idTag',
    {
      schema: {
        tags: ['load'],
        summary: "Set the priority of a token group's sessions (the group's parent id tag), or of one tag",
        params: Type.Object({ idTag: Type.String({ minLength: 1, maxLength: 20 }) }),
        body: Type.Object({ priority: Type.Integer({ minimum: -1000, maximum: 1000 }) }, { additionalProperties: false }),
        response: { 200: Priority },
      },
    },
    async (request) => {
      await setPriority(db, tenantOf(request), request.params.idTag, request.body.priority);
      await resiteAll(tenantOf(request));
      return { idTag: request.params.idTag, priority: request.body.priority };
    },
  );

  app.delete('/load-priorities/:idTag', { schema: { tags: ['load'], summary: 'Remove a priority', params: Type.Object({ idTag: Type.String() }) } }, async (request, reply) => {
    if (!(await deletePriority(db, tenantOf(request), request.params.idTag))) throw notFound(`No priority for "${request.params.idTag}"`);
    await resiteAll(tenantOf(request));
    return reply.code(204).send();
  });
}

// /api/v1/stations: the list of every station of every brand, pre-registration, approval of
// pending stations, and what each station reported about itself.

import { Type, type Static } from 'typebox';
import { IANAZone } from 'luxon';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { badRequest, conflict, notFound } from '../../api/problem.js';
import { requireRole } from '../../api/access.js';
import { hashPassword } from '../security/passwords.js';
import { profileChangeProblem } from '../security/security-profile.js';
import { SECURITY_PROFILES, type SecurityProfile } from '../security/station-admission.js';
import { sendCommand } from '../commands/send-command.js';
import { maintenanceOf } from '../diagnostics/maintenance-store.js';
import { getSite } from '../sites/site-store.js';
import { leaveCircuits } from '../load-management/load-store.js';
import { checkTariffReference } from '../billing/tariff-reference.js';
import {
  connectorsOf,
  createStation,
  getStation,
  listStations,
  stationEventsOf,
  updateStation,
  type ConnectorRow,
  type StationChanges,
  type StationRow,
} from './station-store.js';
import { REGISTRATIONS, type Registration } from './tables.js';
import { tenantOf } from '../../api/tenant-scope.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

const Connector = Type.Object({
  connectorId: Type.Integer(),
  status: Type.String(),
  errorCode: Type.String(),
  info: Nullable(Type.String()),
  vendorId: Nullable(Type.String()),
  vendorErrorCode: Type.Union([Type.String(), Type.Null()]),
  statusAt: DateTime,
});

const Station = Type.Object({
  id: Type.String(),
  registration: Type.Enum(REGISTRATIONS),
  online: Type.Boolean(),
  lastSeenAt: Nullable(DateTime),
  lastBootAt: Nullable(DateTime),
  vendor: Nullable(Type.String()),
  model: Nullable(Type.String()),
  serialNumber: Nullable(Type.String()),
  chargeBoxSerialNumber: Nullable(Type.String()),
  firmwareVersion: Nullable(Type.String()),
  iccid: Nullable(Type.String()),
  imsi: Nullable(Type.String()),
  meterType: Nullable(Type.String()),
  meterSerialNumber: Nullable(Type.String()),
  siteId: Nullable(Type.String()),
  tariffId: Nullable(Type.String()),
  timeZone: Nullable(Type.String()),
  hasPassword: Type.Boolean(),
  securityProfile: Type.Integer({ minimum: 0, maximum: 3 }),
  quirkProfile: Type.String(),
  connectors: Type.Array(Connector),
  createdAt: DateTime,
});

const StationDetail = Type.Intersect([
  Station,
  Type.Object({
    maintenance: Type.Object({
      diagnosticsStatus: Nullable(Type.String()),
      diagnosticsStatusAt: Nullable(DateTime),
      firmwareStatus: Nullable(Type.String()),
      firmwareStatusAt: Nullable(DateTime),
      logStatus: Nullable(Type.String()),
      logStatusAt: Nullable(DateTime),
    }),
  }),
]);

const StationId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const StationIdPattern = '^[^\\u0000-\\u001f\\u007f/]+$';
const ZoneName = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' });
const Password = Type.String({ minLength: 8, maxLength: 40, description: 'Basic-auth password of the station (OCPP security profile 1)' });

const CreateStation = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: StationIdPattern }),
    password: Type.Optional(Password),
    siteId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    tariffId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    timeZone: Type.Optional(ZoneName),
    registration: Type.Optional(Type.Enum(REGISTRATIONS, { default: 'accepted' })),
  },
  { additionalProperties: false },
);
const PatchStation = Type.Object(
  {
    password: Type.Optional(Nullable(Password)),
    siteId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    tariffId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'Tariff of sessions here unless their token group has one' }))),
    timeZone: Type.Optional(Nullable(ZoneName)),
    securityProfile: Type.Optional(
      Type.Union(SECURITY_PROFILES.map((profile) => Type.Literal(profile)), {
        description: 'OCPP security profile the station must connect with (0-3); lowering it needs allowDowngrade',
      }),
    ),
    allowDowngrade: Type.Optional(Type.Boolean({ description: 'Confirms a lower securityProfile than the current one' })),
  },
  { additionalProperties: false },
);

const iso = (at: Date | null) => (at ? at.toISOString() : null);

function checkZone(zone: string | null | undefined): void {
  if (zone && !IANAZone.isValidZone(zone)) throw badRequest(`timeZone "${zone}" is not an IANA time zone (e.g. Europe/Berlin)`, { field: '/timeZone' });
}

export async function stationRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, events, log } = deps.services;

  /** A siteId in a body must be one of the caller's sites: another tenant's is refused like a missing one. */
  async function checkSite(tenantId: number, siteId: string | null | undefined): Promise<void> {
    if (!siteId) return;
    const site = await getSite(db, siteId);
    if (!site || site.tenantId !== tenantId) throw badRequest(`siteId "${siteId}" is not a site: create it with POST /api/v1/sites first`, { field: '/siteId' });
  }

  const connectorJson = (row: ConnectorRow) => ({
    connectorId: row.connectorId,
    status: row.status,
    errorCode: row.errorCode,
    info: row.info,
    vendorId: row.vendorId,
    vendorErrorCode: row.vendorErrorCode,
    statusAt: row.statusAt.toISOString(),
  });

  function stationJson(row: StationRow, connectors: ConnectorRow[]): Static<typeof Station> {
    const live = deps.registry.get(row.id);
    const online = deps.caller.isOnline(row.id);
    const liveSeen = online && live ? live.connection.lastSeenAt : null;
    const lastSeen = liveSeen && (!row.lastSeenAt || liveSeen > row.lastSeenAt) ? liveSeen : row.lastSeenAt;
    return {
      id: row.id,
      registration: row.registration,
      online,
      lastSeenAt: iso(lastSeen),
      lastBootAt: iso(row.lastBootAt),
      vendor: row.vendor,
      model: row.model,
      serialNumber: row.serialNumber,
      chargeBoxSerialNumber: row.chargeBoxSerialNumber,
      firmwareVersion: row.firmwareVersion,
      iccid: row.iccid,
      imsi: row.imsi,
      meterType: row.meterType,
      meterSerialNumber: row.meterSerialNumber,
      siteId: row.siteId,
      tariffId: row.tariffId,
      timeZone: row.timeZone,
      hasPassword: row.passwordHash !== null,
      securityProfile: row.securityProfile,
      quirkProfile: live?.session?.profile.name ?? 'default',
      connectors: connectors.filter((connector) => connector.stationId === row.id).map(connectorJson),
      createdAt: row.createdAt.toISOString(),
    };
  }

  async function stationDetail(row: StationRow): Promise<Static<typeof StationDetail>> {
    const [connectors, maintenance] = await Promise.all([connectorsOf(db, [row.id]), maintenanceOf(db, row.id)]);
    return {
      ...stationJson(row, connectors),
      maintenance: {
        diagnosticsStatus: maintenance?.diagnosticsStatus ?? null,
        diagnosticsStatusAt: iso(maintenance?.diagnosticsStatusAt ?? null),
        firmwareStatus: maintenance?.firmwareStatus ?? null,
        firmwareStatusAt: iso(maintenance?.firmwareStatusAt ?? null),
        logStatus: maintenance?.logStatus ?? null,
        logStatusAt: iso(maintenance?.logStatusAt ?? null),
      },
    };
  }

  async function existing(id: string): Promise<StationRow> {
    const row = await getStation(db, id);
    if (!row) throw notFound(`No station "${id}"`);
    return row;
  }

  async function changeRegistration(id: string, registration: Registration, requestedBy: string) {
    const before = await existing(id);
    const row = (await updateStation(db, id, { registration }))!;
    events.emit('station.updated', { stationId: id });
    // A pending station that is online learns of its acceptance at once by booting again.
    if (registration === 'accepted' && before.registration !== 'accepted' && deps.caller.isOnline(id)) {
      sendCommand(deps.commands, id, 'TriggerMessage', { requestedMessage: 'BootNotification' }, { requestedBy })
        .catch((error: unknown) => log.info({ err: error, stationId: id }, 'TriggerMessage BootNotification after acceptance failed; the station will boot again on its own'));
    }
    return stationDetail(row);
  }

  app.get(
    '/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'All stations, of every brand',
        querystring: Type.Object({
          registration: Type.Optional(Type.Enum(REGISTRATIONS)),
          siteId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          online: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Type.Array(Station) },
      },
    },
    async (request) => {
      const rows = await listStations(db, { tenantId: tenantOf(request), registration: request.query.registration, siteId: request.query.siteId });
      const connectors = await connectorsOf(db, rows.map((row) => row.id));
      const stations = rows.map((row) => stationJson(row, connectors));
      return request.query.online === undefined ? stations : stations.filter((station) => station.online === request.query.online);
    },
  );

  app.get(
    '/stations/:id',
    { schema: { tags: ['stations'], summary: 'One station with its connectors', params: StationId, response: { 200: StationDetail } } },
    async (request) => stationDetail(await existing(request.params.id)),
  );

  app.post(
    '/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'Pre-register a station (accepted unless told otherwise)',
        body: CreateStation,
        response: { 201: StationDetail },
      },
    },
    async (request, reply) => {
      const body = request.body;
      checkZone(body.timeZone);
      if (body.password !== undefined) requireRole(request, 'admin', 'set a station password');
      await checkSite(tenantOf(request), body.siteId);
      await checkTariffReference(db, tenantOf(request), body.tariffId);
      const row = await createStation(db, {
        id: body.id,
        tenantId: tenantOf(request),
        registration: body.registration ?? 'accepted',
        passwordHash: body.password ? await hashPassword(body.password) : null,
        siteId: body.siteId ?? null,
        tariffId: body.tariffId ?? null,
        timeZone: body.timeZone ?? null,
      });
      if (!row) throw conflict(`Station "${body.id}" already exists`);
      events.emit('station.updated', { stationId: row.id });
      return reply.code(201).send(await stationDetail(row));
    },
  );

  app.patch(
    '/stations/:id',
    {
      schema: { tags: ['stations'], summary: 'Change a station', params: StationId, body: PatchStation, response: { 200: StationDetail } },
    },
    async (request) => {
      const body = request.body;
      const current = await existing(request.params.id);
      checkZone(body.timeZone);
      if (body.password !== undefined || body.securityProfile !== undefined) requireRole(request, 'admin', "change a station's password or security profile");
      await checkSite(tenantOf(request), body.siteId);
      await checkTariffReference(db, tenantOf(request), body.tariffId);
      const changes: StationChanges = {};
      if (body.siteId !== undefined) changes.siteId = body.siteId;
      if (body.tariffId !== undefined) changes.tariffId = body.tariffId;
      if (body.timeZone !== undefined) changes.timeZone = body.timeZone;
      if (body.password !== undefined) {
        changes.passwordHash = body.password === null ? null : await hashPassword(body.password);
        await deps.security.passwords.forgetPrevious(current.id);
      }
      const profile = (body.securityProfile ?? current.securityProfile) as SecurityProfile;
      if (body.securityProfile !== undefined || (body.password === null && profile > 0)) {
        const problem = profileChangeProblem(current, profile, changes.passwordHash !== undefined ? changes.passwordHash : current.passwordHash, body.allowDowngrade === true);
        if (problem) throw conflict(problem);
        changes.securityProfile = profile;
      }
      const row =
        Object.keys(changes).length === 0
          ? await existing(request.params.id)
          : await db.transaction(async (tx) => {
              // A station that leaves its site leaves the site's circuit too.
              if (changes.siteId !== undefined && changes.siteId !== current.siteId) await leaveCircuits(tx, current.id);
              return (await updateStation(tx, request.params.id, changes))!;
            });
      events.emit('station.updated', { stationId: row.id });
      return stationDetail(row);
    },
  );

  for (const [verb, registration] of [
    ['accept', 'accepted'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `/stations/:id/${verb}`,
      {
        schema: {
          tags: ['stations'],
          summary: verb === 'accept' ? 'Accept a (pending) station' : 'Reject a station',
          params: StationId,
          response: { 200: StationDetail },
        },
      },
      async (request) => changeRegistration(request.params.id, registration, request.principal?.name ?? 'api'),
    );
  }

  app.get(
    '/stations/:id/events',
    {
      schema: {
        tags: ['stations'],
        summary: 'What the station reported about itself (boots, data transfers, firmware and diagnostics status), newest first',
        params: StationId,
        querystring: Type.Object({ kind: Type.Optional(Type.String()), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: {
          200: Type.Array(
            Type.Object({ id: Type.Integer(), kind: Type.String(), payload: Type.Unknown(), timestamp: Nullable(DateTime), receivedAt: DateTime }),
          ),
        },
      },
    },
    async (request) => {
      await existing(request.params.id);
      const rows = await stationEventsOf(db, request.params.id, { kind: request.query.kind, limit: request.query.limit });
      return rows.map((row) => ({ id: row.id, kind: row.kind, payload: row.payload, timestamp: iso(row.timestamp), receivedAt: row.receivedAt.toISOString() }));
    },
  );
}

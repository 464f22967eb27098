// Reservations: POST /api/v1/stations/{id}/reservations reserves a connector (0: the whole
// station) for an idTag until an expiry; GET /api/v1/reservations[/{id}] lists and shows them;
// DELETE /api/v1/reservations/{id} cancels an active one at the station.

import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { badRequest, conflict, notFound } from '../../api/problem.js';
import { commandProblem } from '../commands/api.js';
import { getStation } from '../stations/station-store.js';
import { cancel, reserve, ReservationStateError } from './reservation-service.js';
import { getReservation, listReservations, type ReservationRow } from './reservation-store.js';
import { RESERVATION_STATUSES } from './tables.js';
import { tenantOf } from '../../api/tenant-scope.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const IdTag = Type.String({ minLength: 1, maxLength: 20 });

const Reservation = Type.Object({
  id: Type.Integer({ description: 'The OCPP reservationId' }),
  stationId: Type.String(),
  connectorId: Type.Integer(),
  idTag: Type.String(),
  parentIdTag: Nullable(Type.String()),
  expiryDate: DateTime,
  status: Type.Enum(RESERVATION_STATUSES),
  stationStatus: Nullable(Type.String()),
  detail: Nullable(Type.String()),
  transactionId: Nullable(Type.Integer()),
  requestedBy: Type.String(),
  createdAt: DateTime,
  endedAt: Nullable(DateTime),
});

const CreateReservation = Type.Object(
  {
    connectorId: Type.Integer({ minimum: 0, description: '0 reserves the whole station (any connector)' }),
    idTag: IdTag,
    expiryDate: DateTime,
    parentIdTag: Type.Optional(IdTag),
  },
  { additionalProperties: false },
);

function reservationJson(row: ReservationRow): Static<typeof Reservation> {
  return {
    id: row.id,
    stationId: row.stationId,
    connectorId: row.connectorId,
    idTag: row.idTag,
    parentIdTag: row.parentIdTag,
    expiryDate: row.expiryDate.toISOString(),
    status: row.status,
    stationStatus: row.stationStatus,
    detail: row.detail,
    transactionId: row.transactionId,
    requestedBy: row.requestedBy,
    createdAt: row.createdAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}

export async function reservationRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps.services;

  async function existing(id: number): Promise<ReservationRow> {
    const row = await getReservation(db, id);
    if (!row) throw notFound(`No reservation ${id}`);
    return row;
  }

  app.post(
    '/stations/:id/reservations',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Reserve a connector (or the whole station) for an idTag until expiryDate (ReserveNow)',
        description: 'Answers 201 with the reservation: active when the station accepted it, refused (with its answer) otherwise.',
        params: Type.Object({ id: Type.String() }),
        body: CreateReservation,
        response: { 201: Reservation },
      },
    },
    async (request, reply) => {
      const stationId = request.params.id;
      const body = request.body;
      if (!(await getStation(db, stationId))) throw notFound(`No station "${stationId}"`);
      const expiryDate = new Date(body.expiryDate);
      if (expiryDate <= clock.now()) throw badRequest(`expiryDate ${body.expiryDate} is not in the future`, { field: '/expiryDate' });
      if (!deps.caller.isOnline(stationId)) throw conflict(`Station "${stationId}" is not connected`);
      try {
        const row = await reserve(deps.commands, {
          stationId,
          connectorId: body.connectorId,
          idTag: body.idTag,
          parentIdTag: body.parentIdTag ?? null,
          expiryDate,
          requestedBy: request.principal?.name ?? 'api',
        });
        return reply.code(201).send(reservationJson(row));
      } catch (error) {
        throw commandProblem(error, stationId, 'ReserveNow') ?? error;
      }
    },
  );

  app.get(
    '/reservations',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Reservations, newest first',
        querystring: Type.Object({
          stationId: Type.Optional(Type.String()),
          status: Type.Optional(Type.Enum(RESERVATION_STATUSES)),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: Type.Array(Reservation) },
      },
    },
    async (request) => (await listReservations(db, tenantOf(request), request.query)).map(reservationJson),
  );

  const ReservationId = Type.Object({ id: Type.Integer({ minimum: 1 }) });

  app.get(
    '/reservations/:id',
    { schema: { tags: ['reservations'], summary: 'One reservation', params: ReservationId, response: { 200: Reservation } } },
    async (request) => reservationJson(await existing(request.params.id)),
  );

  app.delete(
    '/reservations/:id',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Cancel an active reservation at the station (CancelReservation)',
        params: ReservationId,
        response: { 200: Reservation },
      },
    },
    async (request) => {
      const row = await existing(request.params.id);
      try {
        return reservationJson(await cancel(deps.commands, row, request.principal?.name ?? 'api'));
      } catch (error) {
        if (error instanceof ReservationStateError) throw conflict(error.message);
        throw commandProblem(error, row.stationId, 'CancelReservation') ?? error;
      }
    },
  );
}

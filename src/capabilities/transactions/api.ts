// /api/v1/sessions: charging sessions (OCPP transactions) with their energy and meter values,
// and the stops that matched no session.

import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { notFound } from '../../api/problem.js';
import { tenantOf } from '../../api/tenant-scope.js';
import { getTransaction, listOrphanStops, listTransactions, meterValuesOf, type TransactionRow } from './transaction-store.js';

const DateTime = Type.String({ format: 'date-time' });
const NullableDate = Type.Union([DateTime, Type.Null()]);
const NullableText = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

const Session = Type.Object({
  id: Type.Integer({ description: 'The OCPP transactionId' }),
  stationId: Type.String(),
  connectorId: Type.Integer(),
  idTag: Type.String(),
  idTagStatus: Type.String({ description: 'The idTagInfo.status answered to StartTransaction' }),
  reservationId: Type.Union([Type.Integer(), Type.Null()]),
  startedAt: DateTime,
  stoppedAt: NullableDate,
  meterStartWh: Type.Number(),
  meterStopWh: NullableNumber,
  energyWh: NullableNumber,
  stopReason: NullableText,
  stopIdTag: NullableText,
  stoppedBy: NullableText,
  active: Type.Boolean(),
  flags: Type.Array(Type.String()),
  startedAtRaw: NullableText,
  stoppedAtRaw: NullableText,
  startReceivedAt: DateTime,
  stopReceivedAt: NullableDate,
  cost: Type.Optional(
    Type.Object({
      currency: Type.String(),
      total: Type.Number({ description: 'Including tax, in decimal currency units' }),
      totalExclTax: Type.Number(),
      items: Type.Array(
        Type.Object({
          type: Type.String({ description: 'The OCPI price component: ENERGY, TIME, PARKING_TIME or FLAT' }),
          quantity: Type.Number(),
          unit: Type.String(),
          unitPrice: Type.Number(),
          vatPercent: NullableNumber,
          totalExclTax: Type.Number(),
          total: Type.Number(),
          elementIndex: Type.Optional(Type.Integer({ description: 'The tariff element whose component priced it' })),
        }),
      ),
      tariffId: NullableText,
      tariffVersion: Type.Union([Type.Integer(), Type.Null()]),
      internal: Type.Boolean(),
      ratedAt: DateTime,
      priceLimit: Type.Optional(Type.Union([Type.Literal('min_price'), Type.Literal('max_price'), Type.Null()], { description: 'Which limit replaced the sum of the items' })),
      energyWh: Type.Optional(Type.Number()),
      chargingSeconds: Type.Optional(Type.Number({ description: 'Time charging, priced by TIME' })),
      idleSeconds: Type.Optional(Type.Number({ description: 'Time plugged in but not charging, priced by PARKING_TIME' })),
    }),
  ),
});

const MeterValue = Type.Object({
  sampledAt: DateTime,
  connectorId: Type.Integer(),
  measurand: Type.String(),
  phase: NullableText,
  location: NullableText,
  context: NullableText,
  value: NullableNumber,
  unit: Type.String(),
  rawValue: Type.String(),
  rawUnit: NullableText,
  source: Type.String(),
});

const iso = (at: Date | null) => (at ? at.toISOString() : null);

function json(row: TransactionRow): Static<typeof Session> {
  return {
    id: row.id,
    stationId: row.stationId,
    connectorId: row.connectorId,
    idTag: row.idTag,
    idTagStatus: row.idTagStatus,
    reservationId: row.reservationId,
    startedAt: row.startedAt.toISOString(),
    stoppedAt: iso(row.stoppedAt),
    meterStartWh: row.meterStartWh,
    meterStopWh: row.meterStopWh,
    energyWh: row.energyWh,
    stopReason: row.stopReason,
    stopIdTag: row.stopIdTag,
    stoppedBy: row.stoppedBy,
    active: row.stoppedAt === null,
    flags: row.flags,
    startedAtRaw: row.startedAtRaw,
    stoppedAtRaw: row.stoppedAtRaw,
    startReceivedAt: row.startReceivedAt.toISOString(),
    stopReceivedAt: iso(row.stopReceivedAt),
    ...(row.cost ? { cost: row.cost } : {}),
  };
}

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export async function sessionRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db } = deps.services;

  app.get(
    '/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Charging sessions, newest first',
        querystring: Type.Object({
          stationId: Type.Optional(Type.String()),
          idTag: Type.Optional(Type.String()),
          active: Type.Optional(Type.Boolean()),
          from: Type.Optional(DateTime),
          to: Type.Optional(DateTime),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Array(Session) },
      },
    },
    async (request) => {
      const query = request.query;
      // Another tenant's station in ?stationId= lists nothing, as a station that does not exist.
      const rows = await listTransactions(db, {
        tenantId: tenantOf(request),
        stationId: query.stationId,
        idTag: query.idTag,
        active: query.active,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        limit: query.limit,
        offset: query.offset,
      });
      return rows.map(json);
    },
  );

  app.get(
    '/sessions/:id',
    { schema: { tags: ['sessions'], summary: 'One session', params: Id, response: { 200: Session } } },
    async (request) => {
      const row = await getTransaction(db, request.params.id);
      if (!row) throw notFound(`No session ${request.params.id}`);
      return json(row);
    },
  );

  app.get(
    '/sessions/:id/meter-values',
    { schema: { tags: ['sessions'], summary: 'Every sampled value of a session, in time order', params: Id, response: { 200: Type.Array(MeterValue) } } },
    async (request) => {
      if (!(await getTransaction(db, request.params.id))) throw notFound(`No session ${request.params.id}`);
      const rows = await meterValuesOf(db, request.params.id);
      return rows.map((row) => ({
        sampledAt: row.sampledAt.toISOString(),
        connectorId: row.connectorId,
        measurand: row.measurand,
        phase: row.phase,
        location: row.location,
        context: row.context,
        value: row.value,
        unit: row.unit,
        rawValue: row.rawValue,
        rawUnit: row.rawUnit,
        source: row.source,
      }));
    },
  );

  app.get(
    '/orphan-stops',
    {
      schema: {
        tags: ['sessions'],
        summary: 'StopTransactions whose transactionId matched no session (linked to one when it could be found)',
        querystring: Type.Object({ stationId: Type.Optional(Type.String()) }),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              stationId: Type.String(),
              reportedTransactionId: Type.Integer(),
              idTag: NullableText,
              meterStopWh: Type.Number(),
              stoppedAt: DateTime,
              reason: NullableText,
              receivedAt: DateTime,
              linkedSessionId: Type.Union([Type.Integer(), Type.Null()]),
            }),
          ),
        },
      },
    },
    async (request) =>
      (await listOrphanStops(db, tenantOf(request), request.query.stationId)).map((row) => ({
        id: row.id,
        stationId: row.stationId,
        reportedTransactionId: row.reportedTransactionId,
        idTag: row.idTag,
        meterStopWh: row.meterStopWh,
        stoppedAt: row.stoppedAt.toISOString(),
        reason: row.reason,
        receivedAt: row.receivedAt.toISOString(),
        linkedSessionId: row.linkedTransactionId,
      })),
  );
}

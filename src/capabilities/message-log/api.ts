// GET /api/v1/stations/{id}/messages: the raw OCPP message log, newest first.

import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { notFound } from '../../api/problem.js';
import { getStation } from '../stations/station-store.js';
import { queryMessages } from './message-log.js';

const DateTime = Type.String({ format: 'date-time' });

export async function messageLogRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db } = deps.services;
  app.get(
    '/stations/:id/messages',
    {
      schema: {
        tags: ['stations'],
        summary: 'Every OCPP frame in and out of a station, newest first',
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          action: Type.Optional(Type.String()),
          from: Type.Optional(DateTime),
          to: Type.Optional(DateTime),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          before: Type.Optional(Type.Integer({ minimum: 1, description: 'Only frames with a smaller id (paging)' })),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              at: DateTime,
              direction: Type.String(),
              messageType: Type.Union([Type.String(), Type.Null()]),
              messageId: Type.Union([Type.String(), Type.Null()]),
              action: Type.Union([Type.String(), Type.Null()]),
              frame: Type.String(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await getStation(db, id))) throw notFound(`No station "${id}"`);
      await deps.messageLog.flush();
      const rows = await queryMessages(db, {
        stationId: id,
        action: request.query.action,
        from: request.query.from ? new Date(request.query.from) : undefined,
        to: request.query.to ? new Date(request.query.to) : undefined,
        limit: request.query.limit,
        before: request.query.before,
      });
      return rows.map((row) => ({
        id: row.id,
        at: row.at.toISOString(),
        direction: row.direction,
        messageType: row.messageType,
        messageId: row.messageId,
        action: row.action,
        frame: row.frame,
      }));
    },
  );
}

// GET /api/v1/overview: the figures on the dashboard's first page, in one request: stations
// online, offline, faulted and waiting for approval; sessions charging now with what each draws;
// power now; sessions and energy since a given instant (the browser's local midnight). All of
// them the caller's tenant's, read through the stations' and transactions' own functions.

import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../api/http-api.js';
import { connectorsOf, listStations } from '../capabilities/stations/station-store.js';
import { liveReadings } from '../capabilities/transactions/live-reading.js';
import { tenantOf } from '../api/tenant-scope.js';
import { sessionTotalsSince } from '../capabilities/transactions/totals.js';
import { listTransactions } from '../capabilities/transactions/transaction-store.js';

/** A session that has reported nothing for this long has no known power now. */
const LIVE_WINDOW_MS = 15 * 60_000;
/** Running sessions listed (and summed) at most; a larger fleet's total is marked partial. */
const MAX_RUNNING = 1000;

const Count = Type.Integer({ minimum: 0 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Overview = Type.Object({
  stations: Type.Object({
    total: Count,
    online: Count,
    offline: Count,
    faulted: Type.Integer({ minimum: 0, description: 'Stations with the station or a connector in status Faulted' }),
    pending: Type.Integer({ minimum: 0, description: 'Waiting for an operator to accept or reject them' }),
  }),
  connectors: Type.Record(Type.String(), Count, { description: 'Connectors (not connector 0) per last reported status' }),
  charging: Type.Array(
    Type.Object({
      sessionId: Type.Integer(),
      stationId: Type.String(),
      connectorId: Type.Integer(),
      idTag: Type.String(),
      startedAt: Type.String({ format: 'date-time' }),
      powerW: Nullable(Type.Number()),
      energyWh: Nullable(Type.Number({ description: 'So far, from the latest register reading' })),
      readingAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  chargingPartial: Type.Boolean({ description: `True when more than ${MAX_RUNNING} sessions run and only the newest are listed and summed` }),
  powerW: Type.Number({ description: 'Sum of the running sessions’ known power now' }),
  since: Type.String({ format: 'date-time' }),
  sessionsSince: Count,
  energySinceWh: Type.Number({ description: 'Energy of the sessions started since `since` (running ones so far)' }),
});

export async function overviewRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps.services;

  app.get(
    '/overview',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Station, session, power and energy figures for the dashboard',
        querystring: Type.Object({
          since: Type.Optional(Type.String({ format: 'date-time', description: 'Start of the period for sessionsSince and energySinceWh; default: 00:00 UTC today' })),
        }),
        response: { 200: Overview },
      },
    },
    async (request) => {
      const now = clock.now();
      const since = request.query.since ? new Date(request.query.since) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

      // Every figure is the caller's tenant's: its stations, and the sessions at them.
      const tenantId = tenantOf(request);
      const stations = await listStations(db, { tenantId });
      const connectors = await connectorsOf(db, stations.map((station) => station.id));
      const faultedIds = new Set(connectors.filter((connector) => connector.status === 'Faulted').map((connector) => connector.stationId));
      const online = stations.filter((station) => deps.caller.isOnline(station.id)).length;
      const byStatus: Record<string, number> = {};
      for (const connector of connectors) if (connector.connectorId > 0) byStatus[connector.status] = (byStatus[connector.status] ?? 0) + 1;

      const running = await listTransactions(db, { tenantId, active: true, limit: MAX_RUNNING + 1, offset: 0 });
      const listed = running.slice(0, MAX_RUNNING);
      const readings = await liveReadings(db, listed.map((session) => session.id), new Date(now.getTime() - LIVE_WINDOW_MS));
      const charging = listed.map((session) => {
        const reading = readings.get(session.id);
        return {
          sessionId: session.id,
          stationId: session.stationId,
          connectorId: session.connectorId,
          idTag: session.idTag,
          startedAt: session.startedAt.toISOString(),
          powerW: reading?.powerW ?? null,
          energyWh: reading?.registerWh != null ? Math.max(0, reading.registerWh - session.meterStartWh) : null,
          readingAt: reading ? reading.at.toISOString() : null,
        };
      });

      const totals = await sessionTotalsSince(db, tenantId, since);
      const runningEnergySince = charging
        .filter((session) => new Date(session.startedAt) >= since)
        .reduce((sum, session) => sum + (session.energyWh ?? 0), 0);

      return {
        stations: {
          total: stations.length,
          online,
          offline: stations.length - online,
          faulted: faultedIds.size,
          pending: stations.filter((station) => station.registration === 'pending').length,
        },
        connectors: byStatus,
        charging,
        chargingPartial: running.length > MAX_RUNNING,
        powerW: charging.reduce((sum, session) => sum + (session.powerW ?? 0), 0),
        since: since.toISOString(),
        sessionsSince: totals.started,
        energySinceWh: totals.stoppedEnergyWh + runningEnergySince,
      };
    },
  );
}

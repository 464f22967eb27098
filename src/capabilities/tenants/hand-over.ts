// Handing a station over to another organisation: POST /api/v1/stations/{id}/hand-over. A
// station that connects unannounced lands in the platform's tenant (pending, by default); the
// platform's admins then give it to the organisation that installed it. Only a station without
// commercial history changes hands: its sessions, reservations and invoices stay with whoever ran
// them, so a station that has any is refused. What the charger reported about itself (boots,
// configuration, message log, security events, certificates) goes along: it is the same charger.

import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { badRequest, conflict } from '../../api/problem.js';
import { requirePlatformTenant, tenantOf } from '../../api/tenant-scope.js';
import { markCacheClearPending } from '../authorization/local-list/local-list-store.js';
import { leaveCircuits } from '../load-management/load-store.js';
import { stationHasReservations } from '../reservations/reservation-store.js';
import { getStation, moveStationToTenant } from '../stations/station-store.js';
import { stationHasSessions } from '../transactions/transaction-store.js';
import { recordAudit } from '../security/audit-log.js';
import { getTenant } from './tenant-store.js';

const HandOver = Type.Object({ tenantId: Type.Integer({ minimum: 1, description: 'The organisation that takes the station' }) }, { additionalProperties: false });
const HandedOver = Type.Object({ stationId: Type.String(), tenantId: Type.Integer(), tenantName: Type.String() });

export async function handOverRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, events } = deps.services;

  app.post(
    '/stations/:id/hand-over',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['tenants'],
        summary: "Give a station to another organisation (the platform operator's admins; a station without sessions or reservations)",
        description:
          'The station leaves the platform and belongs to the organisation from then on: its id tags, tariffs, sites and invoices. ' +
          'It must be at no site and have no tariff of its own (they are not the new organisation’s). Its local list and ' +
          'authorization cache are replaced by the new organisation’s when it is online.',
        params: Type.Object({ id: Type.String() }),
        body: HandOver,
        response: { 200: HandedOver },
      },
    },
    async (request) => {
      requirePlatformTenant(request, 'hand stations over to other organisations');
      const from = tenantOf(request);
      const stationId = request.params.id;
      const to = await getTenant(db, request.body.tenantId);
      if (!to) throw badRequest(`No organisation ${request.body.tenantId}`, { field: '/tenantId' });
      if (to.id === from) throw badRequest(`Station "${stationId}" is already yours`, { field: '/tenantId' });

      const moved = await db.transaction(async (tx) => {
        const station = (await getStation(tx, stationId))!;
        if (station.siteId !== null) {
          throw conflict(`Station "${stationId}" is at site "${station.siteId}"; take it out first (PATCH /api/v1/stations/${stationId} {"siteId": null})`);
        }
        if (station.tariffId !== null) {
          throw conflict(`Station "${stationId}" has its own tariff "${station.tariffId}"; clear it first (PATCH /api/v1/stations/${stationId} {"tariffId": null})`);
        }
        if ((await stationHasSessions(tx, stationId)) || (await stationHasReservations(tx, stationId))) {
          throw conflict(`Station "${stationId}" has sessions or reservations, which stay with the organisation that ran them; only a station without any changes hands`);
        }
        const row = await moveStationToTenant(tx, stationId, from, to.id);
        if (!row) throw conflict(`Station "${stationId}" changed meanwhile; try again`);
        // Off any circuit of the old tenant's (left on one by an edit from before leaving a site did that).
        await leaveCircuits(tx, stationId);
        // Whatever the station cached or holds in its local list came from the platform's id tags.
        await markCacheClearPending(tx, [stationId]);
        // The platform's own audit log has the request; the receiving tenant's says who gave it the station.
        const principal = request.principal!;
        await recordAudit(tx, {
          tenantId: to.id,
          at: deps.services.clock.now(),
          actorKind: principal.kind,
          actor: `${(await getTenant(tx, from))!.name} (platform operator)`,
          role: principal.role,
          action: `POST ${request.routeOptions.url}`,
          target: stationId,
          params: { id: stationId },
          outcome: 200,
        });
        return row;
      });

      events.emit('station.handed-over', { stationId: moved.id, fromTenantId: from, toTenantId: to.id });
      events.emit('station.updated', { stationId: moved.id });
      return { stationId: moved.id, tenantId: to.id, tenantName: to.name };
    },
  );
}

// /api/v1/stations/{id}/local-list: what a station's local authorization list holds from us, how
// its last synchronisation went and what we know of its settings; POST .../sync asks for a
// synchronisation now (it also asks a station remembered as not supporting local lists again).

import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../../../api/http-api.js';
import { conflict, notFound } from '../../../api/problem.js';
import { getStation } from '../../stations/station-store.js';
import { stationAuthSettings } from '../station-settings.js';
import { ID_TAG_STATUSES, LOCAL_LIST_SYNC_STATUSES } from '../tables.js';
import { heldEntries, localListState } from './local-list-store.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const iso = (at: Date | null | undefined) => at?.toISOString() ?? null;

const LocalList = Type.Object({
  stationId: Type.String(),
  syncStatus: Nullable(Type.Enum(LOCAL_LIST_SYNC_STATUSES, { description: 'null: never synchronised' })),
  detail: Nullable(Type.String({ description: 'Why the last synchronisation failed or is not possible' })),
  version: Nullable(Type.Integer({ description: 'The list version the station last accepted from us' })),
  checkedAt: Nullable(DateTime),
  syncedAt: Nullable(DateTime),
  cacheClearPending: Type.Boolean({ description: 'A tag was revoked since the station last cleared its authorization cache' }),
  settings: Nullable(
    Type.Object({
      localListManagement: Nullable(Type.Boolean()),
      localAuthListEnabled: Nullable(Type.Boolean()),
      localAuthListMaxLength: Nullable(Type.Integer()),
      sendLocalListMaxLength: Nullable(Type.Integer()),
      authorizeRemoteTxRequests: Nullable(Type.Boolean()),
      stopTransactionOnInvalidId: Nullable(Type.Boolean()),
      authorizationCacheEnabled: Nullable(Type.Boolean()),
      readAt: DateTime,
    }),
  ),
  entries: Type.Array(
    Type.Object({ idTag: Type.String(), status: Type.Enum(ID_TAG_STATUSES), expiryDate: Nullable(DateTime), parentIdTag: Nullable(Type.String()) }),
  ),
});
const Params = Type.Object({ id: Type.String() });

export async function localListRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, events } = deps.services;

  app.get(
    '/stations/:id/local-list',
    { schema: { tags: ['local-lists'], summary: 'A station’s local authorization list as we pushed it', params: Params, response: { 200: LocalList } } },
    async (request) => {
      const { id } = request.params;
      if (!(await getStation(db, id))) throw notFound(`No station "${id}"`);
      const state = await localListState(db, id);
      const settings = await stationAuthSettings(db, id);
      return {
        stationId: id,
        syncStatus: state?.syncStatus ?? null,
        detail: state?.detail ?? null,
        version: state?.version ?? null,
        checkedAt: iso(state?.checkedAt),
        syncedAt: iso(state?.syncedAt),
        cacheClearPending: state?.cacheClearPending ?? false,
        settings: settings ? { ...settings, readAt: settings.readAt.toISOString() } : null,
        entries: (await heldEntries(db, id)).map(({ idTag, idTagInfo }) => ({
          idTag,
          status: idTagInfo.status,
          expiryDate: idTagInfo.expiryDate ?? null,
          parentIdTag: idTagInfo.parentIdTag ?? null,
        })),
      };
    },
  );

  app.post(
    '/stations/:id/local-list/sync',
    {
      schema: {
        tags: ['local-lists'],
        summary: 'Synchronise a station’s local list now',
        description: 'Answers 202 at once; GET .../local-list shows the outcome. 409 when the station is offline or not accepted.',
        params: Params,
        response: { 202: Type.Object({ queued: Type.Boolean() }) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const station = await getStation(db, id);
      if (!station) throw notFound(`No station "${id}"`);
      if (station.registration !== 'accepted') throw conflict(`Station "${id}" is ${station.registration}; only accepted stations get a local list`);
      if (!deps.caller.isOnline(id)) throw conflict(`Station "${id}" is not connected; its list is synchronised when it is back`);
      events.emit('local-list.sync-requested', { stationId: id });
      return reply.code(202).send({ queued: true });
    },
  );
}

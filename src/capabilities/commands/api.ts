// POST /api/v1/stations/{id}/commands/{Action}: any Central-System-initiated OCPP 1.6 action,
// with the OCPP request payload as body. 200 {response}, 400 invalid payload (naming the field),
// 404 unknown station, 409 offline, 502 the station refused (CALLERROR) or answered off-schema,
// 504 no answer in time. A RemoteStartTransaction is first authorized like a card (422 when its
// idTag would be refused, unless ?force=true). GET .../commands lists what was sent, newest first.

import { and, desc, eq, lt } from 'drizzle-orm';
import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { requireRole } from '../../api/access.js';
import { ApiProblem, badRequest, conflict, notFound } from '../../api/problem.js';
import { InvalidRequestError, InvalidResponseError } from '../../gateway/station-caller.js';
import { CallTimeoutError, StationOfflineError } from '../../gateway/station-connection.js';
import { RpcError } from '../../protocol/ocpp-j/rpc-error.js';
import { CENTRAL_SYSTEM_ACTIONS, isCentralSystemAction } from '../../protocol/v16/actions.js';
import { authorizeRemoteStart } from '../authorization/remote-start.js';
import { commandMinRole } from '../security/roles.js';
import { getStation } from '../stations/station-store.js';
import { sendCommand } from './send-command.js';
import { stationCommands } from './tables.js';
import { tenantOf } from '../../api/tenant-scope.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const CommandRecord = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  request: Type.Unknown(),
  outcome: Type.String(),
  response: Type.Unknown(),
  errorCode: Nullable(Type.String()),
  errorDescription: Nullable(Type.String()),
  requestedBy: Type.String(),
  requestedAt: Type.String({ format: 'date-time' }),
  answeredAt: Nullable(Type.String({ format: 'date-time' })),
  latencyMs: Nullable(Type.Integer()),
});

/** Maps what the seam throws to the HTTP answer of the contract. */
export function commandProblem(error: unknown, stationId: string, action: string): ApiProblem | undefined {
  if (error instanceof InvalidRequestError) {
    const path = String(error.rpcError.details['path'] ?? '');
    return badRequest(`Invalid ${action} payload: ${error.rpcError.message}`, { field: path, ocppError: error.rpcError.code });
  }
  if (error instanceof StationOfflineError) return conflict(`Station "${stationId}" is not connected`);
  if (error instanceof CallTimeoutError) return new ApiProblem(504, 'Gateway Timeout', error.message);
  if (error instanceof InvalidResponseError) {
    return new ApiProblem(502, 'Bad Gateway', error.message, { stationResponse: error.payload });
  }
  if (error instanceof RpcError) {
    return new ApiProblem(502, 'Bad Gateway', `Station "${stationId}" answered ${action} with ${error.code}: ${error.message}`, {
      ocppError: error.code,
      ocppErrorDetails: error.details,
    });
  }
  return undefined;
}

export async function commandRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db } = deps.services;

  app.post(
    '/stations/:id/commands/:action',
    {
      schema: {
        tags: ['commands'],
        summary: 'Send an OCPP 1.6 command to a station and return its answer',
        description: `Action is one of: ${CENTRAL_SYSTEM_ACTIONS.join(', ')}. The body is the OCPP request payload.`,
        params: Type.Object({ id: Type.String(), action: Type.String() }),
        querystring: Type.Object({
          force: Type.Optional(Type.Boolean({ description: 'RemoteStartTransaction: send even if the idTag would be refused (422 otherwise)' })),
        }),
        body: Type.Unknown(),
        response: { 200: Type.Object({ response: Type.Unknown() }) },
      },
    },
    async (request) => {
      const { id, action } = request.params;
      if (!isCentralSystemAction(action)) {
        throw notFound(`"${action}" is not a command a central system sends in OCPP 1.6; one of ${CENTRAL_SYSTEM_ACTIONS.join(', ')}`);
      }
      // Commands that change what a station trusts (password, profile, certificates) are an admin's.
      requireRole(request, commandMinRole(action, request.body), `send ${action}${action === 'ChangeConfiguration' ? ' for this key' : ''}`);
      if (!(await getStation(db, id))) throw notFound(`No station "${id}"`);
      const requestedBy = request.principal?.name ?? 'api';
      if (action === 'RemoteStartTransaction') {
        await authorizeRemoteStart(deps.services, id, request.body, { force: request.query.force === true, requestedBy, tenantId: tenantOf(request) });
      }
      try {
        const response = await sendCommand(deps.commands, id, action, (request.body ?? {}) as never, { requestedBy });
        return { response };
      } catch (error) {
        throw commandProblem(error, id, action) ?? error;
      }
    },
  );

  app.get(
    '/stations/:id/commands',
    {
      schema: {
        tags: ['commands'],
        summary: 'Commands sent to a station, newest first',
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          action: Type.Optional(Type.String()),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          before: Type.Optional(Type.Integer({ minimum: 1, description: 'Only commands with a smaller id (paging)' })),
        }),
        response: { 200: Type.Array(CommandRecord) },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await getStation(db, id))) throw notFound(`No station "${id}"`);
      const where = [eq(stationCommands.stationId, id)];
      if (request.query.action) where.push(eq(stationCommands.action, request.query.action));
      if (request.query.before) where.push(lt(stationCommands.id, request.query.before));
      const rows = await db
        .select()
        .from(stationCommands)
        .where(and(...where))
        .orderBy(desc(stationCommands.id))
        .limit(request.query.limit);
      return rows.map((row) => ({
        id: row.id,
        action: row.action,
        request: row.request,
        outcome: row.outcome,
        response: row.response,
        errorCode: row.errorCode,
        errorDescription: row.errorDescription,
        requestedBy: row.requestedBy,
        requestedAt: row.requestedAt.toISOString(),
        answeredAt: row.answeredAt?.toISOString() ?? null,
        latencyMs: row.latencyMs,
      }));
    },
  );
}

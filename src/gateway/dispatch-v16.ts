// The path of one inbound OCPP 1.6 CALL: route lookup → vendor rewrite and generic repairs
// (quirks) → schema validation → handler (which commits before it returns) → response
// validation. Whatever fails becomes the CALLERROR the spec names.

import type { Services } from '../capabilities/handler-context.js';
import type { StationSession } from '../capabilities/stations/station-session.js';
import { naiveTimestampZone } from '../capabilities/stations/station-session.js';
import type { Call } from '../protocol/ocpp-j/frames.js';
import { RpcError } from '../protocol/ocpp-j/rpc-error.js';
import { isCentralSystemAction, isChargePointAction } from '../protocol/v16/actions.js';
import { schemas16 } from '../protocol/v16/schemas.js';
import { normalizePayload } from '../quirks/normalize-payload.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import { routes16, type RouteTable16 } from './routes-v16.js';

type AnyHandler = (ctx: Parameters<NonNullable<RouteTable16['Heartbeat']>>[0], request: unknown) => Promise<unknown>;

export function createDispatcher16(services: Services, metrics: Metrics, routes: RouteTable16 = routes16) {
  /** `log` is the station's connection logger; handlers add the action when they log. */
  return async function dispatch(station: StationSession, call: Call, log: Logger): Promise<unknown> {
    const { action } = call;
    if (!isChargePointAction(action)) {
      throw isCentralSystemAction(action)
        ? new RpcError('NotSupported', `${action} is sent by a central system, not to it`)
        : new RpcError('NotImplemented', `Unknown action "${action}"`);
    }
    const handler = routes[action] as AnyHandler | undefined;
    if (!handler) throw new RpcError('NotSupported', `${action} is not supported by this central system yet`);

    const schemas = schemas16(action);
    const rewritten = station.profile.rewrite ? station.profile.rewrite(action, call.payload) : call.payload;
    const { payload, repairs } = normalizePayload(schemas.request, rewritten, { naiveTimestampZone: naiveTimestampZone(station) });
    for (const repair of repairs) metrics.repairs.inc({ rule: repair.rule });
    const invalid = schemas.checkRequest(payload);
    if (invalid) throw invalid;

    if (repairs.length > 0) log.debug({ action, repairs, profile: station.profile.name }, 'payload repaired before validation');
    const response = await handler({ ...services, log, station, receivedAt: services.clock.now(), repairs }, payload);

    const broken = schemas.checkResponse(response);
    if (broken) {
      log.error({ action, response, error: broken.message }, 'our own response breaks the schema');
      throw new RpcError('InternalError', 'The central system produced an invalid response');
    }
    return response;
  };
}

export type Dispatcher16 = ReturnType<typeof createDispatcher16>;

// The one seam between everything that commands a station (API, CLI, dashboard, load
// management, authorization) and the station's socket. The request is validated against the
// official schema before it leaves, the answer before it is returned. In a cluster this is the
// piece that routes to the node holding the socket; callers do not change.

import { RpcError } from '../protocol/ocpp-j/rpc-error.js';
import type { CentralSystemAction, CentralSystemRequest, CentralSystemResponse } from '../protocol/v16/actions.js';
import { schemas16 } from '../protocol/v16/schemas.js';
import type { Metrics } from '../observability/metrics.js';
import { CallTimeoutError, StationOfflineError } from './station-connection.js';
import type { StationRegistry } from './station-registry.js';

/** Our own request breaks the schema (for the API: 400). */
export class InvalidRequestError extends Error {
  constructor(readonly rpcError: RpcError) {
    super(rpcError.message);
    this.name = 'InvalidRequestError';
  }
}

/** The station answered with a payload that breaks the schema; the payload is kept for the operator. */
export class InvalidResponseError extends Error {
  constructor(
    readonly rpcError: RpcError,
    readonly payload: unknown,
  ) {
    super(`The station's answer breaks the schema: ${rpcError.message}`);
    this.name = 'InvalidResponseError';
  }
}

export interface CallOptions {
  timeoutMs?: number;
}

export interface StationCaller {
  call<A extends CentralSystemAction>(
    stationId: string,
    action: A,
    request: CentralSystemRequest<A>,
    options?: CallOptions,
  ): Promise<CentralSystemResponse<A>>;
  isOnline(stationId: string): boolean;
}

function outcomeOf(error: unknown): string {
  if (error instanceof StationOfflineError) return 'offline';
  if (error instanceof CallTimeoutError) return 'timeout';
  if (error instanceof InvalidResponseError) return 'invalid_response';
  if (error instanceof RpcError) return 'call_error';
  return 'failed';
}

export function createLocalStationCaller(registry: StationRegistry, metrics: Metrics): StationCaller {
  return {
    async call(stationId, action, request, options = {}) {
      const schemas = schemas16(action);
      const invalid = schemas.checkRequest(request);
      if (invalid) throw new InvalidRequestError(invalid);
      const live = registry.get(stationId);
      if (!live || !live.connection.isOpen) throw new StationOfflineError(stationId);
      try {
        const response = await live.connection.call(action, request, options.timeoutMs);
        const broken = schemas.checkResponse(response);
        if (broken) throw new InvalidResponseError(broken, response);
        metrics.outboundCalls.inc({ action, outcome: 'ok' });
        return response as CentralSystemResponse<typeof action>;
      } catch (error) {
        metrics.outboundCalls.inc({ action, outcome: outcomeOf(error) });
        throw error;
      }
    },
    isOnline: (stationId) => registry.get(stationId)?.connection.isOpen ?? false,
  };
}

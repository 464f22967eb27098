// The station caller of a cluster node: a station whose socket is here is called directly; one
// held by another node gets the CALL forwarded to that node over Redis (a correlation id, the
// answer on this node's channel, a timeout), where the local caller sends it through the
// station's own queue, so at most one CALL is outstanding per station in the whole cluster.
// The answer or error comes back as the same error classes a local call throws.

import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { InvalidRequestError, InvalidResponseError, type StationCaller } from '../gateway/station-caller.js';
import { CallTimeoutError, StationOfflineError } from '../gateway/station-connection.js';
import type { StationRegistry } from '../gateway/station-registry.js';
import { RpcError, type RpcErrorCode } from '../protocol/ocpp-j/rpc-error.js';
import type { CentralSystemAction } from '../protocol/v16/actions.js';
import { schemas16 } from '../protocol/v16/schemas.js';
import type { ClusterNode } from './node.js';
import type { Presence } from './presence.js';

/** Added to the station's own timeout: the hop to the other node and its queue. */
const ROUTE_GRACE_MS = 5_000;

type WireError =
  | { kind: 'offline' }
  | { kind: 'timeout'; ms: number }
  | { kind: 'call_error'; code: RpcErrorCode; message: string; details: Record<string, unknown> }
  | { kind: 'invalid_response'; code: RpcErrorCode; message: string; details: Record<string, unknown>; payload: unknown }
  | { kind: 'failed'; message: string };

function toWire(error: unknown, timeoutMs: number): WireError {
  if (error instanceof StationOfflineError) return { kind: 'offline' };
  if (error instanceof CallTimeoutError) return { kind: 'timeout', ms: timeoutMs };
  if (error instanceof InvalidResponseError) {
    const { code, message, details } = error.rpcError;
    return { kind: 'invalid_response', code, message, details, payload: error.payload };
  }
  if (error instanceof RpcError) return { kind: 'call_error', code: error.code, message: error.message, details: error.details };
  return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
}

function fromWire(error: WireError, stationId: string, action: string): Error {
  switch (error.kind) {
    case 'offline':
      return new StationOfflineError(stationId);
    case 'timeout':
      return new CallTimeoutError(stationId, action, error.ms);
    case 'call_error':
      return new RpcError(error.code, error.message, error.details);
    case 'invalid_response':
      return new InvalidResponseError(new RpcError(error.code, error.message, error.details), error.payload);
    case 'failed':
      return new Error(error.message);
  }
}

export interface RoutedCallerOptions {
  local: StationCaller;
  registry: StationRegistry;
  presence: Presence;
  node: ClusterNode;
  callTimeoutMs: number;
  log: Logger;
}

export function createRoutedCaller({ local, registry, presence, node, callTimeoutMs, log }: RoutedCallerOptions): StationCaller {
  const waiting = new Map<string, { resolve: (payload: unknown) => void; reject: (error: Error) => void; stationId: string; action: string }>();

  // Another node asks us to call a station we hold.
  node.on('call', ({ id, from, stationId, action, request, timeoutMs }) => {
    const ms = typeof timeoutMs === 'number' ? timeoutMs : callTimeoutMs;
    local.call(String(stationId), action as CentralSystemAction, request as never, { timeoutMs: ms }).then(
      (response) => node.send(from, { type: 'answer', id, response }),
      (error: unknown) => node.send(from, { type: 'answer', id, error: toWire(error, ms) }),
    );
  });
  node.on('answer', ({ id, response, error }) => {
    const call = waiting.get(String(id));
    if (!call) return; // timed out here already
    waiting.delete(String(id));
    if (error) call.reject(fromWire(error as WireError, call.stationId, call.action));
    else call.resolve(response);
  });

  function forward(holder: string, stationId: string, action: string, request: unknown, timeoutMs: number): Promise<unknown> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        log.warn({ stationId, action, node: holder }, 'no answer from the node that holds the station');
        reject(new CallTimeoutError(stationId, action, timeoutMs));
      }, timeoutMs + ROUTE_GRACE_MS);
      const settle = <T>(done: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        done(value);
      };
      waiting.set(id, { resolve: settle(resolve), reject: settle(reject), stationId, action });
      node.send(holder, { type: 'call', id, stationId, action, request, timeoutMs });
    });
  }

  return {
    async call(stationId, action, request, options = {}) {
      const tried = new Set<string>();
      for (;;) {
        if (registry.get(stationId)?.connection.isOpen) return local.call(stationId, action, request, options);
        if (tried.size === 0) {
          const invalid = schemas16(action).checkRequest(request);
          if (invalid) throw new InvalidRequestError(invalid);
        }
        const holder = await presence.ownerOf(stationId);
        if (!holder || holder === node.nodeId || tried.has(holder)) throw new StationOfflineError(stationId);
        try {
          return (await forward(holder, stationId, action, request, options.timeoutMs ?? callTimeoutMs)) as never;
        } catch (error) {
          // The station moved while the CALL was on its way: follow it to its new node.
          if (!(error instanceof StationOfflineError)) throw error;
          tried.add(holder);
        }
      }
    },
    isOnline: (stationId) => local.isOnline(stationId) || presence.isRemoteOnline(stationId),
  };
}

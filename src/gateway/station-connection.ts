// One station's WebSocket, speaking OCPP-J RPC. Inbound CALLs are handled one at a time in
// arrival order (a station's messages are a sequence: Start, MeterValues, Stop); outbound CALLs
// are queued so at most one is outstanding, each with a timeout. Nothing a peer sends can throw
// out of here: broken frames get a CALLERROR and the connection carries on.

import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import {
  CALL,
  CALLERROR,
  CALLRESULT,
  parseFrame,
  serializeCall,
  serializeCallError,
  serializeCallResult,
  type Call,
  type MessageId,
} from '../protocol/ocpp-j/frames.js';
import { RpcError } from '../protocol/ocpp-j/rpc-error.js';

/** Handles one inbound CALL: resolves with the CALLRESULT payload or throws (RpcError → CALLERROR). */
export type InboundHandler = (call: Call) => Promise<unknown>;

export type FrameDirection = 'in' | 'out';

/** One frame as it travelled, with what could be read of it (for the message log and metrics). */
export interface FrameEvent {
  direction: FrameDirection;
  text: string;
  /** 2, 3 or 4; undefined when the frame could not be read. */
  messageType: number | undefined;
  messageId: string | undefined;
  /** The CALL's action; for an answer, the action of the CALL it answers when known. */
  action: string | undefined;
}

export interface ConnectionOptions {
  callTimeoutMs: number;
  log: Logger;
  /** Sees every frame in and out (message log, metrics). */
  onFrame?: ((frame: FrameEvent) => void) | undefined;
  /** Inbound CALLs allowed to wait behind the one being handled before we refuse more. */
  maxQueuedInbound?: number;
}

export class StationOfflineError extends Error {
  constructor(stationId: string) {
    super(`Station ${stationId} is not connected`);
    this.name = 'StationOfflineError';
  }
}

export class CallTimeoutError extends Error {
  constructor(stationId: string, action: string, ms: number) {
    super(`Station ${stationId} did not answer ${action} within ${ms} ms`);
    this.name = 'CallTimeoutError';
  }
}

interface OutboundCall {
  id: string;
  action: string;
  payload: unknown;
  timeoutMs: number;
  resolve: (payload: unknown) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

export class StationConnection {
  readonly connectedAt = new Date();
  lastSeenAt = new Date();
  /** Cleared by each keep-alive round, set again by any pong or frame. */
  alive = true;

  private readonly inbound: Call[] = [];
  private handlingInbound = false;
  private readonly outbound: OutboundCall[] = [];
  private inFlight: OutboundCall | undefined;
  private closed = false;
  private readonly closeListeners: Array<(code: number, reason: string) => void> = [];

  constructor(
    readonly socket: WebSocket,
    readonly stationId: string,
    readonly protocol: string,
    readonly remoteAddress: string | undefined,
    private readonly handle: InboundHandler,
    private readonly options: ConnectionOptions,
  ) {
    socket.on('message', (data, isBinary) => this.receive(isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data)));
    socket.on('pong', () => this.markAlive());
    socket.on('close', (code, reason) => this.closedBySocket(code, reason.toString()));
    socket.on('error', (error) => options.log.warn({ err: error }, 'socket error'));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onClose(listener: (code: number, reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  /** Sends a CALL; resolves with the station's CALLRESULT payload, rejects with RpcError, CallTimeoutError or StationOfflineError. */
  call(action: string, payload: unknown, timeoutMs = this.options.callTimeoutMs): Promise<unknown> {
    if (this.closed) return Promise.reject(new StationOfflineError(this.stationId));
    return new Promise((resolve, reject) => {
      this.outbound.push({ id: randomUUID(), action, payload, timeoutMs, resolve, reject });
      this.sendNextCall();
    });
  }

  /** Closes the link; a close that does not complete in time is cut hard. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), 2000).unref();
  }

  private markAlive(): void {
    this.alive = true;
    this.lastSeenAt = new Date();
  }

  private send(text: string, messageType: number, messageId: MessageId, action: string | undefined): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.options.onFrame?.({ direction: 'out', text, messageType, messageId: String(messageId), action });
    this.socket.send(text);
  }

  private sendError(id: MessageId, error: RpcError, action: string | undefined): void {
    this.send(serializeCallError(id, error), CALLERROR, id, action);
  }

  private receive(text: string): void {
    this.markAlive();
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      this.options.onFrame?.({ direction: 'in', text, messageType: undefined, messageId: undefined, action: undefined });
      this.options.log.warn({ error: parsed.error.message }, 'malformed frame');
      if (parsed.answerable) this.sendError(parsed.id, parsed.error, undefined);
      return;
    }
    const frame = parsed.frame;
    const answered = frame.type !== CALL && this.inFlight?.id === String(frame.id) ? this.inFlight.action : undefined;
    this.options.onFrame?.({
      direction: 'in',
      text,
      messageType: frame.type,
      messageId: String(frame.id),
      action: frame.type === CALL ? frame.action : answered,
    });
    switch (frame.type) {
      case CALL:
        if (this.inbound.length >= (this.options.maxQueuedInbound ?? 1000)) {
          this.sendError(frame.id, new RpcError('GenericError', 'Too many CALLs without waiting for answers'), frame.action);
          return;
        }
        this.inbound.push(frame);
        void this.handleInbound();
        return;
      case CALLRESULT:
        this.settle(frame.id, (call) => call.resolve(frame.payload));
        return;
      case CALLERROR:
        this.settle(frame.id, (call) => call.reject(new RpcError(frame.code, frame.description, toDetails(frame.details))));
        return;
    }
  }

  private async handleInbound(): Promise<void> {
    if (this.handlingInbound) return;
    this.handlingInbound = true;
    try {
      let call: Call | undefined;
      while ((call = this.inbound.shift()) !== undefined) {
        await this.answer(call);
      }
    } finally {
      this.handlingInbound = false;
    }
  }

  private async answer(call: Call): Promise<void> {
    try {
      const result = await this.handle(call);
      this.send(serializeCallResult(call.id, result), CALLRESULT, call.id, call.action);
    } catch (error) {
      if (error instanceof RpcError) {
        this.sendError(call.id, error, call.action);
      } else {
        this.options.log.error({ err: error, action: call.action }, 'handler failed');
        this.sendError(call.id, new RpcError('InternalError', 'The central system could not process this message; please retry'), call.action);
      }
    }
  }

  private sendNextCall(): void {
    if (this.inFlight || this.closed) return;
    const next = this.outbound.shift();
    if (!next) return;
    this.inFlight = next;
    next.timer = setTimeout(() => {
      if (this.inFlight !== next) return;
      this.inFlight = undefined;
      next.reject(new CallTimeoutError(this.stationId, next.action, next.timeoutMs));
      this.sendNextCall();
    }, next.timeoutMs);
    this.send(serializeCall(next.id, next.action, next.payload), CALL, next.id, next.action);
  }

  private settle(id: MessageId, outcome: (call: OutboundCall) => void): void {
    const call = this.inFlight;
    if (!call || call.id !== String(id)) {
      // A late answer to a timed-out call, or a reply to nothing we sent: not an error to the station.
      this.options.log.warn({ messageId: id }, 'answer to an unknown call ignored');
      return;
    }
    clearTimeout(call.timer);
    this.inFlight = undefined;
    outcome(call);
    this.sendNextCall();
  }

  private closedBySocket(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const offline = new StationOfflineError(this.stationId);
    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      this.inFlight.reject(offline);
      this.inFlight = undefined;
    }
    for (const queued of this.outbound.splice(0)) queued.reject(offline);
    for (const listener of this.closeListeners) listener(code, reason);
  }
}

function toDetails(details: unknown): Record<string, unknown> {
  return typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : { details };
}

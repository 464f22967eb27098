// The station side of one OCPP-J WebSocket: our own framing module on a `ws` client socket.
// Outbound CALLs are queued so at most one is outstanding (OCPP-J 1.6 §4.1.1), each with a
// timeout; inbound CALLs are answered one at a time in arrival order. Knows nothing about OCPP
// actions: the station decides what to send and how to answer.

import WebSocket from 'ws';
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

/** What answering an inbound CALL produced: the CALLRESULT payload, and work to do once it is sent. */
export interface InboundAnswer {
  response: unknown;
  /** Runs after the CALLRESULT is on the wire (a RemoteStart's StartTransaction must follow its answer). */
  after?: () => void;
}

/** Answers one inbound CALL, or throws an RpcError (sent as CALLERROR). */
export type InboundHandler = (call: Call) => Promise<InboundAnswer>;

export interface LinkOptions {
  /** Full URL, ending in the URL-encoded station id. */
  url: string;
  /** Sub-protocols to offer; empty: no Sec-WebSocket-Protocol header at all. */
  protocols: readonly string[];
  headers?: Record<string, string>;
  callTimeoutMs: number;
  connectTimeoutMs: number;
  onCall: InboundHandler;
  /** The socket closed; `byUs` is true after close() or kill(). */
  onClose?: (info: { code: number; reason: string; byUs: boolean }) => void;
  /** Every frame in and out, as text. */
  onFrame?: (direction: 'in' | 'out', text: string) => void;
}

export class LinkClosedError extends Error {
  constructor(message = 'The connection to the central system is closed') {
    super(message);
    this.name = 'LinkClosedError';
  }
}

export class CallTimeoutError extends Error {
  constructor(action: string, ms: number) {
    super(`The central system did not answer ${action} within ${ms} ms`);
    this.name = 'CallTimeoutError';
  }
}

export class ConnectError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

interface PendingCall {
  id: string;
  action: string;
  text: string;
  resolve: (payload: unknown) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

export interface OcppLink {
  readonly isOpen: boolean;
  /** The sub-protocol the server chose ('' when none). */
  readonly protocol: string;
  /** Queues a CALL; resolves with the CALLRESULT payload, rejects with RpcError, CallTimeoutError or LinkClosedError. */
  call(action: string, payload: unknown): Promise<unknown>;
  /** Closes with a close frame and waits for the socket to be gone. */
  close(code?: number, reason?: string): Promise<void>;
  /** Drops the TCP connection without a close frame, like a power cut. */
  kill(): void;
}

let messageCounter = 0;

/** Opens the WebSocket; resolves once the upgrade succeeded, rejects with ConnectError otherwise. */
export function connectLink(options: LinkOptions): Promise<OcppLink> {
  const socket =
    options.protocols.length > 0
      ? new WebSocket(options.url, [...options.protocols], { headers: options.headers ?? {}, perMessageDeflate: false })
      : new WebSocket(options.url, { headers: options.headers ?? {}, perMessageDeflate: false });

  const queue: PendingCall[] = [];
  let inFlight: PendingCall | undefined;
  const inbound: Call[] = [];
  let answering = false;
  let closed = false;
  let byUs = false;
  let resolveClosed: () => void = () => undefined;
  const closedPromise = new Promise<void>((resolve) => (resolveClosed = resolve));

  const send = (text: string): void => {
    if (closed || socket.readyState !== WebSocket.OPEN) return;
    options.onFrame?.('out', text);
    socket.send(text);
  };

  const sendNext = (): void => {
    if (inFlight || closed) return;
    const next = queue.shift();
    if (!next) return;
    inFlight = next;
    next.timer = setTimeout(() => {
      if (inFlight !== next) return;
      inFlight = undefined;
      next.reject(new CallTimeoutError(next.action, options.callTimeoutMs));
      sendNext();
    }, options.callTimeoutMs);
    next.timer.unref();
    send(next.text);
  };

  const settle = (id: MessageId, outcome: (call: PendingCall) => void): void => {
    const call = inFlight;
    // A late answer to a call that timed out: nothing waits for it any more.
    if (!call || call.id !== String(id)) return;
    clearTimeout(call.timer);
    inFlight = undefined;
    outcome(call);
    sendNext();
  };

  const answer = async (call: Call): Promise<void> => {
    let result: InboundAnswer;
    try {
      result = await options.onCall(call);
    } catch (error) {
      const rpc = error instanceof RpcError ? error : new RpcError('InternalError', error instanceof Error ? error.message : String(error));
      send(serializeCallError(call.id, rpc));
      return;
    }
    send(serializeCallResult(call.id, result.response));
    try {
      result.after?.();
    } catch {
      // Follow-up work reports its own failures (station hooks); the answer is already sent.
    }
  };

  const drainInbound = async (): Promise<void> => {
    if (answering) return;
    answering = true;
    try {
      let call: Call | undefined;
      while ((call = inbound.shift()) !== undefined) await answer(call);
    } finally {
      answering = false;
    }
  };

  const receive = (text: string): void => {
    options.onFrame?.('in', text);
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      if (parsed.answerable) send(serializeCallError(parsed.id, parsed.error));
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case CALL:
        inbound.push(frame);
        void drainInbound();
        return;
      case CALLRESULT:
        settle(frame.id, (call) => call.resolve(frame.payload));
        return;
      case CALLERROR:
        settle(frame.id, (call) => call.reject(new RpcError(frame.code, frame.description, toDetails(frame.details))));
        return;
    }
  };

  const onClosed = (code: number, reason: string): void => {
    if (closed) return;
    closed = true;
    const error = new LinkClosedError();
    if (inFlight) {
      clearTimeout(inFlight.timer);
      inFlight.reject(error);
      inFlight = undefined;
    }
    for (const pending of queue.splice(0)) pending.reject(error);
    resolveClosed();
    options.onClose?.({ code, reason, byUs });
  };

  const link: OcppLink = {
    get isOpen() {
      return !closed && socket.readyState === WebSocket.OPEN;
    },
    get protocol() {
      return socket.protocol;
    },
    call(action, payload) {
      if (closed) return Promise.reject(new LinkClosedError());
      return new Promise((resolve, reject) => {
        // Ids only need to be unique per connection; a process-wide counter is short and cheap.
        const id = `${++messageCounter}`;
        queue.push({ id, action, text: serializeCall(id, action, payload), resolve, reject });
        sendNext();
      });
    },
    async close(code = 1000, reason = '') {
      if (closed) return;
      byUs = true;
      socket.close(code, reason);
      // A peer that never completes the closing handshake is cut off.
      const cut = setTimeout(() => socket.terminate(), 2000);
      cut.unref();
      await closedPromise;
      clearTimeout(cut);
    },
    kill() {
      if (closed) return;
      byUs = true;
      socket.terminate();
    },
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: ConnectError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      closed = true;
      socket.terminate();
      reject(error);
    };
    const timer = setTimeout(() => fail(new ConnectError(`No WebSocket connection to ${options.url} within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
    timer.unref();
    socket.once('open', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.on('message', (data, isBinary) => receive(isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data)));
      socket.on('close', (code, reason) => onClosed(code, reason.toString()));
      resolve(link);
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => fail(new ConnectError(`HTTP ${response.statusCode ?? '?'} from ${options.url}: ${body.slice(0, 300)}`, response.statusCode)));
      response.on('error', () => fail(new ConnectError(`HTTP ${response.statusCode ?? '?'} from ${options.url}`, response.statusCode)));
    });
    // After the upgrade, socket errors are followed by 'close', which is what the station acts on.
    socket.on('error', (error) => fail(new ConnectError(`Cannot connect to ${options.url}: ${error.message}`)));
  });
}

function toDetails(details: unknown): Record<string, unknown> {
  return typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : { details };
}

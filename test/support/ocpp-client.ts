// A raw OCPP-J test client over a real WebSocket: byte-level control for bad-input tests, and
// call/answer helpers for the rest. Inbound CALLs from the server are answered by `onCall`.

import WebSocket from 'ws';

export type Frame = unknown[];

export interface OcppClientOptions {
  protocols?: string | string[] | null;
  headers?: Record<string, string>;
  /** TLS settings for wss:// (trusted CA, client certificate and key). */
  tls?: { ca?: string; cert?: string; key?: string };
  /** Answers CALLs from the central system; default: an empty object. */
  onCall?: (action: string, payload: any) => unknown | Promise<unknown>;
}

export class OcppTestClient {
  readonly received: Frame[] = [];
  readonly calls: { action: string; payload: any }[] = [];
  private waiters: Array<{ match: (frame: Frame) => boolean; resolve: (frame: Frame) => void }> = [];
  private nextId = 1;
  closed: Promise<{ code: number; reason: string }>;

  private constructor(
    readonly socket: WebSocket,
    private readonly options: OcppClientOptions,
  ) {
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (data) => this.onMessage(String(data)));
  }

  static connect(url: string, options: OcppClientOptions = {}): Promise<OcppTestClient> {
    const protocols = options.protocols === null ? undefined : (options.protocols ?? 'ocpp1.6');
    const socket = new WebSocket(url, protocols, { headers: options.headers, ...options.tls });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new OcppTestClient(socket, options)));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(Object.assign(new Error(`HTTP ${response.statusCode}: ${body}`), { statusCode: response.statusCode, body })));
      });
      socket.once('error', reject);
    });
  }

  private async onMessage(text: string): Promise<void> {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      frame = ['unparseable', text];
    }
    this.received.push(frame);
    if (frame[0] === 2) {
      const [, id, action, payload] = frame as [number, string, string, unknown];
      this.calls.push({ action, payload });
      try {
        const answer = await (this.options.onCall ?? (() => ({})))(action, payload);
        if (answer !== undefined && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify([3, id, answer]));
      } catch (error) {
        this.socket.send(JSON.stringify([4, id, 'InternalError', String(error), {}]));
      }
    }
    const waiter = this.waiters.find((candidate) => candidate.match(frame));
    if (waiter) {
      this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
      waiter.resolve(frame);
    }
  }

  /** Resolves with the next frame (already received ones are not considered) that matches. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  /** Sends text as is and resolves with the answer to `answerId` (or the next CALLERROR with id -1). */
  sendRaw(text: string, answerId?: string | number): Promise<Frame> {
    const waiting = this.waitFor((frame) =>
      answerId === undefined ? frame[0] === 3 || frame[0] === 4 : (frame[0] === 3 || frame[0] === 4) && frame[1] === answerId,
    );
    this.socket.send(text);
    return waiting;
  }

  /** Sends a CALL; resolves with the whole answer frame ([3, id, payload] or [4, id, code, ...]). */
  callFrame(action: string, payload: unknown): Promise<Frame> {
    const id = `t${this.nextId++}`;
    return this.sendRaw(JSON.stringify([2, id, action, payload]), id);
  }

  /** Sends a CALL; resolves with the CALLRESULT payload, rejects with the CALLERROR. */
  async call<T = any>(action: string, payload: unknown): Promise<T> {
    const frame = await this.callFrame(action, payload);
    if (frame[0] === 3) return frame[2] as T;
    throw Object.assign(new Error(`${String(frame[2])}: ${String(frame[3])}`), { code: frame[2], frame });
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close();
    return this.closed;
  }
}

export const boot = (client: OcppTestClient, vendor = 'TestVendor', model = 'TestModel', extra: Record<string, string> = {}) =>
  client.call('BootNotification', { chargePointVendor: vendor, chargePointModel: model, ...extra });

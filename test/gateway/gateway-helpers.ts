// Small helpers for the gateway tests: polling instead of sleeping, and a raw HTTP upgrade
// request that shows exactly what the server answers before (or instead of) a WebSocket.

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { expect } from 'vitest';
import type { OcppTestClient } from '../support/ocpp-client.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Rejects when `promise` does not settle within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface UpgradeAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Sends a WebSocket upgrade request for `path` and reports the server's answer: 101 (the socket
 * is closed at once) or the HTTP refusal with its body. `headers` are added as given.
 */
export function rawUpgrade(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<UpgradeAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: url.hostname,
      port: url.port,
      path,
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '' });
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** Asserts that the client is still served on the same socket: a Heartbeat gets its CALLRESULT. */
export async function expectHeartbeat(client: OcppTestClient): Promise<void> {
  const frame = await client.callFrame('Heartbeat', {});
  expect(frame[0]).toBe(3);
  const payload = frame[2] as { currentTime: string };
  expect(Number.isNaN(Date.parse(payload.currentTime))).toBe(false);
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

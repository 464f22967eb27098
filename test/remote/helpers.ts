// Shared by the remote-control tests: simulated stations against a test server, and polling.

import { startStation, type ChargePoint, type StationOptions } from '../../src/simulator/index.js';
import type { TestServer } from '../support/test-server.js';

export async function simulated(server: TestServer, id: string, options: Partial<StationOptions> = {}): Promise<ChargePoint> {
  const station = await startStation({ url: `${server.url.replace(/^http/, 'ws')}/ocpp`, id, profile: 'wallbox', meterIntervalMs: 0, reconnect: false, ...options });
  await station.waitForRegistration('Accepted');
  return station;
}

/** Resolves with the first truthy value of `check` (polling), or fails naming `what`. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

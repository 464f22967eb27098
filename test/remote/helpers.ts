// Shared by the remote-control tests: simulated stations against a test server, and polling.

import { startStation, type ChargePoint, type StationOptions } from '../../src/simulator/index.js';
import type { TestServer } from '../support/test-server.js';

export { eventually } from '../authorization/fake-station.js';

export async function simulated(server: TestServer, id: string, options: Partial<StationOptions> = {}): Promise<ChargePoint> {
  const station = await startStation({ url: `${server.url.replace(/^http/, 'ws')}/ocpp`, id, profile: 'wallbox', meterIntervalMs: 0, reconnect: false, ...options });
  await station.waitForRegistration('Accepted');
  return station;
}

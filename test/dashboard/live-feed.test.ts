// The live feed (SSE) and the overview figures, driven by a real station over a real socket.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../src/events.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { openFeed, type FeedReader } from '../support/sse-client.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/test-server.js';

let server: TestServer;
const auth = { authorization: `Bearer ${TEST_API_KEY}` };
const feeds: FeedReader[] = [];
const open = async (query = '') => {
  const feed = await openFeed(`${server.url}/api/v1/events/stream${query}`, auth);
  feeds.push(feed);
  return feed;
};

beforeAll(async () => {
  server = await startTestServer();
  await server.api('POST', '/api/v1/id-tags', { idTag: 'LIVE-TAG' });
});
afterAll(async () => {
  for (const feed of feeds) feed.close();
  await server.close();
});

const now = () => new Date().toISOString();

describe('live feed', () => {
  it('needs authentication', async () => {
    const response = await fetch(`${server.url}/api/v1/events/stream`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('streams status, session and meter events with small payloads as they are committed', async () => {
    const feed = await open();
    expect(feed.status).toBe(200);
    expect(feed.contentType).toContain('text/event-stream');
    await feed.next((event) => event.event === ':comment' && event.data === 'connected');

    const client = await OcppTestClient.connect(server.ocppUrl('LIVE-1'));
    await boot(client, 'LiveVendor', 'LiveModel');
    expect((await feed.next((event) => event.event === 'station.connected')).data).toEqual({ stationId: 'LIVE-1' });
    expect((await feed.next((event) => event.event === 'station.booted')).data).toEqual({ stationId: 'LIVE-1', registration: 'accepted' });

    await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError', timestamp: now() });
    const status = await feed.next((event) => event.event === 'connector.status');
    expect(status.data).toMatchObject({ stationId: 'LIVE-1', connectorId: 1, status: 'Charging', errorCode: 'NoError' });

    const { transactionId } = await client.call('StartTransaction', { connectorId: 1, idTag: 'LIVE-TAG', meterStart: 10_000, timestamp: now() });
    const started = await feed.next((event) => event.event === 'transaction.started');
    expect(started.data).toMatchObject({ transactionId, stationId: 'LIVE-1', connectorId: 1, idTag: 'LIVE-TAG' });

    await client.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [
        {
          timestamp: now(),
          sampledValue: [
            { value: '10.5', measurand: 'Energy.Active.Import.Register', unit: 'kWh' },
            { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
            { value: '230', measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
          ],
        },
      ],
    });
    const meter = await feed.next((event) => event.event === 'meter.values');
    expect(meter.data).toMatchObject({ stationId: 'LIVE-1', connectorId: 1, transactionId, powerW: 7200, registerWh: 10_500 });

    const overview = await server.api('GET', `/api/v1/overview?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({
      stations: { total: 1, online: 1, offline: 0, faulted: 0, pending: 0 },
      connectors: { Charging: 1 },
      powerW: 7200,
      sessionsSince: 1,
      energySinceWh: 500,
    });
    expect(overview.body.charging).toEqual([
      expect.objectContaining({ sessionId: transactionId, stationId: 'LIVE-1', connectorId: 1, idTag: 'LIVE-TAG', powerW: 7200, energyWh: 500 }),
    ]);

    await client.call('StopTransaction', { transactionId, meterStop: 11_000, timestamp: now(), idTag: 'LIVE-TAG' });
    const stopped = await feed.next((event) => event.event === 'transaction.stopped');
    expect(stopped.data).toMatchObject({ transactionId, stationId: 'LIVE-1', energyWh: 1000 });
    expect(Object.keys(stopped.data).sort()).toEqual(['connectorId', 'energyWh', 'stationId', 'stoppedAt', 'transactionId']);

    const after = await server.api('GET', `/api/v1/overview?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
    expect(after.body).toMatchObject({ powerW: 0, charging: [], sessionsSince: 1, energySinceWh: 1000 });

    await client.close();
    expect((await feed.next((event) => event.event === 'station.disconnected')).data).toEqual({ stationId: 'LIVE-1' });
    // The fleet-wide feed carries no per-frame events.
    expect(feed.received.some((event) => event.event === 'message.logged')).toBe(false);
  });

  it('with ?stationId= carries only that station’s events, including each logged frame', async () => {
    const feed = await open('?stationId=LIVE-2');
    await feed.next((event) => event.event === ':comment');
    const other = await OcppTestClient.connect(server.ocppUrl('LIVE-3'));
    await boot(other);
    const mine = await OcppTestClient.connect(server.ocppUrl('LIVE-2'));
    await boot(mine);
    await mine.call('Heartbeat', {});
    const inbound = await feed.next((event) => event.event === 'message.logged' && event.data.action === 'Heartbeat');
    expect(inbound.data).toMatchObject({ stationId: 'LIVE-2', action: 'Heartbeat' });
    expect(feed.received.filter((event) => event.event !== ':comment').every((event) => event.data.stationId === 'LIVE-2')).toBe(true);
    await Promise.all([mine.close(), other.close()]);
  });

  it('unsubscribes from the event bus when the client goes away', async () => {
    const events = server.server.services.events as EventBus;
    const originalOn = events.on.bind(events);
    let subscribed = 0;
    events.on = ((name, listener) => {
      subscribed++;
      const off = originalOn(name, listener);
      return () => {
        subscribed--;
        off();
      };
    }) as EventBus['on'];
    try {
      const feed = await open();
      await feed.next((event) => event.event === ':comment');
      expect(subscribed).toBeGreaterThan(5);
      feed.close();
      const deadline = Date.now() + 5000;
      while (subscribed > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(subscribed).toBe(0);
    } finally {
      events.on = originalOn;
    }
  });
});

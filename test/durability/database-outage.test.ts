// The database connection drops under a connected station (as in a PostgreSQL restart): the
// station's messages during the outage get an InternalError CALLERROR (so it retries), nothing
// crashes, the socket stays open, and service resumes by itself.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { createScratchDatabase, engine, startTestServer, type TestServer } from '../support/test-server.js';

describe.skipIf(engine !== 'postgres')('PostgreSQL connections lost', () => {
  let server: TestServer;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    server = await startTestServer({}, { databaseUrl: scratch.url });
  });
  afterAll(async () => {
    await server.close();
    await scratch.drop();
  });

  it('recovers without losing the connection', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('OUTAGE-1'));
    await boot(client);
    const admin = new pg.Client({ connectionString: scratch.url });
    await admin.connect();
    // Every connection of the server's pool is cut, as a database restart would.
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    await admin.end();

    const during = await client.callFrame('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: '2026-01-01T00:00:00Z' });
    if (during[0] === 4) expect(during[2]).toBe('InternalError');

    let answered: unknown[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      answered = await client.callFrame('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: '2026-01-01T00:00:00Z' });
      if (answered[0] === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answered[0]).toBe(3);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const station = await server.api('GET', '/api/v1/stations/OUTAGE-1');
    expect(station.body.connectors[0]).toMatchObject({ status: 'Available' });
    await client.close();
  });
});

// The command API end to end: a real station answers through a real socket; the HTTP status
// follows the contract and every command is recorded; every frame lands in the message log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ OCPP_CALL_TIMEOUT: '1' });
  await server.api('POST', '/api/v1/stations', { id: 'CMD-1' });
  await server.api('POST', '/api/v1/stations', { id: 'CMD-OFF' });
});
afterAll(() => server.close());

describe('POST /stations/{id}/commands/{Action}', () => {
  it('returns the answer, records it, and logs every frame', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('CMD-1'), {
      onCall: (action) => (action === 'Reset' ? { status: 'Accepted' } : action === 'GetConfiguration' ? { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] } : {}),
    });
    await boot(client);
    const reset = await server.api('POST', '/api/v1/stations/CMD-1/commands/Reset', { type: 'Soft' });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ response: { status: 'Accepted' } });
    expect(client.calls.at(-1)).toEqual({ action: 'Reset', payload: { type: 'Soft' } });

    const history = await server.api('GET', '/api/v1/stations/CMD-1/commands');
    expect(history.body[0]).toMatchObject({ action: 'Reset', request: { type: 'Soft' }, outcome: 'answered', response: { status: 'Accepted' }, requestedBy: 'bootstrap' });
    expect(history.body[0].latencyMs).toBeGreaterThanOrEqual(0);

    const messages = await server.api('GET', '/api/v1/stations/CMD-1/messages');
    const summary = messages.body.map((row: any) => [row.direction, row.messageType, row.action]);
    expect(summary.slice(0, 2)).toEqual([
      ['in', '3', 'Reset'],
      ['out', '2', 'Reset'],
    ]);
    expect(summary).toContainEqual(['in', '2', 'BootNotification']);
    expect(summary).toContainEqual(['out', '3', 'BootNotification']);
    const onlyBoot = await server.api('GET', '/api/v1/stations/CMD-1/messages?action=BootNotification');
    expect(onlyBoot.body.every((row: any) => row.action === 'BootNotification')).toBe(true);
    expect(JSON.parse(onlyBoot.body.at(-1).frame)[2]).toBe('BootNotification');
    await client.close();
  });

  it('answers 400 naming the field, 404 for unknown stations and actions, 409 offline', async () => {
    const invalid = await server.api('POST', '/api/v1/stations/CMD-OFF/commands/Reset', { type: 'Sideways' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.detail).toContain('/type');
    expect((await server.api('POST', '/api/v1/stations/NOBODY/commands/Reset', { type: 'Soft' })).status).toBe(404);
    expect((await server.api('POST', '/api/v1/stations/CMD-OFF/commands/BootNotification', {})).status).toBe(404);
    const offline = await server.api('POST', '/api/v1/stations/CMD-OFF/commands/Reset', { type: 'Soft' });
    expect(offline.status).toBe(409);
    const history = await server.api('GET', '/api/v1/stations/CMD-OFF/commands');
    expect(history.body.map((row: any) => row.outcome)).toEqual(['offline']);
  });

  it('answers 504 when the station stays silent and 502 when it refuses or answers off-schema', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('CMD-2'), {
      onCall: (action) => {
        if (action === 'ClearCache') return undefined; // never answers
        if (action === 'UnlockConnector') return { status: 'Sideways' }; // not in the schema
        if (action === 'Reset') throw new Error('refused');
        return {};
      },
    });
    await boot(client);
    const silent = await server.api('POST', '/api/v1/stations/CMD-2/commands/ClearCache', {});
    expect(silent.status).toBe(504);
    const offSchema = await server.api('POST', '/api/v1/stations/CMD-2/commands/UnlockConnector', { connectorId: 1 });
    expect(offSchema.status).toBe(502);
    expect(offSchema.body.stationResponse).toEqual({ status: 'Sideways' });
    const refused = await server.api('POST', '/api/v1/stations/CMD-2/commands/Reset', { type: 'Hard' });
    expect(refused.status).toBe(502);
    expect(refused.body.ocppError).toBe('InternalError');
    // The operator's commands (the system's own, e.g. the configuration read after boot, are listed too).
    const outcomes = (await server.api('GET', '/api/v1/stations/CMD-2/commands')).body
      .filter((row: any) => row.requestedBy === 'bootstrap')
      .map((row: any) => [row.action, row.outcome]);
    expect(outcomes).toEqual([
      ['Reset', 'call_error'],
      ['UnlockConnector', 'invalid_response'],
      ['ClearCache', 'timeout'],
    ]);
    await client.close();
  });
});

describe('message log retention', () => {
  it('prunes frames older than the retention, and keeps none when it is 0', async () => {
    const { pruneMessages } = await import('../../src/capabilities/message-log/message-log.js');
    const client = await OcppTestClient.connect(server.ocppUrl('LOG-1'));
    await boot(client);
    await client.close();
    expect((await server.api('GET', '/api/v1/stations/LOG-1/messages')).body.length).toBeGreaterThan(0);
    const pruned = await pruneMessages(server.server.storage.db, new Date(Date.now() + 60_000), 1);
    expect(pruned).toBeGreaterThan(1);
    expect((await server.api('GET', '/api/v1/stations/LOG-1/messages')).body).toEqual([]);

    const quiet = await startTestServer({ MESSAGE_LOG_RETENTION_DAYS: '0' });
    try {
      const station = await OcppTestClient.connect(quiet.ocppUrl('LOG-2'));
      await boot(station);
      await station.close();
      expect((await quiet.api('GET', '/api/v1/stations/LOG-2/messages')).body).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});

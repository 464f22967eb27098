// Whatever a station sends, the gateway answers with the CALLERROR the spec names and keeps the
// connection; only a frame above OCPP_MAX_FRAME_BYTES ends that one socket (1009).

import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationConnection } from '../../src/gateway/station-connection.js';
import { OcppTestClient, boot, type Frame } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { expectHeartbeat, waitUntil, within } from './gateway-helpers.js';

const MAX_FRAME_BYTES = 2048;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ OCPP_MAX_FRAME_BYTES: String(MAX_FRAME_BYTES) });
});
afterAll(() => server.close());

const online = async (stationId: string) => (await server.api('GET', `/api/v1/stations/${encodeURIComponent(stationId)}`)).body?.online === true;

describe('bad input gets the right CALLERROR and the connection carries on', () => {
  let client: OcppTestClient;
  let serverSide: StationConnection;
  beforeAll(async () => {
    client = await OcppTestClient.connect(server.ocppUrl('FRAMING-1'));
    await boot(client);
    serverSide = server.server.registry.get('FRAMING-1')!.connection;
  });
  const sameSocket = () => {
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    expect(server.server.registry.get('FRAMING-1')?.connection).toBe(serverSide);
    expect(serverSide.isOpen).toBe(true);
  };
  afterAll(() => client.close());

  // [what, raw text, id the answer carries, expected error code]
  const cases: Array<[string, string, string, string]> = [
    ['text that is not JSON', 'this is { not json', '-1', 'FormationViolation'],
    ['an empty frame', '', '-1', 'FormationViolation'],
    ['JSON that is not an array', '{"messageTypeId":2,"action":"Heartbeat"}', '-1', 'FormationViolation'],
    ['an array without a message id', '[2]', '-1', 'FormationViolation'],
    ['an unknown message type', '[7,"type-7",{}]', 'type-7', 'FormationViolation'],
    ['a CALL with too few elements', '[2,"short-1","Heartbeat"]', 'short-1', 'ProtocolError'],
    ['a CALL whose action is a number', '[2,"action-1",42,{}]', 'action-1', 'FormationViolation'],
    ['an unknown action', '[2,"unknown-1","FlyToTheMoon",{}]', 'unknown-1', 'NotImplemented'],
    ['an action only a central system sends (Reset)', '[2,"cs-only-1","Reset",{"type":"Soft"}]', 'cs-only-1', 'NotSupported'],
    ['a field of the wrong type', '[2,"type-1","StatusNotification",{"connectorId":"one","errorCode":"NoError","status":"Available"}]', 'type-1', 'TypeConstraintViolation'],
    ['an object where a string belongs', '[2,"type-2","Authorize",{"idTag":{"id":"A"}}]', 'type-2', 'TypeConstraintViolation'],
    ['a missing required field', '[2,"missing-1","BootNotification",{"chargePointVendor":"V"}]', 'missing-1', 'OccurenceConstraintViolation'],
    ['a bad enum value', '[2,"enum-1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Flying"}]', 'enum-1', 'PropertyConstraintViolation'],
    ['a string that is too long', `[2,"long-1","Authorize",{"idTag":"${'A'.repeat(21)}"}]`, 'long-1', 'PropertyConstraintViolation'],
    ['an unreadable timestamp', '[2,"time-1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"yesterday"}]', 'time-1', 'PropertyConstraintViolation'],
    ['an unknown extra property', '[2,"extra-1","Heartbeat",{"foo":1}]', 'extra-1', 'FormationViolation'],
    ['a payload that is an array', '[2,"array-1","Heartbeat",[]]', 'array-1', 'FormationViolation'],
    ['a payload that is null', '[2,"null-1","Heartbeat",null]', 'null-1', 'FormationViolation'],
    ['a payload that is a string', '[2,"string-1","Heartbeat","{}"]', 'string-1', 'FormationViolation'],
  ];

  it.each(cases)('%s', async (_what, text, answerId, code) => {
    const answer = await client.sendRaw(text, answerId);
    expect(answer[0]).toBe(4);
    expect(answer[1]).toBe(answerId);
    expect(answer[2]).toBe(code);
    expect(answer[3]).toBeTypeOf('string');
    expect((answer[3] as string).length).toBeGreaterThan(0);
    expect(answer[4]).toBeTypeOf('object');
    expect(answer).toHaveLength(5);
    await expectHeartbeat(client);
    sameSocket();
  });

  it('served every bad frame above on one and the same socket', async () => {
    sameSocket();
    expect(await online('FRAMING-1')).toBe(true);
  });

  it('echoes a numeric message id unchanged', async () => {
    const answer = await client.sendRaw('[2,17,"Heartbeat",{}]', 17);
    expect(answer[0]).toBe(3);
    expect(answer[1]).toBe(17);
  });

  it('ignores a CALLRESULT or CALLERROR for an id it never sent, and broken replies, without answering', async () => {
    const before = client.received.length;
    client.socket.send('[3,"never-sent-1",{"status":"Accepted"}]');
    client.socket.send('[4,"never-sent-2","GenericError","whatever",{}]');
    client.socket.send('[3,"never-sent-3"]');
    client.socket.send('[3,null,{}]');
    client.socket.send('[4]');
    // The server reads frames in order: an answer to any of the above would arrive before this one's.
    await expectHeartbeat(client);
    const after = client.received.slice(before);
    expect(after).toHaveLength(1);
    expect(after[0]![0]).toBe(3);
    sameSocket();
  });

  it('serves a binary frame that carries valid JSON', async () => {
    const answered = client.waitFor((frame) => frame[1] === 'binary-1');
    client.socket.send(Buffer.from(JSON.stringify([2, 'binary-1', 'Heartbeat', {}]), 'utf8'), { binary: true });
    const answer = await answered;
    expect(answer[0]).toBe(3);
    expect(Date.parse((answer[2] as { currentTime: string }).currentTime)).not.toBeNaN();
  });

  it('answers a binary frame that is not JSON with a CALLERROR and carries on', async () => {
    const answered = client.waitFor((frame) => frame[0] === 4 && frame[1] === '-1');
    client.socket.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
    expect((await answered)[2]).toBe('FormationViolation');
    await expectHeartbeat(client);
    sameSocket();
  });
});

describe('inbound CALLs are answered in the order they were sent', () => {
  it('answers a burst of CALLs sent without waiting, in order, each with its own id', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('ORDER-1'));
    const now = () => new Date().toISOString();
    // Slow ones (database writes) mixed with fast ones (Heartbeat, refused payloads).
    const burst: Array<[string, unknown]> = [
      ['BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }],
      ['Heartbeat', {}],
      ['StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() }],
      ['Heartbeat', { invalid: true }],
      ['DataTransfer', { vendorId: 'Acme', data: 'x' }],
      ['Heartbeat', {}],
      ['StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: now() }],
      ['Authorize', { idTag: 'NOBODY' }],
      ['FlyToTheMoon', {}],
      ['StatusNotification', { connectorId: 2, errorCode: 'NoError', status: 'Available', timestamp: now() }],
      ['Heartbeat', {}],
      ['BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }],
    ];
    const ids = burst.map((_, index) => `burst-${index}`);
    const before = client.received.length;
    const allAnswered = waitUntil(() => client.received.length - before >= burst.length, 'all answers');
    burst.forEach(([action, payload], index) => client.socket.send(JSON.stringify([2, ids[index], action, payload])));
    await allAnswered;
    const answers = client.received.slice(before);
    expect(answers.map((frame) => frame[1])).toEqual(ids);
    expect(answers.map((frame) => frame[0])).toEqual([3, 3, 3, 4, 3, 3, 3, 3, 4, 3, 3, 3]);

    // The two StatusNotifications for connector 1 were applied in order: Preparing is the last.
    const station = await server.api('GET', '/api/v1/stations/ORDER-1');
    expect(station.body.connectors.find((connector: { connectorId: number }) => connector.connectorId === 1)?.status).toBe('Preparing');
    await client.close();
  });
});

describe('frame size limit', () => {
  /** A DataTransfer CALL of exactly `bytes` bytes. */
  function frameOf(bytes: number, id: string): string {
    const empty = JSON.stringify([2, id, 'DataTransfer', { vendorId: 'Acme', data: '' }]);
    const text = JSON.stringify([2, id, 'DataTransfer', { vendorId: 'Acme', data: 'x'.repeat(bytes - empty.length) }]);
    expect(Buffer.byteLength(text)).toBe(bytes);
    return text;
  }

  it('serves a frame of exactly OCPP_MAX_FRAME_BYTES', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('SIZE-1'));
    const answer = await client.sendRaw(frameOf(MAX_FRAME_BYTES, 'at-limit'), 'at-limit');
    expect(answer[0]).toBe(3);
    await expectHeartbeat(client);
    await client.close();
  });

  it('closes the socket of a station sending a larger frame with 1009, serves others, and lets it reconnect', async () => {
    const bystander = await OcppTestClient.connect(server.ocppUrl('SIZE-BYSTANDER'));
    const offender = await OcppTestClient.connect(server.ocppUrl('SIZE-2'));
    await expectHeartbeat(offender);
    expect(await online('SIZE-2')).toBe(true);

    offender.socket.send(frameOf(MAX_FRAME_BYTES + 1, 'too-big'));
    const closed = await within(offender.closed, 5000, 'the oversized frame to close the socket');
    expect(closed.code).toBe(1009);
    expect(offender.received.some((frame: Frame) => frame[1] === 'too-big')).toBe(false);
    await waitUntil(async () => !(await online('SIZE-2')), 'SIZE-2 to be offline');

    await expectHeartbeat(bystander);
    expect(await online('SIZE-BYSTANDER')).toBe(true);

    const again = await OcppTestClient.connect(server.ocppUrl('SIZE-2'));
    await expectHeartbeat(again);
    expect(await online('SIZE-2')).toBe(true);
    await again.close();
    await bystander.close();
  });

  it('measures the limit in bytes, not characters', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('SIZE-3'));
    // 1100 two-byte characters: under the limit in characters, over it in bytes.
    const text = JSON.stringify([2, 'wide', 'DataTransfer', { vendorId: 'Acme', data: 'é'.repeat(1100) }]);
    expect(text.length).toBeLessThan(MAX_FRAME_BYTES);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_FRAME_BYTES);
    client.socket.send(text);
    expect((await within(client.closed, 5000, 'the close')).code).toBe(1009);
  });
});

// CALLs from the central system to a station, through the one seam everything uses
// (server.caller): validation both ways, timeouts, offline stations, one CALL at a time.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallTimeoutError, StationOfflineError } from '../../src/gateway/station-connection.js';
import { InvalidRequestError, InvalidResponseError, type StationCaller } from '../../src/gateway/station-caller.js';
import { RpcError } from '../../src/protocol/ocpp-j/rpc-error.js';
import { OcppTestClient, type Frame } from '../support/ocpp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { expectHeartbeat, sleep, waitUntil, within } from './gateway-helpers.js';

const CALL_TIMEOUT_MS = 1000;

let server: TestServer;
let caller: StationCaller;
beforeAll(async () => {
  server = await startTestServer({ OCPP_CALL_TIMEOUT: String(CALL_TIMEOUT_MS / 1000) });
  caller = server.server.caller;
});
afterAll(() => server.close());

const isCall = (frame: Frame) => frame[0] === 2;

/** A station that answers nothing by itself: the test answers each CALL by hand. */
async function manualStation(id: string): Promise<OcppTestClient> {
  const client = await OcppTestClient.connect(server.ocppUrl(id), { onCall: () => undefined });
  await expectHeartbeat(client); // the station's row exists and the link is up
  return client;
}

/** The caught rejection of `promise`; fails when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('outbound CALLs', () => {
  it('returns the station answer', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('OUT-OK'), {
      onCall: (action, payload) => (action === 'Reset' && payload.type === 'Soft' ? { status: 'Accepted' } : { status: 'Rejected' }),
    });
    await expect(caller.call('OUT-OK', 'Reset', { type: 'Soft' })).resolves.toEqual({ status: 'Accepted' });
    await expect(caller.call('OUT-OK', 'Reset', { type: 'Hard' })).resolves.toEqual({ status: 'Rejected' });
    expect(client.calls).toEqual([
      { action: 'Reset', payload: { type: 'Soft' } },
      { action: 'Reset', payload: { type: 'Hard' } },
    ]);
    // Every CALL got a fresh message id.
    const ids = client.received.filter(isCall).map((frame) => frame[1]);
    expect(new Set(ids).size).toBe(2);
    expect(caller.isOnline('OUT-OK')).toBe(true);
    await client.close();
  });

  it("surfaces the station's CALLERROR as an RpcError with code, description and details", async () => {
    const client = await manualStation('OUT-ERR');
    const received = client.waitFor(isCall);
    const pending = rejectionOf(caller.call('OUT-ERR', 'UnlockConnector', { connectorId: 1 }));
    const [, id] = await received;
    client.socket.send(JSON.stringify([4, id, 'NotSupported', 'No lock on this model', { model: 'X1' }]));
    const error = await pending;
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'NotSupported', message: 'No lock on this model', details: { model: 'X1' } });

    // An unknown error code becomes GenericError; details that are no object are wrapped.
    const second = client.waitFor(isCall);
    const pending2 = rejectionOf(caller.call('OUT-ERR', 'UnlockConnector', { connectorId: 1 }));
    const [, id2] = await second;
    client.socket.send(JSON.stringify([4, id2, 'Overheated', 'hot', 'text details']));
    expect(await pending2).toMatchObject({ code: 'GenericError', message: 'hot', details: { details: 'text details' } });
    await client.close();
  });

  it('raises InvalidResponseError for an answer that breaks the schema, keeping the payload', async () => {
    const answers: unknown[] = [{ status: 'Perhaps' }, {}, { status: 'Accepted', extra: 1 }];
    const client = await OcppTestClient.connect(server.ocppUrl('OUT-BAD'), { onCall: () => answers.shift() });
    const codes: string[] = [];
    for (const payload of [{ status: 'Perhaps' }, {}, { status: 'Accepted', extra: 1 }]) {
      const error = await rejectionOf(caller.call('OUT-BAD', 'Reset', { type: 'Soft' }));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).payload).toEqual(payload);
      expect((error as InvalidResponseError).rpcError).toBeInstanceOf(RpcError);
      codes.push((error as InvalidResponseError).rpcError.code);
    }
    expect(codes).toEqual(['PropertyConstraintViolation', 'OccurenceConstraintViolation', 'FormationViolation']);
    // The link is fine afterwards.
    await expectHeartbeat(client);
    await client.close();
  });

  it('raises CallTimeoutError when the station does not answer within OCPP_CALL_TIMEOUT, and ignores the late answer', async () => {
    const client = await manualStation('OUT-SLOW');
    const first = client.waitFor(isCall);
    const started = Date.now();
    const error = rejectionOf(caller.call('OUT-SLOW', 'Reset', { type: 'Soft' }));
    const [, lateId] = await first;
    expect(await error).toBeInstanceOf(CallTimeoutError);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(CALL_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(CALL_TIMEOUT_MS + 2000);

    // The next CALL goes out; the late answer to the first must not settle it.
    const second = client.waitFor(isCall);
    const next = caller.call('OUT-SLOW', 'Reset', { type: 'Hard' });
    let settled = false;
    void next.then(
      () => (settled = true),
      () => (settled = true),
    );
    const [, nextId] = await second;
    expect(nextId).not.toBe(lateId);
    client.socket.send(JSON.stringify([3, lateId, { status: 'Rejected' }]));
    await expectHeartbeat(client); // the late answer has been read by now
    expect(settled).toBe(false);
    client.socket.send(JSON.stringify([3, nextId, { status: 'Accepted' }]));
    await expect(next).resolves.toEqual({ status: 'Accepted' });
    await client.close();
  });

  it('honours a per-call timeout', async () => {
    const client = await manualStation('OUT-SHORT');
    const started = Date.now();
    expect(await rejectionOf(caller.call('OUT-SHORT', 'ClearCache', {}, { timeoutMs: 150 }))).toBeInstanceOf(CallTimeoutError);
    expect(Date.now() - started).toBeLessThan(CALL_TIMEOUT_MS);
    await client.close();
  });

  it('raises StationOfflineError when the station goes away mid-call, for the CALL in flight and those queued', async () => {
    const client = await manualStation('OUT-GONE');
    const received = client.waitFor(isCall);
    const inFlight = rejectionOf(caller.call('OUT-GONE', 'Reset', { type: 'Soft' }));
    const queued = rejectionOf(caller.call('OUT-GONE', 'ClearCache', {}));
    await received;
    const started = Date.now();
    await client.close();
    const [a, b] = await within(Promise.all([inFlight, queued]), 3000, 'the calls to fail');
    expect(a).toBeInstanceOf(StationOfflineError);
    expect(b).toBeInstanceOf(StationOfflineError);
    expect(Date.now() - started).toBeLessThan(CALL_TIMEOUT_MS); // not a timeout
    expect(client.calls.map((call) => call.action)).toEqual(['Reset']);
    await waitUntil(() => !caller.isOnline('OUT-GONE'), 'the caller to see the station offline');
    expect(await rejectionOf(caller.call('OUT-GONE', 'ClearCache', {}))).toBeInstanceOf(StationOfflineError);
  });

  it('raises StationOfflineError at once for a station that is not connected', async () => {
    expect(caller.isOnline('NEVER-CONNECTED')).toBe(false);
    expect(await rejectionOf(caller.call('NEVER-CONNECTED', 'ClearCache', {}))).toBeInstanceOf(StationOfflineError);
  });

  it('raises InvalidRequestError for a request that breaks the schema, without sending anything', async () => {
    const client = await OcppTestClient.connect(server.ocppUrl('OUT-INVALID'), { onCall: () => ({ status: 'Accepted' }) });
    const cases: Array<[string, unknown, string]> = [
      ['Reset', { type: 'Sideways' }, 'PropertyConstraintViolation'],
      ['Reset', {}, 'OccurenceConstraintViolation'],
      ['UnlockConnector', { connectorId: 'one' }, 'TypeConstraintViolation'],
      ['ClearCache', { please: true }, 'FormationViolation'],
    ];
    for (const [action, request, code] of cases) {
      const error = await rejectionOf(caller.call('OUT-INVALID', action as 'Reset', request as never));
      expect(error, action).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).rpcError.code, JSON.stringify(request)).toBe(code);
    }
    // Validation comes first, even for a station that is offline.
    expect(await rejectionOf(caller.call('NEVER-CONNECTED', 'Reset', { type: 'Sideways' } as never))).toBeInstanceOf(InvalidRequestError);

    await expect(caller.call('OUT-INVALID', 'Reset', { type: 'Soft' })).resolves.toEqual({ status: 'Accepted' });
    expect(client.calls).toEqual([{ action: 'Reset', payload: { type: 'Soft' } }]);
    expect(client.received.filter(isCall)).toHaveLength(1);
    await client.close();
  });

  it('keeps at most one CALL outstanding per station: the next goes out only after the answer', async () => {
    const events: string[] = [];
    const release: Array<() => void> = [];
    const client = await OcppTestClient.connect(server.ocppUrl('OUT-SERIAL'), {
      onCall: (_action, payload: { key: string }) => {
        events.push(`received ${payload.key}`);
        return new Promise((resolve) =>
          release.push(() => {
            events.push(`answered ${payload.key}`);
            resolve({ status: 'Accepted' });
          }),
        );
      },
    });
    const results = ['k1', 'k2', 'k3'].map((key) => caller.call('OUT-SERIAL', 'ChangeConfiguration', { key, value: 'v' }));

    for (let i = 0; i < 3; i++) {
      await waitUntil(() => release.length === i + 1, `CALL ${i + 1} to arrive`);
      // Holding the answer back: nothing else may arrive meanwhile.
      await sleep(150);
      expect(client.calls).toHaveLength(i + 1);
      release[i]!();
      await expect(results[i]).resolves.toEqual({ status: 'Accepted' });
    }
    expect(events).toEqual(['received k1', 'answered k1', 'received k2', 'answered k2', 'received k3', 'answered k3']);
    expect(client.calls.map((call) => call.payload.key)).toEqual(['k1', 'k2', 'k3']);
    await client.close();
  });

  it('moves on to the next queued CALL after a CALLERROR or a timeout', async () => {
    const client = await manualStation('OUT-QUEUE');
    const seen: Frame[] = [];
    const sent = (n: number) => waitUntil(() => seen.length >= n, `CALL ${n}`);
    client.socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (isCall(frame)) seen.push(frame);
    });
    const failing = rejectionOf(caller.call('OUT-QUEUE', 'Reset', { type: 'Soft' }));
    const timingOut = rejectionOf(caller.call('OUT-QUEUE', 'Reset', { type: 'Hard' }, { timeoutMs: 200 }));
    const succeeding = caller.call('OUT-QUEUE', 'ClearCache', {});

    await sent(1);
    expect(seen).toHaveLength(1);
    client.socket.send(JSON.stringify([4, seen[0]![1], 'InternalError', 'boom', {}]));
    expect(await failing).toMatchObject({ code: 'InternalError' });

    await sent(2);
    expect(seen[1]![2]).toBe('Reset');
    expect(await timingOut).toBeInstanceOf(CallTimeoutError);

    await sent(3);
    expect(seen[2]![2]).toBe('ClearCache');
    client.socket.send(JSON.stringify([3, seen[2]![1], { status: 'Accepted' }]));
    await expect(succeeding).resolves.toEqual({ status: 'Accepted' });
    await client.close();
  });
});

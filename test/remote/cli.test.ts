// The operators' CLI run as a process (`tsx src/cli/main.ts`, what `npm run cli` runs) against a
// real server, with a station answering over a real socket.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { TEST_API_KEY, startTestServer, type TestServer } from '../support/test-server.js';

const ANSWERS: Record<string, unknown> = {
  Reset: { status: 'Accepted' },
  RemoteStartTransaction: { status: 'Accepted' },
  RemoteStopTransaction: { status: 'Accepted' },
  UnlockConnector: { status: 'Unlocked' },
  ChangeConfiguration: { status: 'Accepted' },
  GetConfiguration: { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }, { key: 'NumberOfConnectors', readonly: true, value: '2' }] },
  ReserveNow: { status: 'Accepted' },
  CancelReservation: { status: 'Accepted' },
  UpdateFirmware: {},
  GetDiagnostics: { fileName: 'cli.log' },
  DataTransfer: { status: 'Accepted', data: 'pong' },
};

let server: TestServer;
let station: OcppTestClient;
let folder: string;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'CLI-CARD' })).status).toBe(201);
  station = await OcppTestClient.connect(server.ocppUrl('CLI-1'), { onCall: (action) => ANSWERS[action] ?? {} });
  await boot(station, 'CliVendor', 'CliModel');
  folder = await mkdtemp(join(tmpdir(), 'ocpp-cli-test-'));
});
afterAll(async () => {
  await station.close();
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

function cli(args: string[], options: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, OCPP_API_URL: server.url, OCPP_API_KEY: TEST_API_KEY, ...options.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return new Promise((resolve) => {
    const child = execFile('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { env: env as NodeJS.ProcessEnv, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.stdin ?? '');
  });
}

const parsed = (output: { stdout: string }) => JSON.parse(output.stdout);

// Each run starts a process that compiles the CLI on the fly: slow on a busy machine.
describe('npm run cli', { timeout: 180_000 }, () => {
  it('lists and shows stations, and sends any command with a JSON payload (argument or standard input)', async () => {
    const list = await cli(['stations']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^id\s+registration\s+online/);
    expect(list.stdout).toMatch(/CLI-1\s+accepted\s+true\s+CliVendor\s+CliModel/);
    expect(parsed(await cli(['stations', '--json'])).map((row: any) => row.id)).toContain('CLI-1');
    expect(parsed(await cli(['station', 'CLI-1']))).toMatchObject({ id: 'CLI-1', vendor: 'CliVendor', online: true });

    const data = await cli(['command', 'CLI-1', 'DataTransfer', '{"vendorId":"com.example","data":"ping"}']);
    expect(parsed(data)).toEqual({ status: 'Accepted', data: 'pong' });
    expect(station.calls).toContainEqual({ action: 'DataTransfer', payload: { vendorId: 'com.example', data: 'ping' } });
    const piped = await cli(['command', 'CLI-1', 'Reset', '-'], { stdin: '{"type":"Hard"}' });
    expect(parsed(piped)).toEqual({ status: 'Accepted' });
    expect(station.calls).toContainEqual({ action: 'Reset', payload: { type: 'Hard' } });
  });

  it('resets, starts and stops remotely, and unlocks', async () => {
    expect(parsed(await cli(['reset', 'CLI-1']))).toEqual({ status: 'Accepted' });
    expect(station.calls).toContainEqual({ action: 'Reset', payload: { type: 'Soft' } });
    expect(parsed(await cli(['start', 'CLI-1', 'CLI-CARD', '1']))).toEqual({ status: 'Accepted' });
    expect(station.calls).toContainEqual({ action: 'RemoteStartTransaction', payload: { idTag: 'CLI-CARD', connectorId: 1 } });
    const refused = await cli(['start', 'CLI-1', 'UNKNOWN-CARD']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('422');
    expect(parsed(await cli(['start', 'CLI-1', 'UNKNOWN-CARD', '--force']))).toEqual({ status: 'Accepted' });
    expect(parsed(await cli(['stop', 'CLI-1', '42']))).toEqual({ status: 'Accepted' });
    expect(station.calls).toContainEqual({ action: 'RemoteStopTransaction', payload: { transactionId: 42 } });
    expect(parsed(await cli(['unlock', 'CLI-1', '2']))).toEqual({ status: 'Unlocked' });
    expect(station.calls).toContainEqual({ action: 'UnlockConnector', payload: { connectorId: 2 } });
  });

  it('reads and sets configuration', async () => {
    const refreshed = await cli(['config', 'refresh', 'CLI-1']);
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).toMatch(/HeartbeatInterval\s+300\s+false/);
    const got = await cli(['config', 'get', 'CLI-1', 'numberofconnectors']);
    expect(got.stdout).toMatch(/NumberOfConnectors\s+2\s+true/);
    expect(got.stdout).not.toContain('HeartbeatInterval');
    const set = await cli(['config', 'set', 'CLI-1', 'HeartbeatInterval', '120']);
    expect(set.stdout.trim()).toBe('HeartbeatInterval: Accepted');
    expect(parsed(await cli(['config', 'get', 'CLI-1', '--json'])).keys).toContainEqual(expect.objectContaining({ key: 'HeartbeatInterval', value: '120' }));
  });

  it('reserves, lists and cancels reservations', async () => {
    const reserved = parsed(await cli(['reserve', 'CLI-1', '1', 'CLI-CARD', '30', '--parent', 'FLEET']));
    expect(reserved).toMatchObject({ stationId: 'CLI-1', connectorId: 1, idTag: 'CLI-CARD', parentIdTag: 'FLEET', status: 'active' });
    const listed = await cli(['reservations', '--station', 'CLI-1', '--status', 'active']);
    expect(listed.stdout).toMatch(new RegExp(`${reserved.id}\\s+CLI-1\\s+1\\s+CLI-CARD`));
    expect(parsed(await cli(['cancel-reservation', String(reserved.id)]))).toMatchObject({ id: reserved.id, status: 'cancelled' });
    const again = await cli(['cancel-reservation', String(reserved.id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('409');
  });

  it('uploads firmware, lists it and sends a firmware update; asks for diagnostics', async () => {
    const file = join(folder, 'fw-3.0.bin');
    await writeFile(file, Buffer.from('firmware image'));
    const uploaded = parsed(await cli(['firmware', 'upload', file]));
    expect(uploaded).toMatchObject({ filename: 'fw-3.0.bin', size: 14 });
    expect((await cli(['firmware', 'list'])).stdout).toContain('fw-3.0.bin');
    const update = parsed(await cli(['firmware', 'update', 'CLI-1', String(uploaded.id), '--retries', '3']));
    expect(update).toMatchObject({ firmwareId: uploaded.id, location: uploaded.url, retries: 3, outcome: 'sent' });
    expect(station.calls).toContainEqual({ action: 'UpdateFirmware', payload: expect.objectContaining({ location: uploaded.url, retries: 3 }) });
    expect(parsed(await cli(['diagnostics', 'request', 'CLI-1']))).toMatchObject({ outcome: 'sent', fileName: 'cli.log' });
    expect((await cli(['diagnostics', 'list', 'CLI-1'])).stdout).toContain('cli.log');
  });

  it("lists organisations and hands a station over to one", async () => {
    const created = await server.api('POST', '/api/v1/tenants', { name: 'Cli Org', owner: { email: 'owner@cli-org.example.test', password: 'cli-org-password' } });
    expect(created.status).toBe(201);
    const list = await cli(['tenants']);
    expect(list.stdout).toMatch(/^id\s+name\s+platform/);
    expect(list.stdout).toMatch(new RegExp(`${created.body.id}\\s+Cli Org\\s+false`));
    expect((await server.api('POST', '/api/v1/stations', { id: 'CLI-GIFT' })).status).toBe(201);
    expect(parsed(await cli(['hand-over', 'CLI-GIFT', String(created.body.id)]))).toEqual({ stationId: 'CLI-GIFT', tenantId: created.body.id, tenantName: 'Cli Org' });
    expect((await server.api('GET', '/api/v1/stations/CLI-GIFT')).status).toBe(404);
    const again = await cli(['hand-over', 'CLI-GIFT', String(created.body.id)]);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('No station "CLI-GIFT"')]);
    expect((await cli(['hand-over', 'CLI-1', 'abc'])).stderr).toContain('tenantId must be a whole number');
  });

  it('fails clearly: API errors, a bad key, no key, an unreachable server, a bad command line', async () => {
    const [unknown, invalid, notJson, badKey, noKey, unreachable, wrong, missing, notNumber] = await Promise.all([
      cli(['station', 'NOBODY']),
      cli(['command', 'CLI-1', 'Reset', '{"type":"Sideways"}']),
      cli(['command', 'CLI-1', 'Reset', '{not json']),
      cli(['stations'], { env: { OCPP_API_KEY: 'wrong-key-0123456789' } }),
      cli(['stations'], { env: { OCPP_API_KEY: undefined } }),
      cli(['stations'], { env: { OCPP_API_URL: 'http://127.0.0.1:9' } }),
      cli(['frobnicate']),
      cli(['unlock', 'CLI-1']),
      cli(['unlock', 'CLI-1', 'one']),
    ]);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('404: No station "NOBODY"');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('400');
    expect(invalid.stderr).toContain('/type');
    expect(notJson).toMatchObject({ code: 2 });
    expect(notJson.stderr).toContain('not JSON');
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain('check OCPP_API_KEY');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('OCPP_API_KEY is not set');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('Cannot reach the API at http://127.0.0.1:9');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Unknown command "frobnicate"');
    expect(missing.stderr).toContain('Usage: unlock <stationId> <connectorId>');
    expect(notNumber.stderr).toContain('connectorId must be a whole number');
  });
});

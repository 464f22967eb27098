// Firmware and diagnostics with real HTTP: an operator uploads firmware, the station is told
// its URL (UpdateFirmware) and downloads it without an API key; a station asked for diagnostics
// uploads them to the URL it was given (PUT, POST, multipart form), and the files are listed and
// downloadable. The status notifications the station sends become its visible maintenance state.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { TEST_API_KEY, startTestServer, type TestServer } from '../support/test-server.js';
import { eventually } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const later = (work: () => Promise<unknown>) => setTimeout(() => void work().catch(() => undefined), 10);

async function uploadFirmware(name: string, bytes: Uint8Array): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/api/v1/firmware?filename=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  return { status: response.status, body: await response.json() };
}

describe('firmware', () => {
  it('is uploaded, listed, downloaded by the station from its URL, and the update’s progress is kept', async () => {
    const image = new Uint8Array(300_000).map((_, index) => (index * 7) % 256);
    const uploaded = await uploadFirmware('../evil/fw 1.2.bin', image);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ filename: 'fw_1.2.bin', size: image.length, sha256: sha256(image), uploadedBy: 'bootstrap', downloads: 0 });
    expect(uploaded.body.url).toMatch(new RegExp(`^${server.url}/firmware/[A-Za-z0-9_-]{32}/fw_1.2.bin$`));
    expect((await server.api('GET', '/api/v1/firmware')).body.map((file: any) => file.id)).toContain(uploaded.body.id);

    let downloaded: Uint8Array | undefined;
    const client = await OcppTestClient.connect(server.ocppUrl('FW-1'), {
      onCall: (action, payload) => {
        if (action !== 'UpdateFirmware') return action === 'GetConfiguration' ? { configurationKey: [] } : {};
        // Like a charger: answer first, then fetch the file (no API key) and report progress.
        later(async () => {
          await client.call('FirmwareStatusNotification', { status: 'Downloading' });
          const response = await fetch(payload.location);
          downloaded = new Uint8Array(await response.arrayBuffer());
          await client.call('FirmwareStatusNotification', { status: 'Downloaded' });
          await client.call('FirmwareStatusNotification', { status: 'Installing' });
          await client.call('FirmwareStatusNotification', { status: 'Installed' });
        });
        return {};
      },
    });
    await boot(client);
    const retrieveDate = new Date(Date.now() + 1000).toISOString();
    const update = await server.api('POST', '/api/v1/stations/FW-1/firmware-update', { firmwareId: uploaded.body.id, retrieveDate, retries: 2, retryInterval: 30 });
    expect(update.status).toBe(201);
    expect(update.body).toMatchObject({ stationId: 'FW-1', firmwareId: uploaded.body.id, location: uploaded.body.url, retrieveDate, retries: 2, retryInterval: 30, outcome: 'sent' });
    expect(client.calls.find((call) => call.action === 'UpdateFirmware')?.payload).toEqual({ location: uploaded.body.url, retrieveDate, retries: 2, retryInterval: 30 });

    const state = await eventually(async () => {
      const body = (await server.api('GET', '/api/v1/stations/FW-1/maintenance')).body;
      return body.firmware.status === 'Installed' && body;
    }, 'the firmware to be installed');
    expect(state.firmware.update).toMatchObject({ id: update.body.id, status: 'Installed', outcome: 'sent' });
    expect(downloaded && sha256(downloaded)).toBe(sha256(image));
    const file = (await server.api('GET', `/api/v1/firmware/${uploaded.body.id}`)).body;
    expect(file.downloads).toBe(1);
    expect((await server.api('GET', '/api/v1/stations/FW-1/firmware-updates')).body[0]).toMatchObject({ id: update.body.id, status: 'Installed' });

    // A later Idle (e.g. a triggered notification) is the station's state, not the update's.
    await client.call('FirmwareStatusNotification', { status: 'Idle' });
    const idle = (await server.api('GET', '/api/v1/stations/FW-1/maintenance')).body;
    expect(idle.firmware).toMatchObject({ status: 'Idle', update: { status: 'Installed' } });
    await client.close();
  });

  it('keeps the download URL secret and the API behind its key; refuses unknown firmware, offline stations and empty files', async () => {
    const uploaded = await uploadFirmware('small.bin', new Uint8Array([1, 2, 3]));
    const url = new URL(uploaded.body.url);
    const [, , token] = url.pathname.split('/');
    expect((await fetch(`${server.url}/firmware/${token}/other.bin`)).status).toBe(404);
    expect((await fetch(`${server.url}/firmware/${'A'.repeat(32)}/small.bin`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/firmware`)).status).toBe(401);
    expect((await fetch(uploaded.body.url)).status).toBe(200);

    expect((await uploadFirmware('empty.bin', new Uint8Array())).status).toBe(400);
    // A body without any content type is the file too.
    const bare = await fetch(`${server.url}/api/v1/firmware?filename=bare.bin`, { method: 'POST', headers: { authorization: `Bearer ${TEST_API_KEY}` }, body: new Uint8Array([9, 9]) });
    expect(bare.status).toBe(201);
    expect(await bare.json()).toMatchObject({ filename: 'bare.bin', size: 2 });
    expect((await server.api('POST', '/api/v1/stations', { id: 'FW-OFF' })).status).toBe(201);
    expect((await server.api('POST', '/api/v1/stations/FW-OFF/firmware-update', { firmwareId: uploaded.body.id })).status).toBe(409);
    expect((await server.api('POST', '/api/v1/stations/FW-OFF/firmware-update', { firmwareId: 999999 })).status).toBe(404);
    expect((await server.api('POST', '/api/v1/stations/NOBODY/firmware-update', { firmwareId: uploaded.body.id })).status).toBe(404);
  });
});

describe('diagnostics', () => {
  it('hands out an upload URL and takes the file by PUT, POST and multipart form; lists and serves what came', async () => {
    const uploads: Array<(location: string) => Promise<Response>> = [
      (location) => fetch(`${location}FW-DIAG-put.log`, { method: 'PUT', body: 'put body' }),
      (location) => fetch(location, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="raw.log"' }, body: 'post body' }),
      (location) => {
        const form = new FormData();
        form.append('comment', 'from the station');
        form.append('file', new Blob(['multipart body']), 'form.log');
        return fetch(location, { method: 'POST', body: form });
      },
    ];
    const statuses: number[] = [];
    let requestCount = 0;
    const client = await OcppTestClient.connect(server.ocppUrl('DIAG-1'), {
      onCall: (action, payload) => {
        if (action !== 'GetDiagnostics') return action === 'GetConfiguration' ? { configurationKey: [] } : {};
        const upload = uploads[requestCount++]!;
        later(async () => {
          await client.call('DiagnosticsStatusNotification', { status: 'Uploading' });
          const response = await upload(payload.location);
          statuses.push(response.status);
          await client.call('DiagnosticsStatusNotification', { status: response.ok ? 'Uploaded' : 'UploadFailed' });
        });
        return { fileName: 'FW-DIAG-put.log' };
      },
    });
    await boot(client);

    const ids: number[] = [];
    for (let round = 0; round < uploads.length; round++) {
      const body = round === 0 ? { startTime: '2026-01-01T00:00:00.000Z', stopTime: '2026-01-02T00:00:00.000Z', retries: 1, retryInterval: 60 } : {};
      const requested = await server.api('POST', '/api/v1/stations/DIAG-1/diagnostics', body);
      expect(requested.status).toBe(201);
      expect(requested.body).toMatchObject({ stationId: 'DIAG-1', outcome: 'sent', fileName: 'FW-DIAG-put.log' });
      expect(requested.body.location).toMatch(new RegExp(`^${server.url}/diagnostics/[A-Za-z0-9_-]{32}/$`));
      ids.push(requested.body.id);
      await eventually(async () => {
        const state = (await server.api('GET', '/api/v1/stations/DIAG-1/maintenance')).body.diagnostics;
        return state.status === 'Uploaded' && state.request.id === requested.body.id && state.request.files.length === 1;
      }, `upload ${round + 1}`);
    }
    expect(statuses).toEqual([201, 201, 201]);
    expect(client.calls.find((call) => call.action === 'GetDiagnostics')?.payload).toMatchObject({ startTime: '2026-01-01T00:00:00.000Z', retries: 1, retryInterval: 60 });

    const listed = (await server.api('GET', '/api/v1/stations/DIAG-1/diagnostics')).body;
    expect(listed.map((request: any) => request.id)).toEqual([...ids].reverse());
    const files = [...listed].reverse().map((request: any) => request.files[0]);
    expect(files.map((file: any) => file.filename)).toEqual(['FW-DIAG-put.log', 'raw.log', 'form.log']);
    expect(listed.every((request: any) => request.status === 'Uploaded')).toBe(true);
    const contents = await Promise.all(files.map(async (file: any) => (await server.api('GET', file.url)).body));
    expect(contents).toEqual(['put body', 'post body', 'multipart body']);
    expect(files[0].sha256).toBe(sha256(new TextEncoder().encode('put body')));
    await client.close();
  });

  it('refuses uploads to unknown locations, and requests to offline or unknown stations', async () => {
    expect((await fetch(`${server.url}/diagnostics/${'B'.repeat(32)}/x.log`, { method: 'PUT', body: 'x' })).status).toBe(404);
    expect((await server.api('POST', '/api/v1/stations', { id: 'DIAG-OFF' })).status).toBe(201);
    expect((await server.api('POST', '/api/v1/stations/DIAG-OFF/diagnostics', {})).status).toBe(409);
    expect((await server.api('GET', '/api/v1/stations/NOBODY/diagnostics')).status).toBe(404);
    expect((await server.api('GET', '/api/v1/stations/DIAG-OFF/diagnostics/files/1')).status).toBe(404);
  });
});

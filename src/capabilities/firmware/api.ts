// Firmware hosted by the backend: POST /api/v1/firmware uploads a file (raw body, ?filename=),
// GET /api/v1/firmware lists them with their download URL, and
// POST /api/v1/stations/{id}/firmware-update sends UpdateFirmware with that URL as location.
// The download itself (GET /firmware/{token}/{filename}) needs no API key: see download.ts.

import type { Readable } from 'node:stream';
import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { ApiProblem, conflict, notFound } from '../../api/problem.js';
import { commandProblem } from '../commands/api.js';
import { sendCommand } from '../commands/send-command.js';
import { FileTooLargeError, randomToken, safeFileName } from '../diagnostics/file-storage.js';
import { getStation } from '../stations/station-store.js';
import {
  firmwareFile,
  firmwareUpdatesOf,
  insertFirmwareFile,
  insertFirmwareUpdate,
  listFirmwareFiles,
  settleFirmwareUpdate,
  type FirmwareFileRow,
  type FirmwareUpdateRow,
} from './firmware-store.js';
import { REQUEST_OUTCOMES } from './tables.js';
import { tenantOf } from '../../api/tenant-scope.js';

const MAX_FIRMWARE_BYTES = 512 * 1024 * 1024;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

const FirmwareFile = Type.Object({
  id: Type.Integer(),
  filename: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  url: Type.String({ description: 'Where stations download it (no API key needed; the URL is the secret)' }),
  uploadedBy: Type.String(),
  uploadedAt: DateTime,
  downloads: Type.Integer(),
  lastDownloadedAt: Nullable(DateTime),
});

export const FirmwareUpdate = Type.Object({
  id: Type.Integer(),
  stationId: Type.String(),
  firmwareId: Type.Integer(),
  location: Type.String(),
  retrieveDate: DateTime,
  retries: Nullable(Type.Integer()),
  retryInterval: Nullable(Type.Integer()),
  outcome: Type.Enum(REQUEST_OUTCOMES),
  detail: Nullable(Type.String()),
  status: Nullable(Type.String({ description: 'The station’s latest FirmwareStatusNotification about this update' })),
  statusAt: Nullable(DateTime),
  requestedBy: Type.String(),
  requestedAt: DateTime,
});

export function firmwareUpdateJson(row: FirmwareUpdateRow): Static<typeof FirmwareUpdate> {
  return {
    id: row.id,
    stationId: row.stationId,
    firmwareId: row.firmwareId,
    location: row.location,
    retrieveDate: row.retrieveDate.toISOString(),
    retries: row.retries,
    retryInterval: row.retryInterval,
    outcome: row.outcome,
    detail: row.detail,
    status: row.status,
    statusAt: row.statusAt?.toISOString() ?? null,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
  };
}

export const firmwareUrl = (publicUrl: string, file: Pick<FirmwareFileRow, 'token' | 'filename'>) =>
  `${publicUrl}/firmware/${file.token}/${encodeURIComponent(file.filename)}`;

export async function firmwareRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps.services;

  const fileJson = (row: FirmwareFileRow): Static<typeof FirmwareFile> => ({
    id: row.id,
    filename: row.filename,
    size: row.size,
    sha256: row.sha256,
    url: firmwareUrl(deps.publicUrl(), row),
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt.toISOString(),
    downloads: row.downloads,
    lastDownloadedAt: row.lastDownloadedAt?.toISOString() ?? null,
  });

  // The upload's body is the file itself, of any content type, streamed to disk.
  await app.register(async (plugin) => {
    const raw = plugin as ApiApp;
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    raw.post(
      '/firmware',
      {
        schema: {
          tags: ['firmware'],
          summary: 'Upload a firmware file (the request body is the file)',
          querystring: Type.Object({ filename: Type.String({ minLength: 1, maxLength: 255 }) }),
          response: { 201: FirmwareFile },
        },
      },
      async (request, reply) => {
        const filename = safeFileName(request.query.filename, 'firmware.bin');
        const token = randomToken();
        let saved;
        try {
          saved = await deps.files.save(`firmware/${token}/${filename}`, request.body as Readable, MAX_FIRMWARE_BYTES);
        } catch (error) {
          if (error instanceof FileTooLargeError) throw new ApiProblem(413, 'Payload Too Large', error.message);
          throw error;
        }
        if (saved.size === 0) throw new ApiProblem(400, 'Bad Request', 'The firmware file is empty: send the file as the request body');
        const row = await insertFirmwareFile(db, { tenantId: tenantOf(request), filename, token, storedAs: saved.storedAs, size: saved.size, sha256: saved.sha256, uploadedBy: request.principal?.name ?? 'api' });
        return reply.code(201).send(fileJson(row));
      },
    );
  });

  app.get(
    '/firmware',
    { schema: { tags: ['firmware'], summary: 'Hosted firmware files, newest first', response: { 200: Type.Array(FirmwareFile) } } },
    async (request) => (await listFirmwareFiles(db, tenantOf(request))).map(fileJson),
  );

  app.get(
    '/firmware/:id',
    { schema: { tags: ['firmware'], summary: 'One hosted firmware file', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: FirmwareFile } } },
    async (request) => {
      const row = await firmwareFile(db, request.params.id);
      if (!row) throw notFound(`No firmware ${request.params.id}`);
      return fileJson(row);
    },
  );

  app.post(
    '/stations/:id/firmware-update',
    {
      schema: {
        tags: ['firmware'],
        summary: 'Tell the station to install a hosted firmware file (UpdateFirmware with its download URL)',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object(
          {
            firmwareId: Type.Integer({ minimum: 1 }),
            retrieveDate: Type.Optional(DateTime),
            retries: Type.Optional(Type.Integer({ minimum: 0 })),
            retryInterval: Type.Optional(Type.Integer({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: FirmwareUpdate },
      },
    },
    async (request, reply) => {
      const stationId = request.params.id;
      const body = request.body;
      if (!(await getStation(db, stationId))) throw notFound(`No station "${stationId}"`);
      const file = await firmwareFile(db, body.firmwareId);
      // Another tenant's file is missing here: its URL must not reach this tenant's station.
      if (!file || file.tenantId !== tenantOf(request)) throw notFound(`No firmware ${body.firmwareId}`);
      if (!deps.caller.isOnline(stationId)) throw conflict(`Station "${stationId}" is not connected`);
      const requestedBy = request.principal?.name ?? 'api';
      const retrieveDate = body.retrieveDate ? new Date(body.retrieveDate) : clock.now();
      // Recorded before it is sent: the station's first FirmwareStatusNotification may come before its answer is handled.
      const update = await insertFirmwareUpdate(db, {
        stationId,
        firmwareId: file.id,
        location: firmwareUrl(deps.publicUrl(), file),
        retrieveDate,
        retries: body.retries ?? null,
        retryInterval: body.retryInterval ?? null,
        outcome: 'requested',
        requestedBy,
      });
      try {
        await sendCommand(
          deps.commands,
          stationId,
          'UpdateFirmware',
          {
            location: update.location,
            retrieveDate: retrieveDate.toISOString(),
            ...(body.retries !== undefined ? { retries: body.retries } : {}),
            ...(body.retryInterval !== undefined ? { retryInterval: body.retryInterval } : {}),
          },
          { requestedBy },
        );
      } catch (error) {
        await settleFirmwareUpdate(db, update.id, 'failed', error instanceof Error ? error.message : String(error));
        throw commandProblem(error, stationId, 'UpdateFirmware') ?? error;
      }
      return reply.code(201).send(firmwareUpdateJson(await settleFirmwareUpdate(db, update.id, 'sent', null)));
    },
  );

  app.get(
    '/stations/:id/firmware-updates',
    {
      schema: {
        tags: ['firmware'],
        summary: 'Firmware updates sent to the station, newest first, with what it reported of each',
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }) }),
        response: { 200: Type.Array(FirmwareUpdate) },
      },
    },
    async (request) => {
      if (!(await getStation(db, request.params.id))) throw notFound(`No station "${request.params.id}"`);
      return (await firmwareUpdatesOf(db, request.params.id, request.query.limit)).map(firmwareUpdateJson);
    },
  );
}

// Diagnostics and the maintenance state of a station: POST /api/v1/stations/{id}/diagnostics
// asks for a diagnostics upload (GetDiagnostics with an upload URL of our own), GET lists the
// requests with the files uploaded for them, .../diagnostics/files/{fileId} downloads one, and
// GET /api/v1/stations/{id}/maintenance shows the current firmware and diagnostics status with
// the request each belongs to.

import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { conflict, notFound } from '../../api/problem.js';
import { commandProblem } from '../commands/api.js';
import { sendCommand } from '../commands/send-command.js';
import { FirmwareUpdate, firmwareUpdateJson } from '../firmware/api.js';
import { latestFirmwareUpdate } from '../firmware/firmware-store.js';
import { getStation } from '../stations/station-store.js';
import {
  diagnosticsFile,
  diagnosticsRequestsOf,
  filesOf,
  insertDiagnosticsRequest,
  settleDiagnosticsRequest,
  type DiagnosticsFileRow,
  type DiagnosticsRequestRow,
} from './diagnostics-store.js';
import { randomToken, sendStoredFile } from './file-storage.js';
import { maintenanceOf } from './maintenance-store.js';
import { DIAGNOSTICS_OUTCOMES } from './tables.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const StationId = Type.Object({ id: Type.String() });

const DiagnosticsFile = Type.Object({ id: Type.Integer(), filename: Type.String(), size: Type.Integer(), sha256: Type.String(), receivedAt: DateTime, url: Type.String() });

const DiagnosticsRequest = Type.Object({
  id: Type.Integer(),
  stationId: Type.String(),
  location: Type.String({ description: 'The upload URL handed to the station' }),
  startTime: Nullable(DateTime),
  stopTime: Nullable(DateTime),
  retries: Nullable(Type.Integer()),
  retryInterval: Nullable(Type.Integer()),
  outcome: Type.Enum(DIAGNOSTICS_OUTCOMES),
  detail: Nullable(Type.String()),
  fileName: Nullable(Type.String({ description: 'The name the station announced; null: it has nothing to upload' })),
  status: Nullable(Type.String({ description: 'The station’s latest DiagnosticsStatusNotification about this request' })),
  statusAt: Nullable(DateTime),
  requestedBy: Type.String(),
  requestedAt: DateTime,
  files: Type.Array(DiagnosticsFile),
});

const iso = (at: Date | null) => at?.toISOString() ?? null;

function requestJson(row: DiagnosticsRequestRow, files: DiagnosticsFileRow[]): Static<typeof DiagnosticsRequest> {
  return {
    id: row.id,
    stationId: row.stationId,
    location: row.location,
    startTime: iso(row.startTime),
    stopTime: iso(row.stopTime),
    retries: row.retries,
    retryInterval: row.retryInterval,
    outcome: row.outcome,
    detail: row.detail,
    fileName: row.fileName,
    status: row.status,
    statusAt: iso(row.statusAt),
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    files: files
      .filter((file) => file.requestId === row.id)
      .map((file) => ({
        id: file.id,
        filename: file.filename,
        size: file.size,
        sha256: file.sha256,
        receivedAt: file.receivedAt.toISOString(),
        url: `/api/v1/stations/${encodeURIComponent(row.stationId)}/diagnostics/files/${file.id}`,
      })),
  };
}

export async function diagnosticsRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db } = deps.services;

  async function existing(id: string): Promise<void> {
    if (!(await getStation(db, id))) throw notFound(`No station "${id}"`);
  }

  app.post(
    '/stations/:id/diagnostics',
    {
      schema: {
        tags: ['diagnostics'],
        summary: 'Ask the station to upload its diagnostics to us (GetDiagnostics)',
        params: StationId,
        body: Type.Object(
          {
            startTime: Type.Optional(DateTime),
            stopTime: Type.Optional(DateTime),
            retries: Type.Optional(Type.Integer({ minimum: 0 })),
            retryInterval: Type.Optional(Type.Integer({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: DiagnosticsRequest },
      },
    },
    async (request, reply) => {
      const stationId = request.params.id;
      const body = request.body ?? {};
      await existing(stationId);
      if (!deps.caller.isOnline(stationId)) throw conflict(`Station "${stationId}" is not connected`);
      const requestedBy = request.principal?.name ?? 'api';
      const token = randomToken();
      // Recorded before it is sent: the upload and its status notifications may come before the answer is handled.
      const row = await insertDiagnosticsRequest(db, {
        stationId,
        token,
        location: `${deps.publicUrl()}/diagnostics/${token}/`,
        startTime: body.startTime ? new Date(body.startTime) : null,
        stopTime: body.stopTime ? new Date(body.stopTime) : null,
        retries: body.retries ?? null,
        retryInterval: body.retryInterval ?? null,
        outcome: 'requested',
        requestedBy,
      });
      let fileName: string | undefined;
      try {
        ({ fileName } = await sendCommand(
          deps.commands,
          stationId,
          'GetDiagnostics',
          {
            location: row.location,
            ...(body.startTime !== undefined ? { startTime: body.startTime } : {}),
            ...(body.stopTime !== undefined ? { stopTime: body.stopTime } : {}),
            ...(body.retries !== undefined ? { retries: body.retries } : {}),
            ...(body.retryInterval !== undefined ? { retryInterval: body.retryInterval } : {}),
          },
          { requestedBy },
        ));
      } catch (error) {
        await settleDiagnosticsRequest(db, row.id, { outcome: 'failed', detail: error instanceof Error ? error.message : String(error), fileName: null });
        throw commandProblem(error, stationId, 'GetDiagnostics') ?? error;
      }
      const settled = await settleDiagnosticsRequest(db, row.id, {
        outcome: 'sent',
        detail: fileName === undefined ? 'The station has no diagnostics to upload' : null,
        fileName: fileName ?? null,
      });
      return reply.code(201).send(requestJson(settled, await filesOf(db, [row.id])));
    },
  );

  app.get(
    '/stations/:id/diagnostics',
    {
      schema: {
        tags: ['diagnostics'],
        summary: 'Diagnostics requests, newest first, with the files the station uploaded',
        params: StationId,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }) }),
        response: { 200: Type.Array(DiagnosticsRequest) },
      },
    },
    async (request) => {
      await existing(request.params.id);
      const rows = await diagnosticsRequestsOf(db, request.params.id, request.query.limit);
      const files = await filesOf(db, rows.map((row) => row.id));
      return rows.map((row) => requestJson(row, files));
    },
  );

  app.get(
    '/stations/:id/diagnostics/files/:fileId',
    {
      schema: {
        tags: ['diagnostics'],
        summary: 'Download an uploaded diagnostics file',
        params: Type.Object({ id: Type.String(), fileId: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (request, reply) => {
      const file = await diagnosticsFile(db, request.params.id, request.params.fileId);
      const opened = file ? await deps.files.open(file.storedAs) : undefined;
      if (!file || !opened) throw notFound(`No diagnostics file ${request.params.fileId} of station "${request.params.id}"`);
      return sendStoredFile(reply, opened, file.filename);
    },
  );

  app.get(
    '/stations/:id/maintenance',
    {
      schema: {
        tags: ['diagnostics'],
        summary: 'Current firmware and diagnostics status of the station, with the request each belongs to',
        params: StationId,
        response: {
          200: Type.Object({
            firmware: Type.Object({ status: Nullable(Type.String()), statusAt: Nullable(DateTime), update: Nullable(FirmwareUpdate) }),
            diagnostics: Type.Object({ status: Nullable(Type.String()), statusAt: Nullable(DateTime), request: Nullable(DiagnosticsRequest) }),
          }),
        },
      },
    },
    async (request) => {
      const stationId = request.params.id;
      await existing(stationId);
      const [state, update, [latest]] = await Promise.all([maintenanceOf(db, stationId), latestFirmwareUpdate(db, stationId), diagnosticsRequestsOf(db, stationId, 1)]);
      return {
        firmware: { status: state?.firmwareStatus ?? null, statusAt: iso(state?.firmwareStatusAt ?? null), update: update ? firmwareUpdateJson(update) : null },
        diagnostics: {
          status: state?.diagnosticsStatus ?? null,
          statusAt: iso(state?.diagnosticsStatusAt ?? null),
          request: latest ? requestJson(latest, await filesOf(db, [latest.id])) : null,
        },
      };
    },
  );
}

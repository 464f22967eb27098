// Where stations upload diagnostics: the location of each GetDiagnostics is
// {PUBLIC_URL}/diagnostics/{token}/, and chargers differ in how they use it, so all of these are
// taken: PUT or POST of the file as the body, to that URL or with the file name appended, and a
// multipart form upload (the first file part). No API key (a charger cannot send one); the
// random token is the secret, and it is good for UPLOAD_WINDOW_MS after the request.

import multipart from '@fastify/multipart';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { ApiProblem, badRequest, notFound } from '../../api/problem.js';
import { diagnosticsRequestByToken, insertDiagnosticsFile } from './diagnostics-store.js';
import { FileTooLargeError, randomToken, safeFileName } from './file-storage.js';

const MAX_DIAGNOSTICS_BYTES = 256 * 1024 * 1024;
const UPLOAD_WINDOW_MS = 7 * 86_400_000;

/** The file name of a Content-Disposition header, if it names one. */
function dispositionName(header: string | undefined): string | undefined {
  return header?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i)?.[1];
}

export async function diagnosticsUploadRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps.services;
  app.removeAllContentTypeParsers();
  await app.register(multipart, { limits: { fileSize: MAX_DIAGNOSTICS_BYTES, files: 1 } });
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  async function receive(request: FastifyRequest<{ Params: { token: string; filename?: string } }>) {
    const target = await diagnosticsRequestByToken(db, request.params.token);
    if (!target || clock.now().getTime() - target.requestedAt.getTime() > UPLOAD_WINDOW_MS) throw notFound('No such upload location');
    let body: Readable;
    let given: string | undefined;
    if (request.isMultipart()) {
      const part = await request.file();
      if (!part) throw badRequest('The form holds no file');
      body = part.file;
      given = part.filename;
    } else {
      body = request.body as Readable;
      given = request.params.filename ?? dispositionName(request.headers['content-disposition']);
    }
    const filename = safeFileName(given ?? target.fileName ?? undefined, `${target.stationId}-diagnostics`);
    let saved;
    try {
      saved = await deps.files.save(`diagnostics/${target.id}/${randomToken().slice(0, 8)}-${filename}`, body, MAX_DIAGNOSTICS_BYTES);
    } catch (error) {
      const tooLarge = error instanceof FileTooLargeError || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE';
      if (tooLarge) throw new ApiProblem(413, 'Payload Too Large', `Diagnostics files may have at most ${MAX_DIAGNOSTICS_BYTES} bytes`);
      throw error;
    }
    const file = await insertDiagnosticsFile(db, { requestId: target.id, stationId: target.stationId, filename, size: saved.size, sha256: saved.sha256, storedAs: saved.storedAs });
    return { id: file.id, filename, size: saved.size, sha256: saved.sha256 };
  }

  for (const url of ['/diagnostics/:token', '/diagnostics/:token/', '/diagnostics/:token/:filename']) {
    app.route<{ Params: { token: string; filename?: string } }>({
      method: ['PUT', 'POST'],
      url,
      schema: { hide: true },
      handler: async (request, reply) => reply.code(201).send(await receive(request)),
    });
  }
}

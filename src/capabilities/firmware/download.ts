// GET /firmware/{token}/{filename}: where stations fetch firmware. No API key (a charger cannot
// send one); the random token in the URL is the secret. Each completed download is counted.

import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { notFound } from '../../api/problem.js';
import { sendStoredFile } from '../diagnostics/file-storage.js';
import { firmwareFileByToken, noteDownload } from './firmware-store.js';

export async function firmwareDownloadRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock, log } = deps.services;
  app.get<{ Params: { token: string; filename: string } }>('/firmware/:token/:filename', { schema: { hide: true } }, async (request, reply) => {
    const file = await firmwareFileByToken(db, request.params.token);
    const opened = file && file.filename === request.params.filename ? await deps.files.open(file.storedAs) : undefined;
    if (!file || !opened) throw notFound('No such firmware file');
    reply.raw.once('finish', () => {
      noteDownload(db, file.id, clock.now()).catch((error: unknown) => log.warn({ err: error }, 'firmware download not counted'));
    });
    return sendStoredFile(reply, opened, file.filename);
  });
}

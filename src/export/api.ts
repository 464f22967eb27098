// GET /api/v1/exports/archive streams the full export; POST /api/v1/imports/archive reads one
// into an empty instance. Both for the platform tenant's administrators only: the archive is the
// whole database, every tenant's data included.

import { PassThrough, type Readable } from 'node:stream';
import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../api/http-api.js';
import { badRequest, conflict } from '../api/problem.js';
import { requirePlatformTenant } from '../api/tenant-scope.js';
import { InvalidArchiveError } from './archive-format.js';
import { writeArchive } from './export-archive.js';
import { InstanceNotEmptyError, importArchive } from './import-archive.js';

/** What an upload of the archive may be labelled as. */
const ARCHIVE_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream'];

/** Route option: only admins and owners (the archive holds everything, password hashes included). */
const admin = { minRole: 'admin' as const };

const fileTime = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export async function exportRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock, log } = deps.services;

  app.get(
    '/exports/archive',
    {
      config: admin,
      schema: {
        tags: ['export'],
        summary: 'Every entity of this instance as one .tar.gz archive (format: docs/export-format.md), streamed',
        querystring: Type.Object({
          messageLog: Type.Boolean({ default: false, description: 'Include the raw OCPP message log (large)' }),
        }),
        produces: ['application/gzip'],
      },
    },
    async (request, reply) => {
      requirePlatformTenant(request, 'export the whole database');
      const body = new PassThrough();
      writeArchive(db, body, { includeMessageLog: request.query.messageLog, clock }).catch((error: unknown) =>
        log.warn({ err: error }, 'export ended early (client gone or database failure); the archive was cut off'),
      );
      return reply
        .type('application/gzip')
        .header('content-disposition', `attachment; filename="csms-export-${fileTime(clock.now())}.tar.gz"`)
        .send(body);
    },
  );

  // The upload is handed to the import as a stream, never held whole in memory: only this
  // route gets the pass-through body parser.
  await app.register(async (scope) => {
    scope.addContentTypeParser(ARCHIVE_TYPES, (_request, payload, done) => done(null, payload));
    scope.post(
      '/imports/archive',
      {
        config: admin,
        schema: {
          tags: ['export'],
          summary: 'Imports an archive from GET /exports/archive into this instance, which must hold no data yet; all or nothing',
          consumes: ARCHIVE_TYPES,
        },
      },
      async (request) => {
        try {
          requirePlatformTenant(request, 'import a whole database');
        } catch (refusal) {
          (request.body as Partial<Readable> | undefined)?.resume?.(); // the refused upload is read and dropped
          throw refusal;
        }
        if (typeof (request.body as Partial<Readable> | undefined)?.pipe !== 'function') throw badRequest(`Send the archive as the request body, with Content-Type ${ARCHIVE_TYPES[0]}`);
        try {
          return { imported: await importArchive(db, request.body as Readable) };
        } catch (error) {
          if (error instanceof InvalidArchiveError) throw badRequest(`Nothing was imported: ${error.message}`);
          if (error instanceof InstanceNotEmptyError) throw conflict(error.message, { tables: error.tables });
          throw error;
        }
      },
    );
  });
}

// Files the backend keeps on disk: firmware for stations to download and diagnostics they
// upload. Under DATA_DIR/files; with an in-memory database (tests) in a temporary folder that
// goes away on close. A file is written under a temporary name and renamed once complete, with
// its size and SHA-256 taken on the way.

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { pipeline } from 'node:stream/promises';

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

export interface SavedFile {
  /** Path below the storage root, with "/" separators. */
  storedAs: string;
  size: number;
  sha256: string;
}

export interface FileStorage {
  save(storedAs: string, body: Readable, maxBytes: number): Promise<SavedFile>;
  open(storedAs: string): Promise<{ stream: Readable; size: number } | undefined>;
  close(): Promise<void>;
}

/** A file name a station or operator gave, reduced to something safe on any disk and in a URL. */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(-200);
  return cleaned.length > 0 ? cleaned : fallback;
}

export const randomToken = () => randomBytes(24).toString('base64url');

export async function openFileStorage(dataDir: string): Promise<FileStorage> {
  const temporary = dataDir.startsWith('memory://');
  const root = temporary ? await mkdtemp(join(tmpdir(), 'ocpp-files-')) : resolve(dataDir, 'files');
  await mkdir(root, { recursive: true });
  const inside = (storedAs: string) => {
    const path = resolve(root, storedAs);
    if (!path.startsWith(root + sep)) throw new Error(`"${storedAs}" is outside the file storage`);
    return path;
  };
  return {
    async save(storedAs, body, maxBytes) {
      const path = inside(storedAs);
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.${randomToken()}.part`;
      const hash = createHash('sha256');
      let size = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (size > maxBytes) return done(new FileTooLargeError(maxBytes));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, measure, createWriteStream(partial));
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { storedAs, size, sha256: hash.digest('hex') };
    },
    async open(storedAs) {
      const path = inside(storedAs);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      return { stream: createReadStream(path), size: info.size };
    },
    async close() {
      if (temporary) await rm(root, { recursive: true, force: true });
    },
  };
}

/** Answers with a stored file as a download. */
export function sendStoredFile(reply: FastifyReply, opened: { stream: Readable; size: number }, filename: string): FastifyReply {
  return reply
    .type('application/octet-stream')
    .header('content-length', opened.size)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(opened.stream);
}

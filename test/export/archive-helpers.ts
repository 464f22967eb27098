// Helpers for the export tests: download and upload archives over real HTTP, open and rebuild
// them (to corrupt one on purpose), and read every listing of the API as the OpenAPI document
// describes it.

import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { TEST_API_KEY, type TestServer } from '../support/test-server.js';

export async function downloadArchive(server: TestServer, query = '?messageLog=true'): Promise<Buffer> {
  const response = await fetch(`${server.url}/api/v1/exports/archive${query}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

export async function uploadArchive(server: TestServer, archive: Buffer, contentType = 'application/gzip'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/api/v1/imports/archive`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': contentType },
    body: archive,
  });
  return { status: response.status, body: await response.json() };
}

/** The archive's files in their order: [name, content]. */
export async function openArchive(archive: Buffer): Promise<[string, Buffer][]> {
  const files: [string, Buffer][] = [];
  const extract = tar.extract();
  const reading = pipeline(Readable.from([archive]), createGunzip(), extract);
  for await (const entry of extract) files.push([entry.header.name, await buffer(entry as unknown as Readable)]);
  await reading;
  return files;
}

export async function buildArchive(files: [string, Buffer | string][]): Promise<Buffer> {
  const pack = tar.pack();
  const done = buffer(pack as unknown as Readable);
  for (const [name, content] of files) pack.entry({ name }, Buffer.from(content));
  pack.finalize();
  return gzipSync(await done);
}

/** Rebuilds the archive with each file passed through `change` (undefined drops the file). */
export async function alterArchive(archive: Buffer, change: (name: string, content: string) => string | undefined): Promise<Buffer> {
  const files = await openArchive(archive);
  return buildArchive(files.flatMap(([name, content]): [string, string][] => {
    const changed = change(name, content.toString('utf8'));
    return changed === undefined ? [] : [[name, changed]];
  }));
}

/** Listings that cannot be compared between two instances, and why. */
const NOT_COMPARED: Record<string, string> = {
  '/api/v1/events/stream': 'a Server-Sent Events stream that never ends',
  '/api/v1/exports/archive': 'carries its own export time; the tests compare archives file by file instead',
  '/api/v1/sites/{id}/load': 'the running instance’s live allocation (in memory); the decisions behind it are compared through the load history',
  '/api/v1/stations/{id}/diagnostics/files/{fileId}': 'the uploaded diagnostics files stay on disk (DATA_DIR/files); the archive holds their records only',
  '/api/v1/users': "the instance's own dashboard accounts, not exported",
  '/api/v1/api-keys': "the instance's own API keys, not exported",
  '/api/v1/audit-log': "the instance's own record of its users' and keys' actions, not exported",
  '/api/v1/security/ca-certificate': "each instance's own certificate authority (DATA_DIR/ca), not in the archive",
};

/** GET paths of the API as templates (e.g. /api/v1/stations/{id}), from the OpenAPI document. */
async function listingTemplates(server: TestServer): Promise<string[]> {
  const { body } = await server.api('GET', '/api/openapi.json');
  return Object.entries(body.paths as Record<string, Record<string, unknown>>)
    .filter(([path, operations]) => 'get' in operations && path.startsWith('/api/v1/') && !path.startsWith('/api/v1/auth/') && !(path in NOT_COMPARED))
    .map(([path]) => path)
    .sort();
}

/** Where a listing names its items' key differently from the path parameter. */
const KEY_FIELDS: Record<string, string> = {
  '/api/v1/invoice-customers/{idTag}': 'customer',
};

/**
 * Every concrete path of a template: each {param} takes the values of the listing just before
 * it (/api/v1/stations/{id}/commands: the `id` of every item of /api/v1/stations).
 */
async function concretePaths(server: TestServer, template: string): Promise<string[]> {
  const match = /\/\{([^}]+)\}/.exec(template);
  if (!match) return [template];
  const prefix = template.slice(0, match.index);
  const rest = template.slice(match.index + match[0].length);
  const paths: string[] = [];
  for (const parent of await concretePaths(server, prefix)) {
    const listing = await server.api('GET', parent);
    if (!Array.isArray(listing.body)) throw new Error(`${template}: ${parent} is not a listing to take {${match[1]}} from`);
    for (const item of listing.body) {
      const value = item[KEY_FIELDS[template.slice(0, match.index + match[0].length)] ?? match[1]!] ?? item.id;
      if (value === undefined) throw new Error(`${template}: the items of ${parent} have no ${match[1]} or id`);
      paths.push(...(await concretePaths(server, `${parent}/${encodeURIComponent(String(value))}${rest}`)));
    }
  }
  return paths;
}

/** Every listing and detail path of the API, with the ids `server` holds. */
export async function everyListingPath(server: TestServer): Promise<string[]> {
  const paths: string[] = [];
  for (const template of await listingTemplates(server)) paths.push(...(await concretePaths(server, template)));
  return paths;
}

/**
 * What a rendering stamps from the moment it is rendered rather than from the data: a PDF's
 * creation date and the file identifier derived from it. Blanked before comparing.
 */
function withoutRenderStamps(path: string, body: unknown): unknown {
  if (!path.endsWith('.pdf') || typeof body !== 'string') return body;
  return body.replace(/\(D:\d{14}[^)]*\)/g, '(D:...)').replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/g, '/ID [...]');
}

/** path → [status, body] as `server` answers them. */
export async function readAll(server: TestServer, paths: string[]): Promise<Record<string, [number, unknown]>> {
  const answers: Record<string, [number, unknown]> = {};
  for (const path of paths) {
    const { status, body } = await server.api('GET', path);
    answers[path] = [status, withoutRenderStamps(path, body)];
  }
  return answers;
}

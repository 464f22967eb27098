// Serves the dashboard (web/, built by `npm run build` into dist/web) at / on the API's port.
// Every file of the build gets its own route; any other GET that is not under /api, /ocpp,
// /healthz or /metrics and does not name a file gets index.html, so the app's own paths
// (/stations/CP-1, ...) survive a reload. A checkout that was never built says so instead.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from '../api/http-api.js';

/** src/dashboard and dist/dashboard both sit two levels below the project root. */
export const DASHBOARD_BUILD = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const RESERVED_PREFIXES = ['/api', '/ocpp', '/healthz', '/metrics'];

// The app loads only its own scripts and styles and talks only to this origin.
const HTML_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-cache',
};

/** A path the dashboard's index.html answers (an app route, not an API route and not a file). */
export function isAppPath(url: string): boolean {
  const path = url.split('?')[0] ?? '/';
  if (RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !/\.[a-z0-9]+$/i.test(last);
}

export type AppFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/** Registers the build's files; returns the not-found fallback that answers app paths. */
export async function serveDashboard(app: ApiApp, buildDir = DASHBOARD_BUILD): Promise<AppFallback> {
  const built = existsSync(join(buildDir, 'index.html'));
  const assetsDir = join(buildDir, 'assets');
  if (built) {
    await app.register(fastifyStatic, {
      root: buildDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      setHeaders(response, path) {
        // Vite puts a content hash into every asset's name, so an asset never changes.
        if (path.startsWith(assetsDir)) response.header('cache-control', 'public, max-age=31536000, immutable');
        else for (const [name, value] of Object.entries(HTML_HEADERS)) response.header(name, value);
      },
    });
  }
  return (request, reply) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !isAppPath(request.url)) return undefined;
    if (!built) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The dashboard is not built in this checkout: run `npm run build` (npm install does it), then restart.\n');
    }
    return reply.headers(HTML_HEADERS).sendFile('index.html');
  };
}

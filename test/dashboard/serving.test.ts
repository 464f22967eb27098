// The dashboard on the API's port: index.html at / and at every app path (reloads work), hashed
// assets cached for good, and nothing of the app's fallback under /api, /ocpp, /healthz, /metrics.

import { readdirSync } from 'node:fs';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../src/api/http-api.js';
import { DASHBOARD_BUILD, serveDashboard } from '../../src/dashboard/serve-dashboard.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const get = (path: string, accept = 'text/html') => fetch(`${server.url}${path}`, { headers: { accept } });

describe('serving the dashboard', () => {
  it('answers / and the app’s own paths with index.html and a strict content security policy', async () => {
    for (const path of ['/', '/stations', '/stations/CP%201%231', '/sessions/12?x=1', '/id-tags']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<div id="app">');
    }
  });

  it('serves the hashed assets with a long cache lifetime', async () => {
    const script = readdirSync(`${DASHBOARD_BUILD}/assets`).find((name) => name.endsWith('.js'));
    expect(script, 'run npm run build:web first').toBeDefined();
    const response = await get(`/assets/${script}`, '*/*');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('leaves /api, /ocpp, /healthz, /metrics and missing files to their own answers', async () => {
    for (const path of ['/api/v1/nothing-here', '/api', '/ocpp/CP-1', '/assets/missing.js', '/favicon.ico']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toContain('application/problem+json');
    }
    expect((await get('/healthz')).headers.get('content-type')).toContain('application/json');
    expect(await (await get('/metrics')).text()).toContain('ocpp_stations_connected');
    const post = await fetch(`${server.url}/stations`, { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('says how to build the dashboard when a checkout has no build', async () => {
    const app = Fastify() as unknown as ApiApp;
    const fallback = await serveDashboard(app, '/nonexistent/dashboard/build');
    app.setNotFoundHandler((request, reply) => fallback(request, reply) ?? reply.code(404).send());
    const response = await app.inject({ method: 'GET', url: '/stations' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
    expect((await app.inject({ method: 'GET', url: '/api/v1/stations' })).statusCode).toBe(404);
    await app.close();
  });
});

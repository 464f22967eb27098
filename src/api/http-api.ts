// The HTTP side of the one port (and of the TLS port): JSON API under /api/v1 (bearer keys or
// the dashboard's session cookie, a role check on every route, an audit entry for every change),
// its OpenAPI document, /healthz, /metrics and the dashboard at /. Each capability contributes
// its own routes; this file only frames them.

import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Services } from '../capabilities/handler-context.js';
import type { StationCaller } from '../gateway/station-caller.js';
import type { StationRegistry } from '../gateway/station-registry.js';
import type { Metrics } from '../observability/metrics.js';
import type { Storage } from '../storage/database.js';
import { createApiAuth, SESSION_COOKIE } from './bearer-auth.js';
import { ApiProblem, sendProblem } from './problem.js';
import { siteRoutes } from '../capabilities/sites/api.js';
import { stationRoutes } from '../capabilities/stations/api.js';
import { idTagRoutes } from '../capabilities/authorization/api.js';
import { sessionRoutes } from '../capabilities/transactions/api.js';
import { billingRoutes } from '../capabilities/billing/api.js';
import { sessionCsvRoutes } from '../capabilities/billing/sessions-csv.js';
import { commandRoutes } from '../capabilities/commands/api.js';
import { invoiceRoutes } from '../capabilities/invoicing/api.js';
import { reportRoutes } from '../capabilities/reports/api.js';
import type { CommandDeps } from '../capabilities/commands/send-command.js';
import { loadRoutes } from '../capabilities/load-management/api.js';
import type { LoadManager } from '../capabilities/load-management/load-service.js';
import { messageLogRoutes } from '../capabilities/message-log/api.js';
import type { MessageLogWriter } from '../capabilities/message-log/message-log.js';
import { authRoutes } from '../capabilities/security/auth-api.js';
import { apiKeyRoutes } from '../capabilities/security/api-keys-api.js';
import { auditHook } from '../capabilities/security/audit-log.js';
import type { SecurityServices } from '../capabilities/security/security-services.js';
import { stationSecurityRoutes } from '../capabilities/security/station-security-api.js';
import { userRoutes } from '../capabilities/security/users-api.js';
import { documentRouteRole, enforceRouteRole } from './access.js';
import { declareRouteOwnership, enforceOwnership } from './tenant-scope.js';
import { tenantRoutes } from '../capabilities/tenants/api.js';
import { configurationRoutes } from '../capabilities/configuration/api.js';
import { reservationRoutes } from '../capabilities/reservations/api.js';
import { firmwareRoutes } from '../capabilities/firmware/api.js';
import { firmwareDownloadRoutes } from '../capabilities/firmware/download.js';
import { diagnosticsRoutes } from '../capabilities/diagnostics/api.js';
import { diagnosticsUploadRoutes } from '../capabilities/diagnostics/upload.js';
import type { FileStorage } from '../capabilities/diagnostics/file-storage.js';
import { liveFeedRoutes } from '../dashboard/live-feed.js';
import { overviewRoutes } from '../dashboard/overview-api.js';
import { serveDashboard } from '../dashboard/serve-dashboard.js';
import { exportRoutes } from '../export/api.js';

export interface ApiDeps {
  services: Services;
  storage: Storage;
  registry: StationRegistry;
  caller: StationCaller;
  /** What sendCommand needs: every command from the API goes through it and is recorded. */
  commands: CommandDeps;
  messageLog: MessageLogWriter;
  metrics: Metrics;
  security: SecurityServices;
  /** Load management's decisions (for the sites' live load). */
  load: LoadManager;
  /** Hosted firmware and uploaded diagnostics. */
  files: FileStorage;
  /** The base URL stations reach us at (PUBLIC_URL, or http://host:port once listening). */
  publicUrl: () => string;
}

export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Text of the first validation error, naming the field (e.g. "body/idTag must NOT have more than 20 characters"). */
function validationDetail(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const field =
    first.keyword === 'required'
      ? `${first.instancePath}/${String((first.params as Record<string, unknown>)['missingProperty'])}`
      : first.keyword === 'additionalProperties'
        ? `${first.instancePath}/${String((first.params as Record<string, unknown>)['additionalProperty'])}`
        : first.instancePath;
  return `${error.validationContext ?? 'request'}${field} ${first.keyword === 'additionalProperties' ? 'is not a known field' : first.message ?? 'is invalid'}`;
}

export async function createHttpApi(deps: ApiDeps): Promise<ApiApp> {
  const { services } = deps;
  const app = Fastify({
    loggerInstance: services.log.child({ component: 'http' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 10 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as ApiApp;

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OCPP central system API',
        version: '1',
        description: 'Stations, id tags and charging sessions of a vendor-neutral OCPP 1.6-J central system.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          // The dashboard's log-in (POST /api/v1/auth/login); state-changing requests also need X-CSRF-Token.
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiProblem) return sendProblem(reply, error);
    if (error.validation) {
      return sendProblem(reply, new ApiProblem(400, 'Bad Request', validationDetail(error), { field: error.validation[0]?.instancePath }));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, new ApiProblem(error.statusCode, 'Bad Request', error.message));
    }
    request.log.error({ err: error, url: request.url }, 'API request failed');
    return sendProblem(reply, new ApiProblem(500, 'Internal Server Error', 'The request failed on our side; it is logged'));
  });
  await app.register(cookie);
  const dashboardFallback = await serveDashboard(app);
  app.setNotFoundHandler(
    (request, reply) =>
      dashboardFallback(request, reply) ??
      sendProblem(reply, new ApiProblem(404, 'Not Found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await deps.storage.ping();
      return { status: 'ok', database: deps.storage.engine, stationsConnected: deps.registry.size };
    } catch {
      return sendProblem(reply, new ApiProblem(503, 'Service Unavailable', 'The database does not answer'));
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const authenticate = createApiAuth(services.db, services.clock, services.events);
  await app.register(async (auth) => authRoutes(auth as ApiApp, deps), { prefix: '/api/v1/auth' });
  // Stations fetch firmware and upload diagnostics without an API key: the URL's token is the secret.
  await app.register(async (open) => firmwareDownloadRoutes(open as ApiApp, deps));
  await app.register(async (open) => diagnosticsUploadRoutes(open as ApiApp, deps));
  await app.register(
    async (v1) => {
      v1.addHook('onRoute', documentRouteRole);
      v1.addHook('onRoute', declareRouteOwnership);
      v1.addHook('onRequest', authenticate);
      v1.addHook('onRequest', enforceRouteRole);
      v1.addHook('preValidation', enforceOwnership(services.db));
      v1.addHook('onSend', auditHook(services.db, services.clock, services.log));
      await stationRoutes(v1 as ApiApp, deps);
      await siteRoutes(v1 as ApiApp, deps);
      await loadRoutes(v1 as ApiApp, deps, deps.load);
      await idTagRoutes(v1 as ApiApp, deps);
      await sessionRoutes(v1 as ApiApp, deps);
      await billingRoutes(v1 as ApiApp, deps);
      await sessionCsvRoutes(v1 as ApiApp, deps);
      await commandRoutes(v1 as ApiApp, deps);
      await invoiceRoutes(v1 as ApiApp, deps);
      await reportRoutes(v1 as ApiApp, deps);
      await messageLogRoutes(v1 as ApiApp, deps);
      await configurationRoutes(v1 as ApiApp, deps);
      await reservationRoutes(v1 as ApiApp, deps);
      await firmwareRoutes(v1 as ApiApp, deps);
      await diagnosticsRoutes(v1 as ApiApp, deps);
      await overviewRoutes(v1 as ApiApp, deps);
      await exportRoutes(v1 as ApiApp, deps);
      await liveFeedRoutes(v1 as ApiApp, deps, { reauthenticate: authenticate });
      await userRoutes(v1 as ApiApp, deps);
      await apiKeyRoutes(v1 as ApiApp, deps);
      await stationSecurityRoutes(v1 as ApiApp, deps);
      await tenantRoutes(v1 as ApiApp, deps);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

// Composition root: storage → services → HTTP API, dashboard and OCPP gateway on one port, and
// the same behind TLS on TLS_PORT (wss://, https://; security profiles 2 and 3) → background jobs. Tests start it in-process; main.ts starts it from the environment.

import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { createHttpApi, type ApiApp } from './api/http-api.js';
import { startLocalListSync } from './capabilities/authorization/local-list/sync-service.js';
import { startLoadManagement } from './capabilities/load-management/load-service.js';
import { pruneSnapshots } from './capabilities/load-management/load-store.js';
import { listSites } from './capabilities/sites/site-store.js';
import { startRating } from './capabilities/billing/rating-service.js';
import { ensureAdminKey } from './capabilities/security/api-keys.js';
import { openSecurity, type SecurityServices } from './capabilities/security/security-services.js';
import { pruneUserSessions } from './capabilities/security/user-sessions.js';
import { ensureAdminUser, type GeneratedAdmin } from './capabilities/security/users.js';
import type { Services } from './capabilities/handler-context.js';
import { finalizeAbandonedSessions } from './capabilities/transactions/abandoned-sessions.js';
import { ensureInvoiceImmutability } from './capabilities/invoicing/immutability.js';
import { startInvoicing } from './capabilities/invoicing/service.js';
import { singleNode } from './cluster/coordination.js';
import type { Cluster } from './cluster/start-cluster.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createEventBus } from './events.js';
import { attachOcppGateway } from './gateway/ocpp-gateway.js';
import { createLocalStationCaller, type StationCaller } from './gateway/station-caller.js';
import { createStationRegistry, type StationRegistry } from './gateway/station-registry.js';
import { createLogger, type Logger } from './logger.js';
import type { CommandDeps } from './capabilities/commands/send-command.js';
import { createMessageLogWriter, pruneMessages } from './capabilities/message-log/message-log.js';
import { LIVE_FEED_EVENTS } from './dashboard/live-feed.js';
import { Gauge } from 'prom-client';
import { createMetrics } from './observability/metrics.js';
import { keepConfiguration, startConfigurationReads } from './capabilities/configuration/configuration-service.js';
import { expireReservations, startReservationUse } from './capabilities/reservations/reservation-service.js';
import { openFileStorage } from './capabilities/diagnostics/file-storage.js';
import { startJobs } from './scheduler.js';
import { openStorage, type Storage } from './storage/database.js';

export interface RunningServer {
  port: number;
  /** http://host:port of the API; stations connect to ws://host:port/ocpp/{id}. */
  url: string;
  tlsPort: number;
  /** https://host:tlsPort; stations of security profiles 2 and 3 connect to wss://host:tlsPort/ocpp/{id}. */
  tlsUrl: string;
  security: SecurityServices;
  services: Services;
  storage: Storage;
  registry: StationRegistry;
  caller: StationCaller;
  /** This node's id in a cluster (REDIS_URL set); undefined on a single node. */
  nodeId: string | undefined;
  app: ApiApp;
  /** Set on the first start without BOOTSTRAP_API_KEY: the admin key, to be shown once. */
  generatedApiKey: string | undefined;
  /** Set when the dashboard administrator was created without ADMIN_PASSWORD: to be shown once. */
  generatedAdmin: GeneratedAdmin | undefined;
  close(): Promise<void>;
}

export interface ServerOptions {
  log?: Logger;
  clock?: Clock;
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  let cluster: Cluster | undefined;
  try {
    const events = createEventBus(log);
    const metrics = createMetrics();
    let registry = createStationRegistry();
    let caller = createLocalStationCaller(registry, metrics);
    if (config.cluster) {
      // Loaded only in cluster mode: a single node runs no Redis code at all.
      const { startCluster } = await import('./cluster/start-cluster.js');
      cluster = await startCluster(config.cluster, {
        events,
        bridged: new Set([...LIVE_FEED_EVENTS, 'station.updated', 'station.handed-over', 'site.changed', 'api-key.revoked']),
        registry,
        caller,
        callTimeoutMs: config.ocpp.callTimeoutSec * 1000,
        log,
      });
      ({ registry, caller } = cluster);
    }
    const coordination = cluster?.coordination ?? singleNode;
    const services: Services = { db: storage.db, clock: options.clock ?? systemClock, events, config, log, coordination };
    const generatedApiKey = await ensureAdminKey(storage.db, config.bootstrapApiKey);
    const generatedAdmin = await ensureAdminUser(storage.db, { email: config.adminEmail, password: config.adminPassword });
    const commands: CommandDeps = { db: storage.db, caller, clock: services.clock, log, observers: [keepConfiguration(storage.db)] };
    const localLists = startLocalListSync(services, commands);
    const load = startLoadManagement(services, commands, {
      isLeader: (siteId) => coordination.leaderFor(`site:${siteId}`),
      ...(config.cluster ? { recheckMs: config.cluster.nodeTtlSec * 1000 } : {}),
    });
    const stopRating = startRating(services);
    await ensureInvoiceImmutability(storage.db);
    const invoicing = startInvoicing(services);
    const configurationReads = startConfigurationReads(services, commands);
    const stopReservationUse = startReservationUse(services);
    const files = await openFileStorage(config.dataDir);
    let publicUrl = config.publicUrl ?? '';
    const messageLog = createMessageLogWriter(storage.db, log);
    // The writer owns the count; the gauge reads it at each scrape.
    new Gauge({
      name: 'ocpp_message_log_dropped_frames',
      help: 'Frames the message log dropped because the database fell far behind (it never slows an answer)',
      registers: [metrics.registry],
      collect() {
        this.set(messageLog.dropped);
      },
    });
    const logFrames = config.ocpp.messageLogRetentionDays > 0;
    const security = await openSecurity(services, commands);
    const app = await createHttpApi({ services, storage, registry, caller, commands, messageLog, metrics, load, files, publicUrl: () => publicUrl, security });
    const tlsServer = createHttpsServer(security.tlsOptions, (request, response) => app.routing(request, response));
    const gateway = attachOcppGateway(
      [app.server, tlsServer],
      services,
      registry,
      metrics,
      security.admission,
      logFrames
        ? (stationId, frame, at) => {
            messageLog.record(stationId, frame, at);
            services.events.emit('message.logged', { stationId, direction: frame.direction, action: frame.action ?? null, at });
          }
        : undefined,
    );
    await app.listen({ port: config.port, host: config.host });
    await new Promise<void>((resolve, reject) => {
      tlsServer.once('error', reject);
      tlsServer.listen(config.tlsPort, config.host, () => {
        tlsServer.off('error', reject);
        resolve();
      });
    });
    const jobs = startJobs(
      [
        { name: 'abandoned-sessions', everyMs: 60_000, run: () => finalizeAbandonedSessions(services) },
        { name: 'local-list-sync', everyMs: 600_000, run: () => localLists.sweep() },
        {
          name: 'message-log-retention',
          everyMs: 3_600_000,
          run: () => pruneMessages(storage.db, new Date(services.clock.now().getTime() - config.ocpp.messageLogRetentionDays * 86_400_000)),
        },
        // Lease renewals and stale building-load reports need no event to be noticed.
        { name: 'load-reallocation', everyMs: 60_000, run: async () => load.sweep((await listSites(storage.db)).map((site) => site.id)) },
        {
          name: 'load-history-retention',
          everyMs: 3_600_000,
          run: () => pruneSnapshots(storage.db, new Date(services.clock.now().getTime() - config.load.historyRetentionDays * 86_400_000)),
        },
        { name: 'expired-dashboard-sessions', everyMs: 3_600_000, run: () => pruneUserSessions(storage.db, services.clock.now()) },
        { name: 'certificate-renewal', everyMs: 3_600_000, run: () => security.certificates.requestRenewals() },
        ...invoicing.jobs,
        { name: 'expired-reservations', everyMs: 5_000, run: () => expireReservations(services) },
      ],
      log,
      coordination.claimJob,
    );
    const port = (app.server.address() as AddressInfo).port;
    const tlsPort = (tlsServer.address() as AddressInfo).port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    // Stations are elsewhere: listening on every interface, they reach us by the machine's name.
    const stationHost = config.host === '0.0.0.0' || config.host === '::' ? hostname() : config.host;
    publicUrl ||= `http://${stationHost.includes(':') ? `[${stationHost}]` : stationHost}:${port}`;
    log.info({ port, tlsPort, database: storage.engine }, 'central system listening');
    return {
      port,
      url: `http://${shownHost}:${port}`,
      tlsPort,
      tlsUrl: `https://${shownHost}:${tlsPort}`,
      security,
      services,
      storage,
      registry,
      caller,
      nodeId: cluster?.nodeId,
      app,
      generatedApiKey,
      generatedAdmin,
      async close() {
        await jobs.stop();
        stopRating();
        invoicing.stop();
        const syncs = localLists.stop();
        const allocations = load.stop();
        const reads = configurationReads.stop();
        stopReservationUse();
        await gateway.close(); // the closed links end synchronisations still waiting for a station
        await syncs;
        await allocations;
        await reads;
        await security.certificates.stop();
        tlsServer.closeAllConnections();
        await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
        await app.close();
        await messageLog.close();
        await cluster?.close();
        await storage.close();
        await files.close();
      },
    };
  } catch (error) {
    await cluster?.close().catch(() => undefined);
    await storage.close().catch(() => undefined);
    throw error;
  }
}

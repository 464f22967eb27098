// Accepts stations' WebSocket upgrades on the HTTP server's port and wires each socket to the
// OCPP dispatcher: station id and sub-protocol from the request, the station's security profile
// (Basic auth, TLS, client certificate: security/station-admission.ts), one live socket per station (a reconnect replaces the old one), and a
// keep-alive ping that closes links that stopped answering.

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Services } from '../capabilities/handler-context.js';
import { getStation, stationConnecting, touchLastSeen, type StationRow } from '../capabilities/stations/station-store.js';
import { sessionFromRow } from '../capabilities/stations/station-session.js';
import type { Registration } from '../capabilities/stations/tables.js';
import type { Admission, StationAdmission } from '../capabilities/security/station-admission.js';
import type { Metrics } from '../observability/metrics.js';
import type { Call } from '../protocol/ocpp-j/frames.js';
import { RpcError } from '../protocol/ocpp-j/rpc-error.js';
import { createDispatcher16 } from './dispatch-v16.js';
import { StationConnection, type FrameEvent } from './station-connection.js';
import type { LiveStation, StationRegistry } from './station-registry.js';
import { basicCredentials, chooseProtocol, requestPath, stationIdFromPath, tlsOf, type OcppProtocol } from './upgrade-request.js';

const POLICY_REGISTRATION: Record<Services['config']['unknownStations'], Registration> = {
  accept: 'accepted',
  pending: 'pending',
  reject: 'rejected',
};

/** lastSeenAt is written at most this often while a station talks. */
const LAST_SEEN_WRITE_MS = 60_000;
/** Close code for the older socket when the same station connects again. */
export const CLOSE_REPLACED = 4000;

export interface OcppGateway {
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, title: string, detail: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  const lines = [
    `HTTP/1.1 ${status} ${title}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Receives every frame of every station (the message log). */
export type FrameSink = (stationId: string, frame: FrameEvent, at: Date) => void;

export function attachOcppGateway(
  servers: Server[],
  services: Services,
  registry: StationRegistry,
  metrics: Metrics,
  admission: StationAdmission,
  frameSink?: FrameSink,
): OcppGateway {
  const { config, db, log } = services;
  const dispatch16 = createDispatcher16(services, metrics);
  const framesIn = metrics.frames.labels({ direction: 'in' });
  const framesOut = metrics.frames.labels({ direction: 'out' });
  // One labelled child per action and outcome, looked up once (label hashing per call is costly).
  const callTimers = new Map<string, ReturnType<typeof metrics.inboundCalls.labels>>();
  const callTimer = (action: string, outcome: string) => {
    const key = `${action}\u0000${outcome}`;
    let timer = callTimers.get(key);
    if (!timer) {
      // Unknown actions from a hostile client must not grow the label set without bound.
      const label = callTimers.size < 500 ? action.slice(0, 40) : 'other';
      callTimers.set(key, (timer = metrics.inboundCalls.labels({ action: label, outcome })));
    }
    return timer;
  };
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.ocpp.maxFrameBytes,
    perMessageDeflate: false,
    // The protocol was chosen before the upgrade (see onUpgrade); echo the client's spelling.
    handleProtocols: (_offered, request) => (request as UpgradeRequest).ocppProtocolHeader ?? false,
  });

  type UpgradeRequest = IncomingMessage & { ocppProtocolHeader?: string };

  /** The station's row and whether it may connect (unknown stations are registered by policy). */
  async function admit(stationId: string, request: IncomingMessage): Promise<{ station: StationRow; verdict: Admission }> {
    const station = await stationConnecting(db, stationId, POLICY_REGISTRATION[config.unknownStations], services.clock.now());
    const verdict = await admission.admit(station, { remoteAddress: request.socket.remoteAddress, credentials: basicCredentials(request), ...tlsOf(request) });
    return { station, verdict };
  }

  async function onUpgrade(request: UpgradeRequest, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', (error) => log.debug({ err: error }, 'socket error during upgrade'));
    const path = requestPath(request.url);
    if (path.startsWith('/api/')) {
      metrics.refusedUpgrades.inc({ reason: 'path' });
      return refuse(socket, 404, 'Not Found', 'OCPP stations connect to /ocpp/{stationId}');
    }
    const id = stationIdFromPath(request.url);
    if (!id.ok) {
      metrics.refusedUpgrades.inc({ reason: 'station_id' });
      return refuse(socket, 400, 'Bad Request', id.reason);
    }
    const choice = chooseProtocol(request.headers['sec-websocket-protocol']);
    if (!choice.ok) {
      metrics.refusedUpgrades.inc({ reason: 'protocol' });
      return refuse(socket, 400, 'Bad Request', `Unsupported OCPP sub-protocol ${choice.offered.join(', ')}; this central system speaks ocpp1.6`);
    }
    let admitted: { station: StationRow; verdict: Admission };
    try {
      admitted = await admit(id.stationId, request);
    } catch (error) {
      log.error({ err: error, stationId: id.stationId }, 'station lookup failed during upgrade');
      metrics.refusedUpgrades.inc({ reason: 'unavailable' });
      return refuse(socket, 503, 'Service Unavailable', 'The central system cannot reach its database; retry later');
    }
    const { station, verdict } = admitted;
    if (!verdict.ok) {
      metrics.refusedUpgrades.inc({ reason: verdict.status === 429 ? 'auth_throttled' : verdict.status === 403 ? 'insecure' : 'auth' });
      log.warn({ stationId: id.stationId, remote: request.socket.remoteAddress, reason: verdict.reason }, 'station refused');
      if (verdict.status === 429) {
        return refuse(socket, 429, 'Too Many Requests', verdict.reason, { 'Retry-After': String(verdict.retryAfterSec ?? 60) });
      }
      if (verdict.status === 403) return refuse(socket, 403, 'Forbidden', verdict.reason);
      return refuse(socket, 401, 'Unauthorized', verdict.reason, { 'WWW-Authenticate': 'Basic realm="OCPP", charset="UTF-8"' });
    }
    if (socket.destroyed) return;
    request.ocppProtocolHeader = choice.header;
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, station, choice.protocol, request));
  }

  function onConnection(ws: WebSocket, station: StationRow, protocol: OcppProtocol, request: IncomingMessage): void {
    const stationId = station.id;
    const remoteAddress = request.socket.remoteAddress;
    const connectionLog = log.child({ stationId });
    const session = sessionFromRow(station);
    const entry: LiveStation = {
      connection: undefined as unknown as StationConnection,
      session,
      // A station with credentials gets its lastSeenAt written at its first message (see admit).
      persistedSeenAt: station.passwordHash || station.securityProfile >= 3 ? 0 : Date.now(),
    };

    const handle = async (call: Call): Promise<unknown> => {
      const started = performance.now();
      let outcome = 'ok';
      try {
        return await dispatch16(entry.session, call, connectionLog);
      } catch (error) {
        outcome = error instanceof RpcError ? error.code : 'InternalError';
        throw error;
      } finally {
        callTimer(call.action, outcome).observe((performance.now() - started) / 1000);
        if (Date.now() - entry.persistedSeenAt > LAST_SEEN_WRITE_MS) {
          entry.persistedSeenAt = Date.now();
          touchLastSeen(db, stationId, services.clock.now()).catch((error) => connectionLog.warn({ err: error }, 'could not store lastSeenAt'));
        }
      }
    };

    const connection = new StationConnection(ws, stationId, protocol, remoteAddress, handle, {
      callTimeoutMs: config.ocpp.callTimeoutSec * 1000,
      log: connectionLog,
      onFrame: (frame) => {
        (frame.direction === 'in' ? framesIn : framesOut).inc();
        frameSink?.(stationId, frame, services.clock.now());
      },
    });
    entry.connection = connection;

    const replaced = registry.put(entry);
    if (replaced) {
      connectionLog.info({ previous: replaced.connection.remoteAddress, remote: remoteAddress }, 'station reconnected; closing its older socket');
      replaced.connection.close(CLOSE_REPLACED, 'Replaced by a newer connection');
    }
    metrics.stationsConnected.set(registry.size);
    connectionLog.info({ protocol, remote: remoteAddress }, 'station connected');
    services.events.emit('station.connected', { stationId, protocol, remoteAddress });

    connection.onClose((code, reason) => {
      if (!registry.remove(connection)) return; // an older socket of a station that reconnected
      metrics.stationsConnected.set(registry.size);
      connectionLog.info({ code, reason }, 'station disconnected');
      touchLastSeen(db, stationId, connection.lastSeenAt).catch((error) => connectionLog.warn({ err: error }, 'could not store lastSeenAt'));
      services.events.emit('station.disconnected', { stationId, code, reason });
    });
  }

  const onUpgradeEvent = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(request, socket, head).catch((error) => {
      log.error({ err: error }, 'upgrade failed');
      socket.destroy();
    });
  };
  for (const server of servers) server.on('upgrade', onUpgradeEvent);

  // A row changed through the API (accept, reject, time zone): the live session follows, also
  // when the API call was served by another node of a cluster.
  const unsubscribe = services.events.on(
    'station.updated',
    async ({ stationId }) => {
      const live = registry.get(stationId);
      if (!live) return;
      const row = await getStation(db, stationId);
      if (row) Object.assign(live.session, sessionFromRow(row));
    },
    { remote: true },
  );

  const keepAlive =
    config.ocpp.pingIntervalSec > 0
      ? setInterval(() => {
          for (const { connection } of registry.all()) {
            if (!connection.alive) {
              connection.socket.terminate();
              continue;
            }
            connection.alive = false;
            connection.socket.ping();
          }
        }, config.ocpp.pingIntervalSec * 1000)
      : undefined;
  keepAlive?.unref();

  return {
    async close() {
      clearInterval(keepAlive);
      unsubscribe();
      for (const server of servers) server.off('upgrade', onUpgradeEvent);
      for (const { connection } of registry.all()) connection.close(1001, 'Central system shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

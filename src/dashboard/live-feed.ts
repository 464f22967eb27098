// GET /api/v1/events/stream: the live feed, as Server-Sent Events, from the post-commit domain
// events (events.ts). Each event is small (ids and the changed fields); a client that needs more
// fetches it. With ?stationId= only that station's events come, and also one per frame of its raw
// message log (too many for a fleet-wide feed). A comment line every HEARTBEAT_MS keeps proxies
// from closing the stream and re-checks that the client is still authorised; a client too slow
// to read is cut off (it reconnects and reloads what it shows).
//
// Tenants: a stream carries only its caller's tenant's events. Every published event names a
// station (or, should an event without one be published, it must carry its tenantId); the
// station's tenant is looked up once for all streams and cached, since it changes only when the
// platform hands the station over (station.handed-over, on any node, makes the cache forget it).
// Each stream still gets its events in emission order.

import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../api/http-api.js';
import { tenantOf } from '../api/tenant-scope.js';
import { stationTenant } from '../capabilities/tenants/owners.js';
import type { Executor } from '../storage/database.js';
import type { DomainEvents, EventName } from '../events.js';

const HEARTBEAT_MS = 15_000;
/** Unsent bytes a client may fall behind by before we close its stream. */
const MAX_BACKLOG_BYTES = 1024 * 1024;
/** Stations whose tenant is remembered; beyond this the cache starts over (a bound, not an expiry). */
const MAX_CACHED_STATIONS = 50_000;

/**
 * The events the feed publishes and what goes on the wire for each: ids and changed fields only.
 * An event not listed here (a new internal one, say) is not published until it is added.
 */
const WIRE: { [E in EventName]?: (event: DomainEvents[E]) => Record<string, unknown> } = {
  'station.connected': ({ stationId }) => ({ stationId }),
  'station.disconnected': ({ stationId }) => ({ stationId }),
  'station.booted': ({ stationId, registration }) => ({ stationId, registration }),
  'station.updated': ({ stationId }) => ({ stationId }),
  'connector.status': ({ stationId, connectorId, status, errorCode, at }) => ({ stationId, connectorId, status, errorCode, at }),
  'transaction.started': ({ transactionId, stationId, connectorId, idTag, startedAt }) => ({ transactionId, stationId, connectorId, idTag, startedAt }),
  'transaction.stopped': ({ transactionId, stationId, connectorId, stoppedAt, energyWh }) => ({ transactionId, stationId, connectorId, stoppedAt, energyWh }),
  'meter.values': ({ stationId, connectorId, transactionId, latestAt, powerW, registerWh }) => ({
    stationId,
    connectorId,
    transactionId,
    at: latestAt,
    powerW,
    registerWh,
  }),
  'message.logged': ({ stationId, direction, action, at }) => ({ stationId, direction, action, at }),
};
const STATION_ONLY: ReadonlySet<EventName> = new Set(['message.logged']);
/** What the feed shows: in a cluster, these events cross to the other nodes' feeds. */
export const LIVE_FEED_EVENTS: readonly EventName[] = Object.keys(WIRE) as EventName[];

// The bus hands the same event object to every open stream: it is turned into text once.
const serialized = new WeakMap<object, string>();
function messageOf<E extends EventName>(name: E, event: DomainEvents[E], wire: (event: DomainEvents[E]) => Record<string, unknown>): string {
  let text = serialized.get(event);
  if (text === undefined) {
    text = `event: ${name}\ndata: ${JSON.stringify(wire(event))}\n\n`;
    serialized.set(event, text);
  }
  return text;
}

/** The tenant an event concerns: its own tenantId, else its station's; undefined (not published) when neither. */
function tenantFinder(db: Executor) {
  const stationTenants = new Map<string, number>();
  const inFlight = new Map<string, Promise<number | undefined>>();
  /** How many hand-overs each station had while this node ran (rare: a few entries). */
  const handOvers = new Map<string, number>();
  const known = (event: object): number | undefined => {
    if ('tenantId' in event && typeof event.tenantId === 'number') return event.tenantId;
    if ('stationId' in event && typeof event.stationId === 'string') return stationTenants.get(event.stationId);
    return undefined;
  };
  const lookUp = async (event: object): Promise<number | undefined> => {
    const cached = known(event);
    if (cached !== undefined || !('stationId' in event) || typeof event.stationId !== 'string') return cached;
    const stationId = event.stationId;
    const handOversBefore = handOvers.get(stationId);
    let lookup = inFlight.get(stationId);
    if (!lookup) {
      // Every open stream asks at once for a new station: one query answers them all.
      const started: Promise<number | undefined> = stationTenant(db, stationId).finally(() => {
        if (inFlight.get(stationId) === started) inFlight.delete(stationId);
      });
      lookup = started;
      inFlight.set(stationId, lookup);
    }
    const tenantId = await lookup;
    // (An answer that a hand-over overtook is not remembered.)
    if (tenantId !== undefined && handOvers.get(stationId) === handOversBefore) {
      if (stationTenants.size >= MAX_CACHED_STATIONS) stationTenants.clear();
      stationTenants.set(stationId, tenantId);
    }
    return tenantId;
  };
  const forget = (stationId: string) => {
    handOvers.set(stationId, (handOvers.get(stationId) ?? 0) + 1);
    stationTenants.delete(stationId);
    inFlight.delete(stationId);
  };
  return { known, lookUp, forget };
}

interface OpenStream {
  tenantId: number;
  stationId: string | undefined;
  write(text: string): void;
}

export interface LiveFeedOptions {
  /** Re-runs the request's authentication; throws when it no longer holds (log-out, revoked key). */
  reauthenticate(request: FastifyRequest): Promise<void>;
}

export async function liveFeedRoutes(app: ApiApp, deps: ApiDeps, options: LiveFeedOptions): Promise<void> {
  const { db, events, log } = deps.services;
  const open = new Set<ServerResponse>();
  // Streams never end by themselves; the server's close would wait for them forever.
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
  });

  const tenants = tenantFinder(db);
  const stopForgetting = events.on('station.handed-over', ({ stationId }) => tenants.forget(stationId), { remote: true });
  app.addHook('onClose', async () => stopForgetting());

  /**
   * One stream's listener: passes on the events of the stream's tenant (and station, with
   * ?stationId=). An event whose station is not cached yet waits for its lookup, and the
   * stream's later events queue behind it, so each stream keeps the order of the commits.
   */
  function streamListener(stream: OpenStream) {
    let queue: Promise<void> = Promise.resolve();
    let waiting = 0;
    const deliver = <E extends EventName>(name: E, event: DomainEvents[E], tenantId: number | undefined) => {
      if (tenantId !== stream.tenantId) return;
      stream.write(messageOf(name, event, WIRE[name]! as (event: DomainEvents[E]) => Record<string, unknown>));
    };
    return <E extends EventName>(name: E, event: DomainEvents[E]) => {
      if (stream.stationId !== undefined && (!('stationId' in event) || event.stationId !== stream.stationId)) return;
      const known = tenants.known(event);
      if (waiting === 0 && known !== undefined) return deliver(name, event, known);
      waiting += 1;
      queue = queue
        .then(async () => deliver(name, event, await tenants.lookUp(event)))
        .catch((error: unknown) => log.warn({ err: error, event: name }, 'live feed: could not find the tenant of an event; not published'))
        .finally(() => {
          waiting -= 1;
        });
    };
  }

  app.get(
    '/events/stream',
    {
      schema: {
        tags: ['live'],
        summary: 'Live feed (text/event-stream): station, connector, session and meter events as they are committed',
        description:
          `Events: ${Object.keys(WIRE).join(', ')}. Each "data" is a small JSON object with the ids and the changed fields. ` +
          'message.logged comes only with ?stationId=. A comment line arrives every 15 s.',
        querystring: Type.Object({ stationId: Type.Optional(Type.String({ minLength: 1 })) }),
      },
    },
    async (request, reply) => {
      const stationId = request.query.stationId;
      // Another tenant's station in ?stationId= streams nothing, exactly like a missing one.
      const tenantId = tenantOf(request);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      response.write('retry: 3000\n: connected\n\n');
      open.add(response);

      const write = (text: string) => {
        if (response.writableLength > MAX_BACKLOG_BYTES) {
          log.info({ stationId }, 'live feed client too slow; closing its stream');
          response.destroy();
          return;
        }
        response.write(text);
      };
      // With ?stationId=, only events about that station (fleet-wide ones have no stationId).
      const listener = streamListener({ tenantId, stationId, write });
      const unsubscribers = (Object.keys(WIRE) as EventName[])
        .filter((name) => stationId !== undefined || !STATION_ONLY.has(name))
        .map((name) => events.on(name, (event) => listener(name, event), { remote: true }));
      const heartbeat = setInterval(() => {
        options.reauthenticate(request).then(
          () => write(': heartbeat\n\n'),
          () => response.end(),
        );
      }, HEARTBEAT_MS);
      heartbeat.unref();

      response.on('close', () => {
        clearInterval(heartbeat);
        for (const unsubscribe of unsubscribers) unsubscribe();
        open.delete(response);
      });
    },
  );
}

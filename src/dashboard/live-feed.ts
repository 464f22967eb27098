// GET /api/v1/events/stream: the live feed, as Server-Sent Events, from the post-commit domain
// events (events.ts). Each event is small (ids and the changed fields); a client that needs more
// fetches it. With ?stationId= only that station's events come, and also one per frame of its raw
// message log (too many for a fleet-wide feed). A comment line every HEARTBEAT_MS keeps proxies
// from closing the stream and re-checks that the client is still authorised; a client too slow
// to read is cut off (it reconnects and reloads what it shows).

import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../api/http-api.js';
import type { DomainEvents, EventName } from '../events.js';

const HEARTBEAT_MS = 15_000;
/** Unsent bytes a client may fall behind by before we close its stream. */
const MAX_BACKLOG_BYTES = 1024 * 1024;

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

export interface LiveFeedOptions {
  /** Re-runs the request's authentication; throws when it no longer holds (log-out, revoked key). */
  reauthenticate(request: FastifyRequest): Promise<void>;
}

export async function liveFeedRoutes(app: ApiApp, deps: ApiDeps, options: LiveFeedOptions): Promise<void> {
  const { events, log } = deps.services;
  const open = new Set<ServerResponse>();
  // Streams never end by themselves; the server's close would wait for them forever.
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
  });

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
      const unsubscribers = (Object.keys(WIRE) as EventName[])
        .filter((name) => stationId !== undefined || !STATION_ONLY.has(name))
        .map((name) =>
          events.on(name, (event) => {
            // With ?stationId=, only events about that station (fleet-wide ones have no stationId).
            if (stationId !== undefined && (!('stationId' in event) || event.stationId !== stationId)) return;
            write(messageOf(name, event, WIRE[name]! as (event: DomainEvents[typeof name]) => Record<string, unknown>));
          }, { remote: true }),
        );
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

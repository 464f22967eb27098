// This node's place in the cluster: two Redis connections (commands, and the subscription a
// Redis connection must be given to wholly), the node's heartbeat key, a channel per node for
// messages meant for it (routed calls, answers, "drop your socket") and one broadcast channel.
// Every key and channel starts with the configured prefix.

import { Redis } from 'ioredis';
import type { ClusterConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { decode, encode } from './wire.js';

export interface NodeMessage {
  type: string;
  [field: string]: unknown;
}

type Handler = (message: NodeMessage & { from: string }) => void;

export interface ClusterNode {
  readonly nodeId: string;
  readonly redis: Redis;
  readonly nodeTtlMs: number;
  key(...parts: string[]): string;
  /** Sends to one node (fire and forget: a lost message is covered by the sender's timeout). */
  send(nodeId: string, message: NodeMessage): void;
  /** Sends to every other node (gathered per tick into one Redis message). */
  broadcast(message: NodeMessage): void;
  /** Messages of one type sent to this node, or broadcast by another node. */
  on(type: string, handler: Handler): void;
  /** Runs a Lua script (loaded once, then called by its hash). */
  script(lua: string): (keys: string[], args: Array<string | number>) => Promise<unknown>;
  /** Those of `nodeIds` whose heartbeat has not expired. */
  alive(nodeIds: string[]): Promise<Set<string>>;
  /** Runs after the subscription comes back from a lost connection (messages may have been missed). */
  onResubscribed(handler: () => void): void;
  /** A periodic task, stopped by close(); failures are logged. */
  every(ms: number, name: string, task: () => Promise<unknown>): void;
  close(): Promise<void>;
}

export async function joinCluster(config: ClusterConfig, log: Logger): Promise<ClusterNode> {
  const { nodeId, keyPrefix } = config;
  const nodeTtlMs = config.nodeTtlSec * 1000;
  const key = (...parts: string[]) => `${keyPrefix}${parts.join(':')}`;
  // Commands fail fast while Redis is away rather than queueing behind a charger's command.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true, lazyConnect: true });
  const subscriber = new Redis(config.redisUrl, { lazyConnect: true });
  for (const [name, connection] of [['commands', redis], ['subscriber', subscriber]] as const) {
    connection.on('error', (error) => log.warn({ err: error, connection: name }, 'redis connection error'));
  }
  await Promise.all([redis.connect(), subscriber.connect()]);

  const handlers = new Map<string, Handler[]>();
  const inbox = key('to', nodeId);
  const everyone = key('broadcast');
  const dispatch = (message: NodeMessage & { from: string }) => {
    for (const handler of handlers.get(message.type) ?? []) {
      try {
        handler(message);
      } catch (error) {
        log.error({ err: error, type: message.type }, 'cluster message handler failed');
      }
    }
  };
  subscriber.on('message', (channel: string, text: string) => {
    let envelope: { from: string; messages: NodeMessage[] };
    try {
      envelope = decode(text);
    } catch (error) {
      log.warn({ err: error, channel }, 'unreadable cluster message');
      return;
    }
    if (channel === everyone && envelope.from === nodeId) return;
    for (const message of envelope.messages) dispatch({ ...message, from: envelope.from });
  });
  await subscriber.subscribe(inbox, everyone);
  const resubscribed: Array<() => void> = [];
  subscriber.on('ready', () => {
    for (const handler of resubscribed) handler();
  });

  const publish = (channel: string, messages: NodeMessage[]) => {
    redis.publish(channel, encode({ from: nodeId, messages })).catch((error: unknown) => log.warn({ err: error, channel }, 'cluster publish failed'));
  };
  // Broadcasts of one tick (a boot storm's presence, a burst of meter values) go out as one message.
  let outgoing: NodeMessage[] = [];
  const flush = () => {
    if (outgoing.length === 0) return;
    publish(everyone, outgoing);
    outgoing = [];
  };
  const timers: NodeJS.Timeout[] = [];
  let scripts = 0;
  const beat = () => redis.set(key('node', nodeId), String(Date.now()), 'PX', nodeTtlMs);
  await beat();

  const node: ClusterNode = {
    nodeId,
    redis,
    nodeTtlMs,
    key,
    send: (to, message) => publish(key('to', to), [message]),
    broadcast(message) {
      if (outgoing.length === 0) setImmediate(flush);
      outgoing.push(message);
    },
    on(type, handler) {
      handlers.set(type, [...(handlers.get(type) ?? []), handler]);
    },
    script(lua) {
      const name = `clusterScript${scripts++}`;
      redis.defineCommand(name, { lua });
      const run = (redis as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>)[name]!.bind(redis);
      return (keys, args) => run(keys.length, ...keys, ...args);
    },
    onResubscribed(handler) {
      resubscribed.push(handler);
    },
    async alive(nodeIds) {
      if (nodeIds.length === 0) return new Set();
      const beats = await redis.mget(nodeIds.map((id) => key('node', id)));
      return new Set(nodeIds.filter((_id, i) => beats[i] !== null));
    },
    every(ms, name, task) {
      const timer = setInterval(() => {
        task().catch((error: unknown) => log.warn({ err: error, task: name }, 'cluster task failed'));
      }, ms);
      timer.unref();
      timers.push(timer);
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      if (outgoing.length > 0) flush(); // e.g. the last stations' "offline" before the keys go
      await redis.del(key('node', nodeId)).catch(() => undefined);
      subscriber.disconnect();
      await redis.quit().catch(() => undefined);
    },
  };
  // Three beats per lifetime: one late beat does not make the node look dead.
  node.every(Math.max(500, Math.floor(nodeTtlMs / 3)), 'heartbeat', beat);
  log.info({ nodeId, prefix: keyPrefix }, 'joined the cluster');
  return node;
}

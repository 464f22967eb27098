// Which node holds each station's socket. Redis has one key per station (value: the node id,
// with an expiry refreshed for all of this node's stations by one script call per interval),
// and every node keeps a map of the stations other nodes hold, fed by their announcements, so
// "is it online?" stays a synchronous lookup. A station that connects here takes its key; the
// node that held it is told to drop its stale socket. A node that dies stops its heartbeat:
// its stations count as offline as soon as that key expires, whatever their own keys say.

import type { Logger } from '../logger.js';
import { CLOSE_REPLACED } from '../gateway/ocpp-gateway.js';
import type { StationConnection } from '../gateway/station-connection.js';
import type { StationRegistry } from '../gateway/station-registry.js';
import type { ClusterNode } from './node.js';

/** Keys refreshed per script call. */
const REFRESH_CHUNK = 500;

const REFRESH = `
for _, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if not v or v == ARGV[1] then redis.call('SET', k, ARGV[1], 'PX', ARGV[2]) end
end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const OWNER = `
local owner = redis.call('GET', KEYS[1])
if not owner then return false end
if redis.call('EXISTS', ARGV[1] .. owner) == 1 then return owner end
return false`;

export interface Presence {
  /** The local registry, wrapped: connecting claims the station, disconnecting releases it. */
  registry: StationRegistry;
  /** The live node that holds the station's socket, if any. */
  ownerOf(stationId: string): Promise<string | undefined>;
  /** Held by another node, as far as its announcements tell. */
  isRemoteOnline(stationId: string): boolean;
  close(): Promise<void>;
}

export async function startPresence(node: ClusterNode, local: StationRegistry, log: Logger): Promise<Presence> {
  const { nodeId, redis } = node;
  const stationKey = (stationId: string) => node.key('station', stationId);
  const presenceTtlMs = node.nodeTtlMs * 3;
  const refresh = node.script(REFRESH);
  const release = node.script(RELEASE);
  const owner = node.script(OWNER);
  /** station id → the other node that holds it. */
  const remote = new Map<string, string>();
  /** Sockets closed because the station went to another node: their close is not a disconnect. */
  const moved = new WeakSet<StationConnection>();
  const warn = (what: string) => (error: unknown) => log.warn({ err: error }, what);
  let closing = false;

  function claim(connection: StationConnection): void {
    const { stationId } = connection;
    remote.delete(stationId);
    redis
      .set(stationKey(stationId), nodeId, 'PX', presenceTtlMs, 'GET')
      .then((previous) => {
        if (previous && previous !== nodeId) node.send(previous, { type: 'drop', stationId, since: connection.connectedAt.getTime() });
      })
      .catch(warn('could not claim a station'));
    node.broadcast({ type: 'presence', stationId, online: true });
  }

  node.on('drop', ({ stationId, since, from }) => {
    const live = local.get(String(stationId));
    // Only a socket older than the one on the other node: the station may have come back here since.
    if (!live || live.connection.connectedAt.getTime() > Number(since)) return;
    log.info({ stationId, node: from }, 'station reconnected to another node; closing its socket here');
    moved.add(live.connection);
    remote.set(String(stationId), from);
    live.connection.close(CLOSE_REPLACED, 'Replaced by a newer connection on another node');
  });
  node.on('presence', ({ stationId, online, from }) => {
    const id = String(stationId);
    if (online) remote.set(id, from);
    else if (remote.get(id) === from) remote.delete(id);
  });
  // A node (re)started: whatever it held before is gone.
  node.on('hello', ({ from }) => forgetNodes(new Set([from])));

  function forgetNodes(dead: Set<string>): void {
    if (dead.size === 0) return;
    for (const [stationId, holder] of remote) if (dead.has(holder)) remote.delete(stationId);
  }

  async function loadRemote(): Promise<void> {
    let cursor = '0';
    const found = new Map<string, string>();
    const prefix = stationKey('');
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const holders = await redis.mget(keys);
      keys.forEach((key, i) => {
        const holder = holders[i];
        if (holder && holder !== nodeId) found.set(key.slice(prefix.length), holder);
      });
    } while (cursor !== '0');
    const living = await node.alive([...new Set(found.values())]);
    remote.clear();
    for (const [stationId, holder] of found) if (living.has(holder) && !local.get(stationId)) remote.set(stationId, holder);
  }

  await loadRemote();
  node.onResubscribed(() => void loadRemote().catch(warn('could not reload the presence of other nodes')));
  node.broadcast({ type: 'hello' });
  // One script call per chunk of this node's stations, not a timer per station.
  node.every(node.nodeTtlMs, 'presence refresh', async () => {
    const keys = [...local.all()].map((entry) => stationKey(entry.connection.stationId));
    for (let i = 0; i < keys.length; i += REFRESH_CHUNK) await refresh(keys.slice(i, i + REFRESH_CHUNK), [nodeId, presenceTtlMs]);
  });
  node.every(Math.max(500, Math.floor(node.nodeTtlMs / 3)), 'dead node sweep', async () => {
    const holders = [...new Set(remote.values())];
    const living = await node.alive(holders);
    forgetNodes(new Set(holders.filter((holder) => !living.has(holder))));
  });

  const registry: StationRegistry = {
    get: (stationId) => local.get(stationId),
    all: () => local.all(),
    get size() {
      return local.size;
    },
    put(entry) {
      const previous = local.put(entry);
      claim(entry.connection);
      return previous;
    },
    remove(connection) {
      if (!local.remove(connection)) return false;
      if (moved.has(connection)) return false; // the station lives on elsewhere: not a disconnect
      if (closing) return true; // close() has released every key already
      release([stationKey(connection.stationId)], [nodeId]).catch(warn('could not release a station'));
      node.broadcast({ type: 'presence', stationId: connection.stationId, online: false });
      return true;
    },
  };

  return {
    registry,
    async ownerOf(stationId) {
      const holder = await owner([stationKey(stationId)], [node.key('node', '')]);
      return typeof holder === 'string' ? holder : undefined;
    },
    isRemoteOnline: (stationId) => remote.has(stationId),
    async close() {
      // A clean stop hands its stations back at once instead of after the expiry.
      closing = true;
      await Promise.allSettled([...local.all()].map((entry) => release([stationKey(entry.connection.stationId)], [nodeId])));
    },
  };
}

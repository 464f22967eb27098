// Cluster mode (REDIS_URL set), loaded only then: joins the cluster and returns what replaces
// the single node's pieces: the registry that publishes presence, the caller that routes, the
// event bridge, and the coordination that leads keys and claims jobs.

import type { ClusterConfig } from '../config.js';
import type { EventBus, EventName } from '../events.js';
import type { StationCaller } from '../gateway/station-caller.js';
import type { StationRegistry } from '../gateway/station-registry.js';
import type { Logger } from '../logger.js';
import type { Coordination } from './coordination.js';
import { bridgeEvents } from './event-bridge.js';
import { createLeadership } from './leadership.js';
import { joinCluster } from './node.js';
import { startPresence } from './presence.js';
import { createRoutedCaller } from './routed-caller.js';

export interface Cluster {
  nodeId: string;
  registry: StationRegistry;
  caller: StationCaller;
  coordination: Coordination;
  close(): Promise<void>;
}

export interface ClusterParts {
  events: EventBus;
  /** The kinds of events other nodes' live views need (the live feed's, and station.updated for live sessions). */
  bridged: ReadonlySet<EventName>;
  registry: StationRegistry;
  caller: StationCaller;
  callTimeoutMs: number;
  log: Logger;
}

export async function startCluster(config: ClusterConfig, parts: ClusterParts): Promise<Cluster> {
  const log = parts.log.child({ node: config.nodeId });
  const node = await joinCluster(config, log);
  try {
    const presence = await startPresence(node, parts.registry, log);
    const caller = createRoutedCaller({ local: parts.caller, registry: presence.registry, presence, node, callTimeoutMs: parts.callTimeoutMs, log });
    const unbridge = bridgeEvents(parts.events, node, parts.bridged);
    const leadership = createLeadership(node);
    return {
      nodeId: config.nodeId,
      registry: presence.registry,
      caller,
      coordination: leadership,
      async close() {
        unbridge();
        await leadership.resignAll();
        await presence.close();
        await node.close();
      },
    };
  } catch (error) {
    await node.close();
    throw error;
  }
}

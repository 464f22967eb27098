// Live events across nodes: each event this node commits, of the kinds a live view shows, is
// published to the other nodes (a burst in one message, see node.ts), which re-emit it
// only to their listeners subscribed with { remote: true }. Side effects never see another
// node's events: they ran on the node that committed.

import type { DomainEvents, EventBus, EventName } from '../events.js';
import type { ClusterNode } from './node.js';

export function bridgeEvents(events: EventBus, node: ClusterNode, names: ReadonlySet<EventName>): () => void {
  events.setBridge((name, event) => {
    if (names.has(name)) node.broadcast({ type: 'event', name, event });
  });
  node.on('event', ({ name, event }) => events.emitRemote(name as EventName, event as DomainEvents[EventName]));
  return () => events.setBridge(undefined);
}

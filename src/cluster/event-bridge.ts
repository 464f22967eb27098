// Live events across nodes: each event this node commits, of the kinds a live view shows, is
// published to the other nodes (gathered per tick: one message for a burst), which re-emit it
// only to their listeners subscribed with { remote: true }. Side effects never see another
// node's events: they ran on the node that committed.

import type { DomainEvents, EventBus, EventName } from '../events.js';
import type { ClusterNode } from './node.js';

export function bridgeEvents(events: EventBus, node: ClusterNode, names: ReadonlySet<EventName>): () => void {
  let batch: Array<[EventName, unknown]> = [];
  const flush = () => {
    node.broadcast({ type: 'events', events: batch });
    batch = [];
  };
  events.setBridge((name, event) => {
    if (!names.has(name)) return;
    if (batch.length === 0) setImmediate(flush);
    batch.push([name, event]);
  });
  node.on('events', ({ events: received }) => {
    for (const [name, event] of received as Array<[EventName, DomainEvents[EventName]]>) events.emitRemote(name, event);
  });
  return () => events.setBridge(undefined);
}

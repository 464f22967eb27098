// A session that never gets a StopTransaction (the station lost it) would stay open forever and
// block billing. Once its connector has reported Available for a while after the session
// started, the session is finalised from its last meter value and flagged.

import type { Services } from '../handler-context.js';
import { connectorsInStatusSince } from '../stations/station-store.js';
import { closeWithoutStop, emitStopped } from './backend-close.js';
import { getTransaction, openTransactions } from './transaction-store.js';

export async function finalizeAbandonedSessions(services: Services): Promise<number> {
  const { db, clock, config, events, log } = services;
  const now = clock.now();
  const before = new Date(now.getTime() - config.ocpp.abandonedSessionMinutes * 60_000);
  const idle = await connectorsInStatusSince(db, 'Available', before);
  let finalized = 0;
  for (const connector of idle) {
    if (connector.connectorId === 0) continue;
    for (const open of await openTransactions(db, connector.stationId, connector.connectorId)) {
      if (connector.statusAt <= open.startedAt) continue;
      const closed = await db.transaction(async (tx) => {
        const current = await getTransaction(tx, open.id);
        return current && current.stoppedAt === null ? closeWithoutStop(tx, current, 'finalized_without_stop', now) : undefined;
      });
      if (!closed) continue;
      finalized++;
      log.warn({ transactionId: closed.id, stationId: closed.stationId }, 'session finalised without StopTransaction');
      emitStopped(events, closed);
    }
  }
  return finalized;
}

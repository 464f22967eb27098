// Closing a session the station never stopped: a new StartTransaction on the same connector
// (the link was lost before the stop), or a connector that stayed Available (the stop never
// came). The session ends at its last meter reading, and says why in its flags. If the real
// StopTransaction arrives later it replaces these values.

import type { EventBus } from '../../events.js';
import type { Executor } from '../../storage/database.js';
import type { TransactionFlag } from './tables.js';
import { closeTransaction, lastSampleAt, type TransactionRow } from './transaction-store.js';

export async function closeWithoutStop(
  db: Executor,
  transaction: TransactionRow,
  why: Extract<TransactionFlag, 'closed_by_new_start' | 'finalized_without_stop'>,
  receivedAt: Date,
): Promise<TransactionRow> {
  const lastSample = await lastSampleAt(db, transaction.id);
  const stoppedAt = lastSample && lastSample > transaction.startedAt ? lastSample : transaction.startedAt;
  return closeTransaction(db, transaction, {
    stoppedAt,
    stoppedAtRaw: null,
    stopReceivedAt: receivedAt,
    meterStopWh: null,
    stopReason: 'Other',
    stopIdTag: null,
    stoppedBy: 'backend',
    flags: [why],
  });
}

export function emitStopped(events: EventBus, row: TransactionRow): void {
  events.emit('transaction.stopped', {
    transactionId: row.id,
    stationId: row.stationId,
    connectorId: row.connectorId,
    stoppedAt: row.stoppedAt!,
    energyWh: row.energyWh,
    stoppedBy: row.stoppedBy ?? 'station',
  });
}

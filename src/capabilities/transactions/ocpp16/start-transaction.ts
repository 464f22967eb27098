// StartTransaction: the station started charging and needs a transactionId. The id comes from
// the database; a retransmission (same station, connector, idTag, timestamp and meterStart)
// gets the same id. The transaction is recorded whatever the idTag's status (a late offline
// start is never lost); an older session still open on the connector is closed first.

import { isImplausibleTimestamp } from '../../../quirks/timestamps.js';
import { rawValueAt } from '../../../quirks/normalize-payload.js';
import { decideIdTag, type IdTagInfo } from '../../authorization/decide.js';
import type { Handler16 } from '../../handler-context.js';
import { closeWithoutStop, emitStopped } from '../backend-close.js';
import type { TransactionFlag } from '../tables.js';
import { findStarted, insertTransaction, openTransactions, type TransactionRow } from '../transaction-store.js';

export const startTransaction: Handler16<'StartTransaction'> = async (ctx, request) => {
  const startedAt = new Date(request.timestamp);
  const key = {
    stationId: ctx.station.id,
    connectorId: request.connectorId,
    idTag: request.idTag,
    startedAt,
    meterStartWh: request.meterStart,
  };
  const closed: TransactionRow[] = [];
  const { row, idTagInfo, isNew } = await ctx.db.transaction(async (tx) => {
    const existing = await findStarted(tx, key);
    if (existing) {
      return { row: existing, idTagInfo: { status: existing.idTagStatus } as IdTagInfo, isNew: false };
    }
    const flags: TransactionFlag[] = [];
    let idTagInfo: IdTagInfo;
    if (ctx.station.registration === 'accepted') {
      idTagInfo = await decideIdTag(tx, request.idTag, ctx.clock.now());
    } else {
      idTagInfo = { status: 'Invalid' };
      flags.push('station_not_accepted');
    }
    if (idTagInfo.status !== 'Accepted') flags.push('id_tag_not_accepted');
    if (isImplausibleTimestamp(startedAt, ctx.receivedAt)) flags.push('implausible_start_timestamp');

    for (const stale of await openTransactions(tx, ctx.station.id, request.connectorId)) {
      if (stale.startedAt <= startedAt) closed.push(await closeWithoutStop(tx, stale, 'closed_by_new_start', ctx.receivedAt));
    }
    const inserted = await insertTransaction(tx, {
      ...key,
      idTagStatus: idTagInfo.status,
      reservationId: request.reservationId ?? null,
      startedAtRaw: (rawValueAt(ctx.repairs, '/timestamp') as string | undefined) ?? null,
      startReceivedAt: ctx.receivedAt,
      flags,
    });
    return { row: inserted, idTagInfo, isNew: true };
  });

  for (const stale of closed) emitStopped(ctx.events, stale);
  if (isNew) {
    ctx.events.emit('transaction.started', {
      transactionId: row.id,
      stationId: row.stationId,
      connectorId: row.connectorId,
      idTag: row.idTag,
      startedAt: row.startedAt,
    });
  }
  return { transactionId: row.id, idTagInfo };
};

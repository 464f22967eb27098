// StartTransaction: the station started charging and needs a transactionId. The id comes from
// the database; a retransmission (same station, connector, idTag, timestamp and meterStart)
// gets the same id. The transaction is recorded whatever the idTag's status (a late offline
// start is never lost); an older session still open on the connector is closed first. A start
// whose timestamp is long before its arrival was queued while the station was offline; if its
// tag is refused now, it is answered with the tag's status like any other, kept, and flagged.

import { isImplausibleTimestamp } from '../../../quirks/timestamps.js';
import { rawValueAt } from '../../../quirks/normalize-payload.js';
import { decideStart, decisionContext, type IdTagInfo } from '../../authorization/decide.js';
import { stopsOnInvalidId } from '../../authorization/station-settings.js';
import type { Handler16 } from '../../handler-context.js';
import { closeWithoutStop, emitStopped } from '../backend-close.js';
import type { TransactionFlag } from '../tables.js';
import { findStarted, insertTransaction, openTransactions, type TransactionRow } from '../transaction-store.js';

/** A start whose timestamp is this much older than its arrival was queued while the station was offline. */
const QUEUED_OFFLINE_MS = 5 * 60_000;

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
    // A stale session on this connector is closed first, so it does not count against the tag's limit.
    for (const stale of await openTransactions(tx, ctx.station.id, request.connectorId)) {
      if (stale.startedAt <= startedAt) closed.push(await closeWithoutStop(tx, stale, 'closed_by_new_start', ctx.receivedAt));
    }
    const flags: TransactionFlag[] = [];
    let idTagInfo: IdTagInfo;
    if (ctx.station.registration === 'accepted') {
      const decision = await decideStart(tx, ctx.station.id, request.idTag, decisionContext(ctx, ctx.station.tenantId));
      idTagInfo = decision.info;
      if (decision.forcedRemoteStart) flags.push('remote_start_forced');
    } else {
      idTagInfo = { status: 'Invalid' };
      flags.push('station_not_accepted');
    }
    const implausible = isImplausibleTimestamp(startedAt, ctx.receivedAt);
    if (idTagInfo.status !== 'Accepted') {
      flags.push('id_tag_not_accepted');
      // The station let the driver charge while offline; the tag is refused now. Kept and billed all the same.
      if (!implausible && ctx.receivedAt.getTime() - startedAt.getTime() > QUEUED_OFFLINE_MS) flags.push('offline_start_not_accepted');
      // Per spec the station ends the transaction on our answer unless StopTransactionOnInvalidId is false.
      if (!(await stopsOnInvalidId(tx, ctx.station.id))) flags.push('charging_on_invalid_id');
    }
    if (implausible) flags.push('implausible_start_timestamp');

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
      reservationId: row.reservationId,
    });
  }
  return { transactionId: row.id, idTagInfo };
};

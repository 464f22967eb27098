// StopTransaction: the session ended. Always answered with a CALLRESULT, whatever the
// transactionId: a known one is closed (once; a retransmission changes nothing), an unknown
// one (0, -1, never issued, another station's) is kept as an orphan stop and linked to the
// station's open session when exactly one fits. The answer is the stopping tag's own standing;
// a stop by a tag that is neither the starting one nor of its group is flagged.

import { isImplausibleTimestamp } from '../../../quirks/timestamps.js';
import { rawValueAt } from '../../../quirks/normalize-payload.js';
import type { Executor } from '../../../storage/database.js';
import { decideStop, decisionContext, type StopDecision } from '../../authorization/decide.js';
import type { Handler16, HandlerContext } from '../../handler-context.js';
import { emitStopped } from '../backend-close.js';
import { toMeterValueRows, type MeterValue } from '../samples.js';
import type { TransactionFlag } from '../tables.js';
import {
  closeTransaction,
  getTransaction,
  insertMeterValues,
  linkOrphanStop,
  openTransactions,
  recordOrphanStop,
  type StopFields,
  type TransactionRow,
} from '../transaction-store.js';

type StopRequest = Parameters<Handler16<'StopTransaction'>>[1];

function storeTransactionData(
  db: Executor,
  ctx: HandlerContext,
  request: StopRequest,
  connectorId: number,
  transactionId: number | null,
): Promise<void> {
  return insertMeterValues(
    db,
    toMeterValueRows((request.transactionData ?? []) as MeterValue[], {
      stationId: ctx.station.id,
      connectorId,
      source: 'StopTransaction',
      receivedAt: ctx.receivedAt,
      profile: ctx.station.profile,
      repairs: ctx.repairs,
      pointer: '/transactionData',
      transactionFor: () => transactionId,
      reportedTransactionId: transactionId === null ? request.transactionId : null,
    }),
  );
}

/** The station's one open session this stop can only be about, if there is exactly one. */
function soleCandidate(open: TransactionRow[], request: StopRequest, stoppedAt: Date): TransactionRow | undefined {
  const fitting = open.filter(
    (candidate) =>
      candidate.startedAt <= stoppedAt &&
      candidate.meterStartWh <= request.meterStop &&
      (!request.idTag || candidate.idTag.toLowerCase() === request.idTag.toLowerCase()),
  );
  return fitting.length === 1 ? fitting[0] : undefined;
}

export const stopTransaction: Handler16<'StopTransaction'> = async (ctx, request) => {
  const stoppedAt = new Date(request.timestamp);
  const stop = (flags: TransactionFlag[]): StopFields => ({
    stoppedAt,
    stoppedAtRaw: (rawValueAt(ctx.repairs, '/timestamp') as string | undefined) ?? null,
    stopReceivedAt: ctx.receivedAt,
    meterStopWh: request.meterStop,
    // The spec: a StopTransaction without a reason was stopped locally.
    stopReason: request.reason ?? 'Local',
    stopIdTag: request.idTag ?? null,
    stoppedBy: 'station',
    flags: isImplausibleTimestamp(stoppedAt, ctx.receivedAt) ? [...flags, 'implausible_stop_timestamp'] : flags,
  });

  const context = decisionContext(ctx, ctx.station.tenantId);
  let decision: StopDecision | undefined;
  /** Decides about the stopping tag against the tag that started `transaction`; returns the flag that follows. */
  const stopFlags = async (db: Executor, transaction: TransactionRow): Promise<TransactionFlag[]> => {
    if (!request.idTag || ctx.station.registration !== 'accepted') return [];
    decision = await decideStop(db, request.idTag, transaction.idTag, context);
    return decision.relation === 'other' ? ['stopped_by_other_id_tag'] : [];
  };

  const closed = await ctx.db.transaction(async (tx) => {
    const known = await getTransaction(tx, request.transactionId);
    if (known && known.stationId === ctx.station.id) {
      if (known.stoppedBy === 'station') {
        if (known.meterStopWh !== request.meterStop || known.stoppedAt?.getTime() !== stoppedAt.getTime()) {
          ctx.log.warn({ transactionId: known.id }, 'second, different StopTransaction ignored; the first one stands');
        }
        return undefined;
      }
      await storeTransactionData(tx, ctx, request, known.connectorId, known.id);
      const flags: TransactionFlag[] = known.stoppedBy === 'backend' ? ['stop_after_backend_close'] : [];
      return closeTransaction(tx, known, stop([...flags, ...(await stopFlags(tx, known))]));
    }

    const orphan = await recordOrphanStop(tx, {
      stationId: ctx.station.id,
      reportedTransactionId: request.transactionId,
      idTag: request.idTag ?? null,
      meterStopWh: request.meterStop,
      stoppedAt,
      stoppedAtRaw: stop([]).stoppedAtRaw,
      reason: request.reason ?? null,
      transactionData: request.transactionData ?? null,
      receivedAt: ctx.receivedAt,
    });
    if (orphan.linkedTransactionId !== null) return undefined;
    const candidate = soleCandidate(await openTransactions(tx, ctx.station.id), request, stoppedAt);
    await storeTransactionData(tx, ctx, request, candidate?.connectorId ?? 0, candidate?.id ?? null);
    if (!candidate) {
      ctx.log.warn({ reportedTransactionId: request.transactionId }, 'StopTransaction for an unknown transaction kept as orphan');
      return undefined;
    }
    await linkOrphanStop(tx, orphan.id, candidate.id);
    return closeTransaction(tx, candidate, stop(['linked_orphan_stop', ...(await stopFlags(tx, candidate))]));
  });

  if (closed) emitStopped(ctx.events, closed);
  if (!request.idTag) return {};
  if (ctx.station.registration !== 'accepted') return { idTagInfo: { status: 'Invalid' } };
  decision ??= await decideStop(ctx.db, request.idTag, undefined, context);
  return { idTagInfo: decision.info };
};

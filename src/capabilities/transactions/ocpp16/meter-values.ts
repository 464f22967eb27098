// MeterValues: every sampled value is kept with its context, measurand, phase, location and
// unit. Samples are linked to the transaction the station names, or, when it names none (or
// one we do not know), to the session that was running on that connector at the sample's time.
// Connector 0 is the station's own meter and belongs to no session. A retransmission stores
// nothing twice. Samples are written together with other stations' (group commit).

import type { Handler16 } from '../../handler-context.js';
import { liveReading } from '../live-reading.js';
import { readCurrent } from '../meter-reading.js';
import { toMeterValueRows, type MeterValue } from '../samples.js';
import { appendMeterValues, transactionOwner, transactionsDuring, type TransactionRow } from '../transaction-store.js';

function sessionAt(candidates: TransactionRow[], at: Date): number | null {
  // The latest session that had started by `at` and had not stopped before it.
  for (let i = candidates.length - 1; i >= 0; i--) {
    const candidate = candidates[i]!;
    if (candidate.startedAt <= at && (candidate.stoppedAt === null || candidate.stoppedAt >= at)) return candidate.id;
  }
  return null;
}

export const meterValues: Handler16<'MeterValues'> = async (ctx, request) => {
  const entries = request.meterValue as MeterValue[];
  if (entries.length === 0) return {};
  const times = entries.map((entry) => new Date(entry.timestamp).getTime());
  const from = new Date(Math.min(...times));
  const to = new Date(Math.max(...times));

  let transactionFor: (at: Date) => number | null = () => null;
  // Connector 0 is the station's meter even when a transactionId comes with it: linking its
  // register to the session would count the station total as the session's energy.
  const named = request.transactionId !== undefined && request.connectorId > 0 ? request.transactionId : undefined;
  const owner = named !== undefined ? await transactionOwner(ctx.db, named) : undefined;
  if (named !== undefined && owner?.stationId === ctx.station.id) {
    transactionFor = () => named;
  } else if (request.connectorId > 0) {
    const candidates = await transactionsDuring(ctx.db, ctx.station.id, request.connectorId, from, to);
    transactionFor = (at) => sessionAt(candidates, at);
  }

  const rows = toMeterValueRows(entries, {
    stationId: ctx.station.id,
    connectorId: request.connectorId,
    source: 'MeterValues',
    receivedAt: ctx.receivedAt,
    profile: ctx.station.profile,
    repairs: ctx.repairs,
    pointer: '/meterValue',
    transactionFor,
    reportedTransactionId: request.transactionId ?? null,
  });
  await appendMeterValues(ctx.db, rows);
  if (rows.length > 0) {
    const samples = rows.map((row) => ({ ...row, phase: row.phase ?? null, location: row.location ?? null, value: row.value ?? null }));
    const reading = liveReading(samples);
    const current = readCurrent(samples.filter((sample) => sample.sampledAt.getTime() === to.getTime()));
    ctx.events.emit('meter.values', {
      stationId: ctx.station.id,
      connectorId: request.connectorId,
      transactionId: rows[0]?.transactionId ?? null,
      samples: rows.length,
      latestAt: to,
      powerW: reading?.powerW ?? null,
      registerWh: reading?.registerWh ?? null,
      currentA: current?.amps ?? null,
      currentPhases: current?.phases ?? null,
    });
  }
  return {};
};

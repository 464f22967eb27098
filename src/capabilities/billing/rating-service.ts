// Rating off the charger's path: a started session gets its tariff version recorded
// (transaction.started), a stopped one is rated and its cost stored (transaction.stopped); an
// operator can re-rate one. Both events arrive after the commit, so a charger never waits.

import type { Services } from '../handler-context.js';
import type { Executor } from '../../storage/database.js';
import { statusHistory } from '../stations/station-store.js';
import type { SessionCost } from '../transactions/tables.js';
import { getTransaction, meterValuesOf, registerReadings, setTransactionCost, type TransactionRow } from '../transactions/transaction-store.js';
import { rateSession } from './rating.js';
import { chooseTariff, pricingZone } from './tariff-assignment.js';
import { getSessionTariff, getTariff, recordSessionTariff, type SessionTariffRow } from './tariff-store.js';
import { buildTimeline, type Reading, type Timeline } from './timeline.js';

/** The tariff version a session started under: as recorded at its start, else chosen now by its start instant. */
export async function sessionTariff(db: Executor, transaction: TransactionRow): Promise<SessionTariffRow> {
  const recorded = await getSessionTariff(db, transaction.id);
  if (recorded) return recorded;
  const choice = await chooseTariff(db, transaction, transaction.startReceivedAt);
  return recordSessionTariff(db, { transactionId: transaction.id, ...choice });
}

/** The timeline of a session from its stored data; a running one ends now. */
export async function sessionTimeline(db: Executor, transaction: TransactionRow, now: Date): Promise<Timeline> {
  const stoppedAt = transaction.stoppedAt ?? new Date(Math.max(now.getTime(), transaction.startedAt.getTime()));
  const [registers, samples, statuses] = await Promise.all([
    registerReadings(db, transaction.id),
    meterValuesOf(db, transaction.id),
    statusHistory(db, transaction.stationId, transaction.connectorId, transaction.startedAt, stoppedAt),
  ]);
  // One location per measurand, as for the register: the outlet's when the charger reports one.
  const readings = (measurand: string): Reading[] => {
    const rows = samples.filter((row) => row.measurand === measurand && row.value !== null && row.location !== 'EV');
    const location = rows.some((row) => row.location === 'Outlet') ? 'Outlet' : rows[0]?.location;
    return rows.filter((row) => row.location === location).map((row) => ({ at: row.sampledAt, value: row.value!, phase: row.phase }));
  };
  return buildTimeline({
    startedAt: transaction.startedAt,
    stoppedAt,
    meterStartWh: transaction.meterStartWh,
    meterStopWh: transaction.stoppedAt ? transaction.meterStopWh : null,
    registers: registers.map((reading) => ({ at: reading.at, wh: reading.wh })),
    power: readings('Power.Active.Import'),
    current: readings('Current.Import'),
    statuses,
  });
}

/** The cost of a session as of `now` (an estimate while it runs); null when no tariff applies and it is not internal. */
export async function costOf(db: Executor, transaction: TransactionRow, now: Date): Promise<{ cost: SessionCost | null; timeline: Timeline }> {
  const [chosen, timeline, timeZone] = await Promise.all([sessionTariff(db, transaction), sessionTimeline(db, transaction, now), pricingZone(db, transaction.stationId)]);
  const version = chosen.tariffId && chosen.tariffVersion ? await getTariff(db, chosen.tariffId, chosen.tariffVersion, { includeDeleted: true }) : undefined;
  if (!version) {
    // Recorded at zero even without a tariff; XXX is ISO 4217's "no currency".
    const cost: SessionCost | null = chosen.internal
      ? { currency: 'XXX', total: 0, totalExclTax: 0, items: [], tariffId: null, tariffVersion: null, internal: true, ratedAt: now.toISOString(), priceLimit: null, energyWh: timeline.energyWh, chargingSeconds: timeline.chargingSeconds, idleSeconds: timeline.idleSeconds }
      : null;
    return { cost, timeline };
  }
  const cost = rateSession({ timeline, tariff: version.body, tariffId: version.id, tariffVersion: version.version, timeZone, internal: chosen.internal, ratedAt: now });
  return { cost, timeline };
}

/**
 * Rates a finished session and stores its cost; returns it (null: no tariff applies). Emits
 * session.rated once stored, for invoicing.
 */
export async function rateTransaction(services: Pick<Services, 'db' | 'clock' | 'events'>, transactionId: number): Promise<SessionCost | null | undefined> {
  const transaction = await getTransaction(services.db, transactionId);
  if (!transaction?.stoppedAt) return undefined;
  const { cost } = await costOf(services.db, transaction, services.clock.now());
  await setTransactionCost(services.db, transactionId, cost);
  services.events.emit('session.rated', { transactionId });
  return cost;
}

/** Subscribes rating to the session events; returns the function that unsubscribes. */
export function startRating(services: Services): () => void {
  const log = services.log.child({ component: 'billing' });
  const offStarted = services.events.on('transaction.started', async ({ transactionId }) => {
    const transaction = await getTransaction(services.db, transactionId);
    if (transaction) await sessionTariff(services.db, transaction);
  });
  const offStopped = services.events.on('transaction.stopped', async ({ transactionId }) => {
    const cost = await rateTransaction(services, transactionId);
    log.debug({ transactionId, total: cost?.total, currency: cost?.currency }, 'session rated');
  });
  return () => {
    offStarted();
    offStopped();
  };
}

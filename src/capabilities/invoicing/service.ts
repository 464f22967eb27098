// Invoicing follows rating: on session.rated a paid session is queued and, for receipt
// customers, gets its receipt. Background jobs issue receipts an earlier attempt left behind and
// run the monthly invoices on the 1st of each month (in INVOICE_TIME_ZONE).

import { DateTime } from 'luxon';
import type { Job } from '../../scheduler.js';
import type { Services } from '../handler-context.js';
import { pendingReceipts } from './invoice-store.js';
import { issueReceipt, previousMonth, runMonthly, sessionRated, type InvoicingDeps } from './issue.js';

const RECEIPT_SWEEP_BATCH = 200;

export function startInvoicing(services: Services): { jobs: Job[]; stop(): void } {
  const deps: InvoicingDeps = { db: services.db, clock: services.clock, config: services.config.invoicing, log: services.log.child({ component: 'invoicing' }) };
  const unsubscribe = services.events.on('session.rated', async ({ transactionId }) => {
    await sessionRated(deps, transactionId);
  });
  const timeZone = deps.config.timeZone;
  return {
    jobs: [
      {
        name: 'pending-receipts',
        everyMs: 600_000,
        run: async () => {
          for (const id of await pendingReceipts(deps.db, RECEIPT_SWEEP_BATCH)) await issueReceipt(deps, id);
        },
      },
      {
        // Hourly, but only on the 1st: the run is idempotent, so later hours of the day find nothing new.
        name: 'monthly-invoices',
        everyMs: 3_600_000,
        run: async () => {
          const now = services.clock.now();
          if (DateTime.fromJSDate(now, { zone: timeZone }).day === 1) await runMonthly(deps, previousMonth(now, timeZone));
        },
      },
    ],
    stop: unsubscribe,
  };
}

// Invoicing follows rating: on session.rated a paid session is queued and, for receipt
// customers, gets its receipt. Background jobs issue receipts an earlier attempt left behind,
// catch up on ratings whose event was missed, and run the monthly invoices on the 1st of each
// month (in INVOICE_TIME_ZONE).

import { DateTime } from 'luxon';
import type { Job } from '../../scheduler.js';
import type { Services } from '../handler-context.js';
import { pendingReceipts } from './invoice-store.js';
import { catchUpRatings, issueReceipt, previousMonth, runMonthly, sessionRated, type InvoicingDeps } from './issue.js';

const RECEIPT_SWEEP_BATCH = 200;
/** How far back the hourly catch-up looks for ratings whose event we missed. */
const CATCH_UP_DAYS = 45;

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
        name: 'missed-ratings',
        everyMs: 3_600_000,
        run: () => catchUpRatings(deps, new Date(services.clock.now().getTime() - CATCH_UP_DAYS * 86_400_000)),
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

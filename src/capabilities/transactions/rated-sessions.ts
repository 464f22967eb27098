// Finished sessions that carry a rated cost, read in id pages: for what follows session.rated
// (invoicing) to catch up on events it missed, e.g. when the process stopped between the rating's
// commit and the listener.

import { and, asc, gt, gte, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { transactions, type SessionCost } from './tables.js';

export async function* ratedSessionPages(db: Executor, stoppedSince: Date, size: number): AsyncGenerator<{ id: number; cost: SessionCost }[]> {
  let after = 0;
  for (;;) {
    const page = await db
      .select({ id: transactions.id, cost: transactions.cost })
      .from(transactions)
      .where(and(gt(transactions.id, after), gte(transactions.stoppedAt, stoppedSince), isNotNull(transactions.cost)))
      .orderBy(asc(transactions.id))
      .limit(size);
    if (page.length > 0) yield page.map((row) => ({ id: row.id, cost: row.cost! }));
    if (page.length < size) return;
    after = page.at(-1)!.id;
  }
}

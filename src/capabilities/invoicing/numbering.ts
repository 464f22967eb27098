// Gap-free document numbers (R-2026-000001, INV-..., CN-...). A sequence would leave gaps (a
// rolled-back transaction still consumes its value), which tax law does not allow for invoices.
// Instead the counter row of the series and year is incremented inside the transaction that
// writes the document: the upsert locks that row (as SELECT ... FOR UPDATE would) until the
// transaction ends, so concurrent issuers wait their turn, and a rollback gives the number back.

import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { queryRows, type Transaction } from '../../storage/database.js';
import type { DocumentKind } from './tables.js';

export const SERIES: Record<DocumentKind, string> = { receipt: 'R', invoice: 'INV', credit_note: 'CN' };

export interface Allocated {
  number: string;
  /** Read after the counter lock is held, so issue times follow the numbers' order. */
  issuedAt: Date;
}

export async function allocateNumber(tx: Transaction, tenantId: number, kind: DocumentKind, timeZone: string, now: () => Date): Promise<Allocated> {
  const series = SERIES[kind];
  const year = DateTime.fromJSDate(now(), { zone: timeZone }).year;
  const [row] = await queryRows<{ last: number }>(
    tx,
    sql`insert into document_counters (tenant_id, series, year, last) values (${tenantId}, ${series}, ${year}, 1)
        on conflict (tenant_id, series, year) do update set last = document_counters.last + 1
        returning last`,
  );
  const issuedAt = now();
  // A year that turned while we waited for the lock keeps the number of the year we locked.
  return { number: `${series}-${year}-${String(row!.last).padStart(6, '0')}`, issuedAt };
}

// Issued documents never change: the database itself refuses any UPDATE or DELETE of an invoice
// row, whoever sends it (our code, a script, psql). Corrections are credit notes. Triggers cannot
// be declared in the drizzle tables, so they are (re)created at start-up, idempotently.

import { sql } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';

// One lock key so that several nodes starting together do not replace the trigger at once.
const TRIGGER_LOCK_KEY = 0x0cc9_0701;

export async function ensureInvoiceImmutability(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${TRIGGER_LOCK_KEY})`);
    await tx.execute(sql`
      create or replace function invoices_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'invoice % is issued and cannot be changed or deleted; issue a credit note instead', old.number
          using errcode = 'integrity_constraint_violation';
      end $$`);
    await tx.execute(sql`
      create or replace trigger invoices_immutable before update or delete on invoices
      for each row execute function invoices_refuse_change()`);
  });
}

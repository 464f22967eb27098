// Tenants' rows: the platform tenant's people create the others, each with its first owner.

import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { createUser, findUserByEmail } from '../security/users.js';
import { tenants } from './tables.js';

export type TenantRow = typeof tenants.$inferSelect;
export type TenantFields = Pick<typeof tenants.$inferInsert, 'name' | 'invoiceAddress' | 'vatId'>;

export async function listTenants(db: Executor): Promise<TenantRow[]> {
  return db.select().from(tenants).orderBy(asc(tenants.id));
}

export async function getTenant(db: Executor, id: number): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  return row;
}

export type CreateTenantOutcome = { created: TenantRow } | { taken: 'name' | 'email' };

/** A tenant and its first owner, both or neither. */
export async function createTenant(db: Executor, fields: TenantFields, owner: { email: string; password: string }): Promise<CreateTenantOutcome> {
  return db.transaction(async (tx) => {
    if (await findUserByEmail(tx, owner.email)) return { taken: 'email' as const };
    const [row] = await tx.insert(tenants).values(fields).onConflictDoNothing().returning();
    if (!row) return { taken: 'name' as const };
    if (!(await createUser(tx, owner.email, owner.password, 'owner', row.id))) throw new Error('the owner address was taken meanwhile');
    return { created: row };
  });
}

export async function updateTenant(db: Executor, id: number, changes: Partial<TenantFields>): Promise<TenantRow | undefined | 'name-taken'> {
  if (changes.name !== undefined) {
    const [holder] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.name, changes.name));
    if (holder && holder.id !== id) return 'name-taken';
  }
  if (Object.keys(changes).length === 0) return getTenant(db, id);
  const [row] = await db.update(tenants).set(changes).where(eq(tenants.id, id)).returning();
  return row;
}

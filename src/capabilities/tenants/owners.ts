// Whether a tenant owns a resource that an API path names: the one read of ownership across
// capabilities (read only, by key), so the API's tenant check (api/tenant-scope.ts) has a single
// source. A station's tenant also owns its sessions and reservations. Id tags are named per
// tenant (several tenants may register one card), so the question is always "is it yours?".

import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { idTags } from '../authorization/tables.js';
import { tariffs } from '../billing/tables.js';
import { firmwareFiles } from '../firmware/tables.js';
import { invoices } from '../invoicing/tables.js';
import { reservations } from '../reservations/tables.js';
import { apiKeys, users } from '../security/tables.js';
import { sites } from '../sites/tables.js';
import { stations } from '../stations/tables.js';
import { transactions } from '../transactions/tables.js';

/** The kinds of owned things a path parameter may name. */
export type OwnedKind = 'station' | 'site' | 'idTag' | 'session' | 'tariff' | 'invoice' | 'reservation' | 'firmware' | 'user' | 'apiKey';

interface Owner {
  /** The 404 a missing (or foreign) one gets, in the words the routes use themselves. */
  missing(id: string): string;
  /** Whether `tenantId` has one of that id. */
  owns(db: Executor, tenantId: number, id: string): Promise<boolean>;
}

const serialId = (id: string): number | undefined => (/^\d{1,9}$/.test(id) ? Number(id) : undefined);

async function first(rows: Promise<{ tenantId: number }[]>): Promise<number | undefined> {
  return (await rows)[0]?.tenantId;
}

/** Ownership of a thing with one owner: its row's tenant is the caller's. */
function byKey(read: (db: Executor, id: string) => Promise<{ tenantId: number }[]>) {
  return async (db: Executor, tenantId: number, id: string) => (await first(read(db, id))) === tenantId;
}

/** The same for serial ids: a path value that is no serial names nothing. */
function bySerial(read: (db: Executor, id: number) => Promise<{ tenantId: number }[]>) {
  return async (db: Executor, tenantId: number, id: string) => {
    const numeric = serialId(id);
    return numeric !== undefined && (await first(read(db, numeric))) === tenantId;
  };
}

export const OWNERS: Record<OwnedKind, Owner> = {
  station: {
    missing: (id) => `No station "${id}"`,
    owns: async (db, tenantId, id) => (await stationTenant(db, id)) === tenantId,
  },
  site: {
    missing: (id) => `No site "${id}"`,
    owns: byKey((db, id) => db.select({ tenantId: sites.tenantId }).from(sites).where(eq(sites.id, id))),
  },
  idTag: {
    missing: (id) => `No id tag "${id}"`,
    owns: async (db, tenantId, id) =>
      (await db
        .select({ id: idTags.id })
        .from(idTags)
        .where(and(eq(idTags.tenantId, tenantId), sql`lower(${idTags.idTag}) = lower(${id})`))).length > 0,
  },
  session: {
    missing: (id) => `No session ${id}`,
    owns: bySerial((db, id) =>
      db.select({ tenantId: stations.tenantId }).from(transactions).innerJoin(stations, eq(stations.id, transactions.stationId)).where(eq(transactions.id, id)),
    ),
  },
  tariff: {
    missing: (id) => `No tariff "${id}"`,
    owns: byKey((db, id) => db.select({ tenantId: tariffs.tenantId }).from(tariffs).where(eq(tariffs.id, id))),
  },
  invoice: {
    missing: (id) => `No invoice ${id}`,
    owns: bySerial((db, id) => db.select({ tenantId: invoices.tenantId }).from(invoices).where(eq(invoices.id, id))),
  },
  reservation: {
    missing: (id) => `No reservation ${id}`,
    owns: bySerial((db, id) =>
      db.select({ tenantId: stations.tenantId }).from(reservations).innerJoin(stations, eq(stations.id, reservations.stationId)).where(eq(reservations.id, id)),
    ),
  },
  firmware: {
    missing: (id) => `No firmware ${id}`,
    owns: bySerial((db, id) => db.select({ tenantId: firmwareFiles.tenantId }).from(firmwareFiles).where(eq(firmwareFiles.id, id))),
  },
  user: {
    missing: (id) => `No user ${id}`,
    owns: bySerial((db, id) => db.select({ tenantId: users.tenantId }).from(users).where(eq(users.id, id))),
  },
  apiKey: {
    missing: (id) => `No API key ${id}`,
    owns: bySerial((db, id) => db.select({ tenantId: apiKeys.tenantId }).from(apiKeys).where(eq(apiKeys.id, id))),
  },
};

/** A station's tenant (for the charger's path: its id tags, tariffs and invoices are that tenant's). */
export async function stationTenant(db: Executor, stationId: string): Promise<number | undefined> {
  return first(db.select({ tenantId: stations.tenantId }).from(stations).where(eq(stations.id, stationId)));
}

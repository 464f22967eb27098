// Who owns a resource that an API path names: the one read of ownership across capabilities
// (read only, by primary key), so the API's tenant check (api/tenant-scope.ts) has a single
// source. A station's tenant also owns its sessions and reservations.

import { eq, sql } from 'drizzle-orm';
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
  tenantOf(db: Executor, id: string): Promise<number | undefined>;
}

const serialId = (id: string): number | undefined => (/^\d{1,9}$/.test(id) ? Number(id) : undefined);

async function first(rows: Promise<{ tenantId: number }[]>): Promise<number | undefined> {
  return (await rows)[0]?.tenantId;
}

function bySerial(read: (db: Executor, id: number) => Promise<{ tenantId: number }[]>) {
  return (db: Executor, id: string) => {
    const numeric = serialId(id);
    return numeric === undefined ? Promise.resolve(undefined) : first(read(db, numeric));
  };
}

export const OWNERS: Record<OwnedKind, Owner> = {
  station: {
    missing: (id) => `No station "${id}"`,
    tenantOf: (db, id) => first(db.select({ tenantId: stations.tenantId }).from(stations).where(eq(stations.id, id))),
  },
  site: {
    missing: (id) => `No site "${id}"`,
    tenantOf: (db, id) => first(db.select({ tenantId: sites.tenantId }).from(sites).where(eq(sites.id, id))),
  },
  idTag: {
    missing: (id) => `No id tag "${id}"`,
    tenantOf: (db, id) => first(db.select({ tenantId: idTags.tenantId }).from(idTags).where(sql`lower(${idTags.idTag}) = lower(${id})`)),
  },
  session: {
    missing: (id) => `No session ${id}`,
    tenantOf: bySerial((db, id) =>
      db.select({ tenantId: stations.tenantId }).from(transactions).innerJoin(stations, eq(stations.id, transactions.stationId)).where(eq(transactions.id, id)),
    ),
  },
  tariff: {
    missing: (id) => `No tariff "${id}"`,
    tenantOf: (db, id) => first(db.select({ tenantId: tariffs.tenantId }).from(tariffs).where(eq(tariffs.id, id))),
  },
  invoice: {
    missing: (id) => `No invoice ${id}`,
    tenantOf: bySerial((db, id) => db.select({ tenantId: invoices.tenantId }).from(invoices).where(eq(invoices.id, id))),
  },
  reservation: {
    missing: (id) => `No reservation ${id}`,
    tenantOf: bySerial((db, id) =>
      db.select({ tenantId: stations.tenantId }).from(reservations).innerJoin(stations, eq(stations.id, reservations.stationId)).where(eq(reservations.id, id)),
    ),
  },
  firmware: {
    missing: (id) => `No firmware ${id}`,
    tenantOf: bySerial((db, id) => db.select({ tenantId: firmwareFiles.tenantId }).from(firmwareFiles).where(eq(firmwareFiles.id, id))),
  },
  user: {
    missing: (id) => `No user ${id}`,
    tenantOf: bySerial((db, id) => db.select({ tenantId: users.tenantId }).from(users).where(eq(users.id, id))),
  },
  apiKey: {
    missing: (id) => `No API key ${id}`,
    tenantOf: bySerial((db, id) => db.select({ tenantId: apiKeys.tenantId }).from(apiKeys).where(eq(apiKeys.id, id))),
  },
};

/** A station's tenant (for the charger's path: its id tags, tariffs and invoices are that tenant's). */
export async function stationTenant(db: Executor, stationId: string): Promise<number | undefined> {
  return OWNERS.station.tenantOf(db, stationId);
}

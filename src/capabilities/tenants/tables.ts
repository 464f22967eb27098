// Tenants: the organisations that share one central system. A tenant owns its stations, sites,
// id tags, tariffs (and their assignments), firmware files, invoices, people and API keys;
// sessions, reservations, commands and everything else a station reports belong to the
// station's tenant. Tenant 1 is the platform's own: stations that connect unannounced land in it,
// and only its owners and admins manage other tenants.

import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { createdAt } from '../../storage/columns.js';

export const tenants = pgTable('tenants', {
  id: serial().primaryKey(),
  name: text().notNull().unique(),
  /** The seller on this tenant's invoices (the platform tenant falls back to the INVOICE_SELLER_* settings). */
  invoiceAddress: text(),
  vatId: text(),
  createdAt: createdAt(),
});

/** The platform's own tenant, made by the migration that introduced tenants. */
export const PLATFORM_TENANT_ID = 1;

/** The owning tenant of a row: every owned table has this column, and every query names it. */
export const tenantColumn = () =>
  integer()
    .notNull()
    .references(() => tenants.id);

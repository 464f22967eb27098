// Tables owned by the authorization capability.

import { sql } from 'drizzle-orm';
import { boolean, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant } from '../../storage/columns.js';

export const ID_TAG_STATUSES = ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'] as const;
export type IdTagStatus = (typeof ID_TAG_STATUSES)[number];

export const idTags = pgTable(
  'id_tags',
  {
    id: serial().primaryKey(),
    /** Stored as given; compared case-insensitively (OCPP CiString20). */
    idTag: text().notNull(),
    status: text({ enum: ID_TAG_STATUSES }).notNull().default('Accepted'),
    expiryDate: instant(),
    parentIdTag: text(),
    /** An internal user (staff, fleet pool car): sessions are recorded but billed at zero. */
    internal: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [uniqueIndex('id_tags_id_tag_ci').on(sql`lower(${t.idTag})`)],
);

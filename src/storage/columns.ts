// Column helpers shared by every capability's tables, so all timestamps mean the same thing.

import { timestamp } from 'drizzle-orm/pg-core';

/** A point in time with its zone (timestamptz), read back as a Date. */
export const instant = () => timestamp({ withTimezone: true, mode: 'date' });

/** When our server stored the row; defaults to the database's clock. */
export const createdAt = () => instant().notNull().defaultNow();

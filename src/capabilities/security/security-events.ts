// Security events the stations report (SecurityEventNotification), newest first.

import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { securityEvents } from './tables.js';

export type SecurityEventRow = typeof securityEvents.$inferSelect;

export async function securityEventsOf(db: Executor, stationId: string, filter: { type?: string | undefined; before?: number | undefined; limit: number }): Promise<SecurityEventRow[]> {
  const where: SQL[] = [eq(securityEvents.stationId, stationId)];
  if (filter.type) where.push(eq(securityEvents.type, filter.type));
  if (filter.before) where.push(lt(securityEvents.id, filter.before));
  return db
    .select()
    .from(securityEvents)
    .where(and(...where))
    .orderBy(desc(securityEvents.timestamp), desc(securityEvents.id))
    .limit(filter.limit);
}

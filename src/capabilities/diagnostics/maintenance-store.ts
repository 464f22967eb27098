// The latest firmware, diagnostics and log-upload state of each station.

import { eq } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { maintenanceStatus } from './tables.js';

export type MaintenanceRow = typeof maintenanceStatus.$inferSelect;
type Changes = Partial<Omit<typeof maintenanceStatus.$inferInsert, 'stationId' | 'updatedAt'>>;

export async function recordMaintenanceStatus(db: Executor, stationId: string, changes: Changes, at: Date): Promise<void> {
  await db
    .insert(maintenanceStatus)
    .values({ stationId, ...changes, updatedAt: at })
    .onConflictDoUpdate({ target: maintenanceStatus.stationId, set: { ...changes, updatedAt: at } });
}

export async function maintenanceOf(db: Executor, stationId: string): Promise<MaintenanceRow | undefined> {
  const [row] = await db.select().from(maintenanceStatus).where(eq(maintenanceStatus.stationId, stationId));
  return row;
}

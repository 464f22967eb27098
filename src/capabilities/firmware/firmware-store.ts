// Queries on hosted firmware files and the UpdateFirmware requests sent to stations.

import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { firmwareFiles, firmwareUpdates } from './tables.js';

export type FirmwareFileRow = typeof firmwareFiles.$inferSelect;
export type FirmwareUpdateRow = typeof firmwareUpdates.$inferSelect;

/** A FirmwareStatusNotification with one of these ends an update; later ones (Idle) are not about it. */
const FINAL_STATUSES = ['Installed', 'InstallationFailed', 'DownloadFailed'];

export async function insertFirmwareFile(db: Executor, file: typeof firmwareFiles.$inferInsert): Promise<FirmwareFileRow> {
  const [row] = await db.insert(firmwareFiles).values(file).returning();
  return row!;
}

/** The tenant's hosted files, newest first. */
export const listFirmwareFiles = (db: Executor, tenantId: number) =>
  db.select().from(firmwareFiles).where(eq(firmwareFiles.tenantId, tenantId)).orderBy(desc(firmwareFiles.id));

export async function firmwareFile(db: Executor, id: number): Promise<FirmwareFileRow | undefined> {
  const [row] = await db.select().from(firmwareFiles).where(eq(firmwareFiles.id, id));
  return row;
}

export async function firmwareFileByToken(db: Executor, token: string): Promise<FirmwareFileRow | undefined> {
  const [row] = await db.select().from(firmwareFiles).where(eq(firmwareFiles.token, token));
  return row;
}

export async function noteDownload(db: Executor, id: number, at: Date): Promise<void> {
  await db
    .update(firmwareFiles)
    .set({ downloads: sql`${firmwareFiles.downloads} + 1`, lastDownloadedAt: at })
    .where(eq(firmwareFiles.id, id));
}

export async function insertFirmwareUpdate(db: Executor, update: typeof firmwareUpdates.$inferInsert): Promise<FirmwareUpdateRow> {
  const [row] = await db.insert(firmwareUpdates).values(update).returning();
  return row!;
}

export async function latestFirmwareUpdate(db: Executor, stationId: string): Promise<FirmwareUpdateRow | undefined> {
  const [row] = await db.select().from(firmwareUpdates).where(eq(firmwareUpdates.stationId, stationId)).orderBy(desc(firmwareUpdates.id)).limit(1);
  return row;
}

export async function settleFirmwareUpdate(db: Executor, id: number, outcome: 'sent' | 'failed', detail: string | null): Promise<FirmwareUpdateRow> {
  const [row] = await db.update(firmwareUpdates).set({ outcome, detail }).where(eq(firmwareUpdates.id, id)).returning();
  return row!;
}

export const firmwareUpdatesOf = (db: Executor, stationId: string, limit: number) =>
  db.select().from(firmwareUpdates).where(eq(firmwareUpdates.stationId, stationId)).orderBy(desc(firmwareUpdates.id)).limit(limit);

/** The station reported firmware progress: it belongs to its latest update that was sent and has not ended. */
export async function noteFirmwareStatus(db: Executor, stationId: string, status: string, at: Date): Promise<void> {
  if (status === 'Idle') return;
  const latest = await latestFirmwareUpdate(db, stationId);
  if (!latest || latest.outcome === 'failed' || (latest.status !== null && FINAL_STATUSES.includes(latest.status))) return;
  await db
    .update(firmwareUpdates)
    .set({ status, statusAt: at })
    .where(and(eq(firmwareUpdates.id, latest.id), notInArray(sql`coalesce(${firmwareUpdates.status}, '')`, FINAL_STATUSES)));
}

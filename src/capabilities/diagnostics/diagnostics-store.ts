// Queries on GetDiagnostics requests and the files uploaded for them.

import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { diagnosticsFiles, diagnosticsRequests } from './tables.js';

export type DiagnosticsRequestRow = typeof diagnosticsRequests.$inferSelect;
export type DiagnosticsFileRow = typeof diagnosticsFiles.$inferSelect;

export async function insertDiagnosticsRequest(db: Executor, request: typeof diagnosticsRequests.$inferInsert): Promise<DiagnosticsRequestRow> {
  const [row] = await db.insert(diagnosticsRequests).values(request).returning();
  return row!;
}

export async function settleDiagnosticsRequest(
  db: Executor,
  id: number,
  settled: { outcome: 'sent' | 'failed'; detail: string | null; fileName: string | null },
): Promise<DiagnosticsRequestRow> {
  const [row] = await db.update(diagnosticsRequests).set(settled).where(eq(diagnosticsRequests.id, id)).returning();
  return row!;
}

export async function diagnosticsRequestByToken(db: Executor, token: string): Promise<DiagnosticsRequestRow | undefined> {
  const [row] = await db.select().from(diagnosticsRequests).where(eq(diagnosticsRequests.token, token));
  return row;
}

export const diagnosticsRequestsOf = (db: Executor, stationId: string, limit: number) =>
  db.select().from(diagnosticsRequests).where(eq(diagnosticsRequests.stationId, stationId)).orderBy(desc(diagnosticsRequests.id)).limit(limit);

export async function filesOf(db: Executor, requestIds: number[]): Promise<DiagnosticsFileRow[]> {
  if (requestIds.length === 0) return [];
  return db.select().from(diagnosticsFiles).where(inArray(diagnosticsFiles.requestId, requestIds)).orderBy(diagnosticsFiles.id);
}

export async function insertDiagnosticsFile(db: Executor, file: typeof diagnosticsFiles.$inferInsert): Promise<DiagnosticsFileRow> {
  const [row] = await db.insert(diagnosticsFiles).values(file).returning();
  return row!;
}

export async function diagnosticsFile(db: Executor, stationId: string, id: number): Promise<DiagnosticsFileRow | undefined> {
  const [row] = await db.select().from(diagnosticsFiles).where(and(eq(diagnosticsFiles.id, id), eq(diagnosticsFiles.stationId, stationId)));
  return row;
}

/** The station reported diagnostics progress: it belongs to its latest request that did not fail. */
export async function noteDiagnosticsStatus(db: Executor, stationId: string, status: string, at: Date): Promise<void> {
  if (status === 'Idle') return;
  const [latest] = await diagnosticsRequestsOf(db, stationId, 1);
  if (!latest || latest.outcome === 'failed') return;
  await db.update(diagnosticsRequests).set({ status, statusAt: at }).where(eq(diagnosticsRequests.id, latest.id));
}

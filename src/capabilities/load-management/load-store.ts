// Reads and writes of load management's own tables.

import { and, asc, desc, eq, gte, inArray, lt, lte, sql, type Column } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { buildingLoadReports, loadCircuits, loadCircuitStations, loadPriorities, loadSnapshots, loadStations } from './tables.js';

/** `column = any($1)`: one array parameter, not one per id (a site may have thousands of stations). */
const anyOf = (column: Column, ids: string[]) => sql`${column} = any(${sql.param(ids)}::text[])`;

export type CircuitRow = typeof loadCircuits.$inferSelect;
export type LoadStationRow = typeof loadStations.$inferSelect;
export type SnapshotRow = typeof loadSnapshots.$inferSelect;
export type NewSnapshot = typeof loadSnapshots.$inferInsert;

// ---- circuits ---------------------------------------------------------------------------------

export interface Circuit extends CircuitRow {
  stationIds: string[];
}

export async function circuitsOf(db: Executor, siteId: string): Promise<Circuit[]> {
  const rows = await db.select().from(loadCircuits).where(eq(loadCircuits.siteId, siteId)).orderBy(asc(loadCircuits.name), asc(loadCircuits.id));
  if (rows.length === 0) return [];
  const members = await db
    .select()
    .from(loadCircuitStations)
    .where(
      inArray(
        loadCircuitStations.circuitId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(asc(loadCircuitStations.stationId));
  return rows.map((row) => ({ ...row, stationIds: members.filter((member) => member.circuitId === row.id).map((member) => member.stationId) }));
}

/** Whether a circuit has this id on any site: ids are unique across sites (and tenants). */
export async function circuitIdTaken(db: Executor, id: string): Promise<boolean> {
  const rows = await db.select({ id: loadCircuits.id }).from(loadCircuits).where(eq(loadCircuits.id, id));
  return rows.length > 0;
}

/** The circuit each of `stationIds` is on, where it is on one. */
export async function circuitMemberships(db: Executor, stationIds: string[]): Promise<Map<string, string>> {
  if (stationIds.length === 0) return new Map();
  const rows = await db.select().from(loadCircuitStations).where(anyOf(loadCircuitStations.stationId, stationIds));
  return new Map(rows.map((row) => [row.stationId, row.circuitId]));
}

/** Takes a station off whatever circuit it is on (it left its site). */
export async function leaveCircuits(db: Executor, stationId: string): Promise<void> {
  await db.delete(loadCircuitStations).where(eq(loadCircuitStations.stationId, stationId));
}

export async function saveCircuit(db: Executor, circuit: Omit<CircuitRow, 'createdAt'>, stationIds: string[] | undefined): Promise<void> {
  await db
    .insert(loadCircuits)
    .values(circuit)
    .onConflictDoUpdate({ target: loadCircuits.id, set: { name: circuit.name, limitAmps: circuit.limitAmps } });
  if (stationIds === undefined) return;
  await db.delete(loadCircuitStations).where(eq(loadCircuitStations.circuitId, circuit.id));
  if (stationIds.length > 0) await db.insert(loadCircuitStations).values(stationIds.map((stationId) => ({ stationId, circuitId: circuit.id })));
}

export async function deleteCircuit(db: Executor, siteId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(loadCircuits)
    .where(and(eq(loadCircuits.siteId, siteId), eq(loadCircuits.id, id)))
    .returning({ id: loadCircuits.id });
  return rows.length > 0;
}

// ---- stations ---------------------------------------------------------------------------------

export async function loadStationRows(db: Executor, stationIds: string[]): Promise<Map<string, LoadStationRow>> {
  if (stationIds.length === 0) return new Map();
  const rows = await db.select().from(loadStations).where(anyOf(loadStations.stationId, stationIds));
  return new Map(rows.map((row) => [row.stationId, row]));
}

export async function updateLoadStation(db: Executor, stationId: string, changes: Partial<Omit<LoadStationRow, 'stationId'>>): Promise<LoadStationRow> {
  const [row] = await db
    .insert(loadStations)
    .values({ stationId, ...changes })
    .onConflictDoUpdate({ target: loadStations.stationId, set: changes })
    .returning();
  return row!;
}

/** Changes a station's load state only if it has one (a station load management never touched has nothing to reset). */
export async function changeExistingLoadStation(db: Executor, stationId: string, changes: Partial<Omit<LoadStationRow, 'stationId'>>): Promise<void> {
  await db.update(loadStations).set(changes).where(eq(loadStations.stationId, stationId));
}

// ---- building load ------------------------------------------------------------------------------

export async function buildingReport(db: Executor, siteId: string): Promise<{ amps: number; reportedAt: Date } | undefined> {
  const [row] = await db.select().from(buildingLoadReports).where(eq(buildingLoadReports.siteId, siteId));
  return row;
}

export async function reportBuildingLoad(db: Executor, siteId: string, amps: number, reportedAt: Date): Promise<void> {
  await db
    .insert(buildingLoadReports)
    .values({ siteId, amps, reportedAt })
    .onConflictDoUpdate({ target: buildingLoadReports.siteId, set: { amps, reportedAt } });
}

// ---- priorities ---------------------------------------------------------------------------------

export function listPriorities(db: Executor, tenantId: number): Promise<(typeof loadPriorities.$inferSelect)[]> {
  return db.select().from(loadPriorities).where(eq(loadPriorities.tenantId, tenantId)).orderBy(desc(loadPriorities.priority), asc(loadPriorities.idTag));
}

export async function setPriority(db: Executor, tenantId: number, idTag: string, priority: number): Promise<void> {
  await db
    .insert(loadPriorities)
    .values({ tenantId, idTag, priority })
    .onConflictDoUpdate({ target: [loadPriorities.tenantId, loadPriorities.idTag], set: { priority, updatedAt: new Date() } });
}

export async function deletePriority(db: Executor, tenantId: number, idTag: string): Promise<boolean> {
  const rows = await db.delete(loadPriorities).where(and(eq(loadPriorities.tenantId, tenantId), eq(loadPriorities.idTag, idTag))).returning({ idTag: loadPriorities.idTag });
  return rows.length > 0;
}

// ---- history ------------------------------------------------------------------------------------

export async function recordSnapshot(db: Executor, snapshot: NewSnapshot): Promise<void> {
  await db.insert(loadSnapshots).values(snapshot);
}

export function snapshotsBetween(db: Executor, siteId: string, from: Date, to: Date, limit: number): Promise<SnapshotRow[]> {
  return db
    .select()
    .from(loadSnapshots)
    .where(and(eq(loadSnapshots.siteId, siteId), gte(loadSnapshots.at, from), lte(loadSnapshots.at, to)))
    .orderBy(asc(loadSnapshots.at), asc(loadSnapshots.id))
    .limit(limit);
}

export async function latestSnapshot(db: Executor, siteId: string): Promise<SnapshotRow | undefined> {
  const [row] = await db.select().from(loadSnapshots).where(eq(loadSnapshots.siteId, siteId)).orderBy(desc(loadSnapshots.at), desc(loadSnapshots.id)).limit(1);
  return row;
}

export async function pruneSnapshots(db: Executor, before: Date): Promise<void> {
  await db.delete(loadSnapshots).where(lt(loadSnapshots.at, before));
}

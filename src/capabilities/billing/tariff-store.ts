// Reads and writes of tariffs, their versions, group/default assignments and the tariff version
// each session started under.

import { and, asc, desc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../storage/database.js';
import { sessionTariffs, tariffAssignments, tariffs, tariffVersions, type AssignmentScope } from './tables.js';
import type { OcpiTariffBody } from './tariff-model.js';

export interface TariffVersionRow {
  id: string;
  /** The tenant that owns the tariff. */
  tenantId: number;
  version: number;
  body: OcpiTariffBody;
  validFrom: Date;
  /** The newest version of the tariff. */
  currentVersion: number;
  deleted: boolean;
}

const versionColumns = {
  id: tariffVersions.tariffId,
  tenantId: tariffs.tenantId,
  version: tariffVersions.version,
  body: tariffVersions.body,
  validFrom: tariffVersions.validFrom,
  currentVersion: tariffs.currentVersion,
  deleted: sql<boolean>`${tariffs.deletedAt} is not null`,
};

const versionsJoin = (db: Executor) => db.select(versionColumns).from(tariffVersions).innerJoin(tariffs, eq(tariffs.id, tariffVersions.tariffId));

export async function createTariff(db: Database, tenantId: number, id: string, body: OcpiTariffBody, at: Date): Promise<TariffVersionRow> {
  await db.transaction(async (tx) => {
    await tx.insert(tariffs).values({ id, tenantId, currentVersion: 1, createdAt: at, updatedAt: at });
    await tx.insert(tariffVersions).values({ tariffId: id, version: 1, body, validFrom: at });
  });
  return (await getTariff(db, id))!;
}

/** Adds a version; sessions started before keep theirs. */
export async function addTariffVersion(db: Database, id: string, body: OcpiTariffBody, at: Date): Promise<TariffVersionRow | undefined> {
  const version = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(tariffs)
      .set({ currentVersion: sql`${tariffs.currentVersion} + 1`, updatedAt: at })
      .where(and(eq(tariffs.id, id), isNull(tariffs.deletedAt)))
      .returning({ version: tariffs.currentVersion });
    if (!row) return undefined;
    await tx.insert(tariffVersions).values({ tariffId: id, version: row.version, body, validFrom: at });
    return row.version;
  });
  return version === undefined ? undefined : getTariff(db, id, version);
}

/** A version of a tariff (the newest when none is named); deleted tariffs only when asked. */
export async function getTariff(db: Executor, id: string, version?: number, options: { includeDeleted?: boolean } = {}): Promise<TariffVersionRow | undefined> {
  const [row] = await versionsJoin(db).where(
    and(
      eq(tariffVersions.tariffId, id),
      version === undefined ? eq(tariffVersions.version, tariffs.currentVersion) : eq(tariffVersions.version, version),
      options.includeDeleted ? undefined : isNull(tariffs.deletedAt),
    ),
  );
  return row;
}

/** The newest version of every tariff of a tenant that is not deleted. */
export function listTariffs(db: Executor, tenantId: number): Promise<TariffVersionRow[]> {
  return versionsJoin(db)
    .where(and(eq(tariffs.tenantId, tenantId), eq(tariffVersions.version, tariffs.currentVersion), isNull(tariffs.deletedAt)))
    .orderBy(asc(tariffs.id));
}

/** Every version of one tariff, oldest first. */
export function tariffHistory(db: Executor, id: string): Promise<TariffVersionRow[]> {
  return versionsJoin(db).where(eq(tariffVersions.tariffId, id)).orderBy(asc(tariffVersions.version));
}

/** The version in force at an instant (the first one if the tariff is younger). */
export async function tariffVersionAt(db: Executor, id: string, at: Date): Promise<TariffVersionRow | undefined> {
  const [inForce] = await versionsJoin(db).where(and(eq(tariffVersions.tariffId, id), lte(tariffVersions.validFrom, at))).orderBy(desc(tariffVersions.version)).limit(1);
  return inForce ?? getTariff(db, id, 1, { includeDeleted: true });
}

export async function deleteTariff(db: Executor, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(tariffs)
    .set({ deletedAt: at, updatedAt: at })
    .where(and(eq(tariffs.id, id), isNull(tariffs.deletedAt)))
    .returning({ id: tariffs.id });
  return rows.length > 0;
}

/** Whether the tenant has this tariff (and has not deleted it). */
export async function tariffExists(db: Executor, tenantId: number, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: tariffs.id })
    .from(tariffs)
    .where(and(eq(tariffs.id, id), eq(tariffs.tenantId, tenantId), isNull(tariffs.deletedAt)));
  return row !== undefined;
}

export interface AssignmentRow {
  scope: AssignmentScope;
  key: string;
  tariffId: string;
}

/** Group keys are the group's id tag in lower case (id tags compare case-insensitively). */
export const groupKey = (groupIdTag: string) => groupIdTag.toLowerCase();
export const DEFAULT_KEY = '';

export async function setAssignment(db: Executor, tenantId: number, scope: AssignmentScope, key: string, tariffId: string): Promise<void> {
  await db
    .insert(tariffAssignments)
    .values({ tenantId, scope, key, tariffId })
    .onConflictDoUpdate({ target: [tariffAssignments.tenantId, tariffAssignments.scope, tariffAssignments.key], set: { tariffId, updatedAt: sql`now()` } });
}

export async function removeAssignment(db: Executor, tenantId: number, scope: AssignmentScope, key: string): Promise<boolean> {
  const rows = await db
    .delete(tariffAssignments)
    .where(and(eq(tariffAssignments.tenantId, tenantId), eq(tariffAssignments.scope, scope), eq(tariffAssignments.key, key)))
    .returning({ key: tariffAssignments.key });
  return rows.length > 0;
}

/** A tenant's tariff of a token group, or its default (every tenant has its own, key ''). */
export async function getAssignment(db: Executor, tenantId: number, scope: AssignmentScope, key: string): Promise<string | undefined> {
  const [row] = await db
    .select({ tariffId: tariffAssignments.tariffId })
    .from(tariffAssignments)
    .where(and(eq(tariffAssignments.tenantId, tenantId), eq(tariffAssignments.scope, scope), eq(tariffAssignments.key, key)));
  return row?.tariffId;
}

/** A tenant's group and default assignments, optionally only those of one tariff. */
export function listAssignments(db: Executor, tenantId: number, tariffId?: string): Promise<AssignmentRow[]> {
  return db
    .select({ scope: tariffAssignments.scope, key: tariffAssignments.key, tariffId: tariffAssignments.tariffId })
    .from(tariffAssignments)
    .where(and(eq(tariffAssignments.tenantId, tenantId), tariffId ? eq(tariffAssignments.tariffId, tariffId) : undefined))
    .orderBy(asc(tariffAssignments.scope), asc(tariffAssignments.key));
}

export type SessionTariffRow = typeof sessionTariffs.$inferSelect;

/** Records the tariff a session started under; the first record stays. */
export async function recordSessionTariff(db: Executor, row: typeof sessionTariffs.$inferInsert): Promise<SessionTariffRow> {
  await db.insert(sessionTariffs).values(row).onConflictDoNothing();
  return (await getSessionTariff(db, row.transactionId))!;
}

export async function getSessionTariff(db: Executor, transactionId: number): Promise<SessionTariffRow | undefined> {
  const [row] = await db.select().from(sessionTariffs).where(eq(sessionTariffs.transactionId, transactionId));
  return row;
}

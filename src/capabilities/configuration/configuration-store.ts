// Queries on the stored station configuration. A read of all keys replaces what we held; a read
// of some keys, or a change, touches only those keys.

import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { stationConfigurationKeys as keys, stationConfigurations as configurations, type ChangeStatus } from './tables.js';

export type ConfigurationHeader = typeof configurations.$inferSelect;
export type ConfigurationKeyRow = typeof keys.$inferSelect;

export interface ReportedKey {
  key: string;
  value?: string | undefined;
  readonly: boolean;
}

export interface StoredConfiguration {
  header: ConfigurationHeader;
  keys: ConfigurationKeyRow[];
}

const sameKey = (key: string) => sql`lower(${keys.key}) = lower(${key})`;

/** Creates or touches the station's row; within a transaction this also serialises writers of one station. */
async function touch(db: Executor, stationId: string, at: Date, changes: Partial<ConfigurationHeader> = {}): Promise<ConfigurationHeader> {
  const [row] = await db
    .insert(configurations)
    .values({ stationId, updatedAt: at, ...changes })
    .onConflictDoUpdate({ target: configurations.stationId, set: { updatedAt: at, ...changes } })
    .returning();
  return row!;
}

/**
 * Keeps a GetConfiguration answer. `whole`: the request named no keys, so the answer is the
 * station's whole configuration and replaces what we held.
 */
export async function storeRead(db: Executor, stationId: string, whole: boolean, reported: readonly ReportedKey[], unknownKey: readonly string[], at: Date): Promise<void> {
  // A station may report a key twice; the last one counts.
  const latest = new Map(reported.map((entry) => [entry.key.toLowerCase(), entry]));
  await db.transaction(async (tx) => {
    const before = whole ? undefined : await tx.select().from(configurations).where(eq(configurations.stationId, stationId));
    const unknownKeys = whole
      ? [...unknownKey]
      : [...new Set([...(before?.[0]?.unknownKeys ?? []).filter((key) => !latest.has(key.toLowerCase())), ...unknownKey])];
    await touch(tx, stationId, at, whole ? { readAt: at, unknownKeys, rereadOnBoot: false } : { unknownKeys });
    // Rows the read replaces: all the station no longer reports (whole read), and keys now spelt otherwise.
    const existing = await tx.select({ key: keys.key }).from(keys).where(eq(keys.stationId, stationId));
    const stale = existing
      .filter((row) => {
        const entry = latest.get(row.key.toLowerCase());
        return entry ? entry.key !== row.key : whole;
      })
      .map((row) => row.key);
    if (stale.length > 0) await tx.delete(keys).where(and(eq(keys.stationId, stationId), inArray(keys.key, stale)));
    if (latest.size === 0) return;
    await tx
      .insert(keys)
      .values([...latest.values()].map((entry) => ({ stationId, key: entry.key, value: entry.value ?? null, readonly: entry.readonly, valueAt: at })))
      .onConflictDoUpdate({
        target: [keys.stationId, keys.key],
        set: { value: sql.raw('excluded.value'), readonly: sql.raw('excluded.readonly'), valueAt: sql.raw('excluded.value_at') },
      });
  });
}

/** Keeps a ChangeConfiguration answer; an accepted change also becomes the key's value. */
export async function storeChange(
  db: Executor,
  stationId: string,
  change: { key: string; value: string; status: ChangeStatus; by: string },
  at: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await touch(tx, stationId, at, change.status === 'RebootRequired' ? { rereadOnBoot: true } : {});
    const fields = { changeValue: change.value, changeStatus: change.status, changedAt: at, changedBy: change.by };
    const accepted = change.status === 'Accepted' ? { value: change.value, valueAt: at } : {};
    const updated = await tx
      .update(keys)
      .set({ ...fields, ...accepted })
      .where(and(eq(keys.stationId, stationId), sameKey(change.key)))
      .returning({ key: keys.key });
    // A key we never read that the station has (it accepted the change) joins the list; an unknown one does not.
    if (updated.length === 0 && (change.status === 'Accepted' || change.status === 'RebootRequired')) {
      await tx.insert(keys).values({ stationId, key: change.key, value: change.status === 'Accepted' ? change.value : null, readonly: false, valueAt: at, ...fields });
    }
  });
}

export async function configurationOf(db: Executor, stationId: string): Promise<StoredConfiguration | undefined> {
  const header = await configurationHeader(db, stationId);
  if (!header) return undefined;
  return { header, keys: await db.select().from(keys).where(eq(keys.stationId, stationId)).orderBy(asc(keys.key)) };
}

export async function configurationHeader(db: Executor, stationId: string): Promise<ConfigurationHeader | undefined> {
  const [header] = await db.select().from(configurations).where(eq(configurations.stationId, stationId));
  return header;
}

export async function configurationKey(db: Executor, stationId: string, key: string): Promise<ConfigurationKeyRow | undefined> {
  const [row] = await db.select().from(keys).where(and(eq(keys.stationId, stationId), sameKey(key)));
  return row;
}

/**
 * Some keys of a station whose whole configuration was read at least once, with the time of the
 * newest read or change; undefined when it never was (then what we hold may be a fragment).
 */
export async function storedKeys(db: Executor, stationId: string, wanted: readonly string[]): Promise<{ updatedAt: Date; keys: ReportedKey[] } | undefined> {
  const rows = await db
    .select({ updatedAt: configurations.updatedAt, readAt: configurations.readAt, key: keys.key, value: keys.value, readonly: keys.readonly })
    .from(configurations)
    .leftJoin(
      keys,
      and(
        eq(keys.stationId, configurations.stationId),
        inArray(
          sql`lower(${keys.key})`,
          wanted.map((key) => key.toLowerCase()),
        ),
      ),
    )
    .where(eq(configurations.stationId, stationId));
  const first = rows[0];
  if (!first?.readAt) return undefined;
  return {
    updatedAt: first.updatedAt,
    keys: rows.flatMap((row) => (row.key === null ? [] : [{ key: row.key, value: row.value ?? undefined, readonly: row.readonly ?? false }])),
  };
}

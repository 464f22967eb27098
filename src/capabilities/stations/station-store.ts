// Reads and writes of the stations capability's tables. Other capabilities call these functions
// instead of touching the tables.

import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../storage/database.js';
import { connectors, stationEvents, stations, statusNotifications, type Registration } from './tables.js';

export type StationRow = typeof stations.$inferSelect;
export type ConnectorRow = typeof connectors.$inferSelect;

export async function getStation(db: Executor, id: string): Promise<StationRow | undefined> {
  const [row] = await db.select().from(stations).where(eq(stations.id, id));
  return row;
}

/** The station's row, created with `registration` if it has never been seen. */
export async function ensureStation(db: Executor, id: string, registration: Registration): Promise<StationRow> {
  const [created] = await db.insert(stations).values({ id, registration }).onConflictDoNothing().returning();
  return created ?? (await getStation(db, id))!;
}

export interface NewStation {
  id: string;
  registration: Registration;
  passwordHash?: string | null;
  timeZone?: string | null;
  siteId?: string | null;
}

/** Pre-registers a station; returns undefined when the id is taken. */
export async function createStation(db: Executor, station: NewStation): Promise<StationRow | undefined> {
  const [row] = await db.insert(stations).values(station).onConflictDoNothing().returning();
  return row;
}

export type StationChanges = Partial<Pick<StationRow, 'registration' | 'timeZone' | 'passwordHash' | 'siteId'>>;

export async function updateStation(db: Executor, id: string, changes: StationChanges): Promise<StationRow | undefined> {
  const [row] = await db
    .update(stations)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(stations.id, id))
    .returning();
  return row;
}

export interface BootIdentity {
  vendor: string;
  model: string;
  serialNumber: string | null;
  chargeBoxSerialNumber: string | null;
  firmwareVersion: string | null;
  iccid: string | null;
  imsi: string | null;
  meterType: string | null;
  meterSerialNumber: string | null;
}

export async function recordBoot(db: Executor, id: string, identity: BootIdentity, at: Date): Promise<StationRow> {
  const [row] = await db
    .update(stations)
    .set({ ...identity, lastBootAt: at, lastSeenAt: at, updatedAt: at })
    .where(eq(stations.id, id))
    .returning();
  if (!row) throw new Error(`Station ${id} vanished during BootNotification`);
  return row;
}

export async function touchLastSeen(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .update(stations)
    .set({ lastSeenAt: at })
    .where(and(eq(stations.id, id), sql`(${stations.lastSeenAt} is null or ${stations.lastSeenAt} < ${at})`));
}

export interface StationFilter {
  registration?: Registration | undefined;
}

export async function listStations(db: Executor, filter: StationFilter = {}): Promise<StationRow[]> {
  const where: SQL[] = [];
  if (filter.registration) where.push(eq(stations.registration, filter.registration));
  return db.select().from(stations).where(and(...where)).orderBy(asc(stations.id));
}

export async function connectorsOf(db: Executor, stationIds: string[]): Promise<ConnectorRow[]> {
  if (stationIds.length === 0) return [];
  return db
    .select()
    .from(connectors)
    .where(sql`${connectors.stationId} in ${stationIds}`)
    .orderBy(asc(connectors.stationId), asc(connectors.connectorId));
}

export interface ConnectorStatusReport {
  stationId: string;
  connectorId: number;
  status: string;
  errorCode: string;
  info: string | null;
  vendorId: string | null;
  vendorErrorCode: string | null;
  /** The station's timestamp, if it sent one. */
  timestamp: Date | null;
  timestampRaw: string | null;
  receivedAt: Date;
}

/**
 * Keeps the notification in the history and moves the connector's current status forward;
 * a notification older than the current status (delivered late from an offline queue) only
 * goes into the history. Returns whether the current status changed.
 */
export async function recordConnectorStatus(db: Executor, report: ConnectorStatusReport): Promise<boolean> {
  const statusAt = report.timestamp ?? report.receivedAt;
  return db.transaction(async (tx) => {
    await tx
      .insert(statusNotifications)
      .values({
        stationId: report.stationId,
        connectorId: report.connectorId,
        status: report.status,
        errorCode: report.errorCode,
        info: report.info,
        vendorId: report.vendorId,
        vendorErrorCode: report.vendorErrorCode,
        timestamp: report.timestamp,
        timestampRaw: report.timestampRaw,
        receivedAt: report.receivedAt,
      })
      .onConflictDoNothing();
    const current = {
      status: report.status,
      errorCode: report.errorCode,
      info: report.info,
      vendorId: report.vendorId,
      vendorErrorCode: report.vendorErrorCode,
      statusAt,
      updatedAt: report.receivedAt,
    };
    const changed = await tx
      .insert(connectors)
      .values({ stationId: report.stationId, connectorId: report.connectorId, ...current })
      .onConflictDoUpdate({
        target: [connectors.stationId, connectors.connectorId],
        set: current,
        setWhere: sql`${connectors.statusAt} <= excluded.status_at`,
      })
      .returning({ status: connectors.status });
    return changed.length > 0;
  });
}

/** The current status of one connector, if it has reported any. */
export async function connectorStatus(db: Executor, stationId: string, connectorId: number): Promise<ConnectorRow | undefined> {
  const [row] = await db
    .select()
    .from(connectors)
    .where(and(eq(connectors.stationId, stationId), eq(connectors.connectorId, connectorId)));
  return row;
}

/** Appends what a station reported about itself (boot, data transfer, firmware status, ...). */
export async function recordStationEvent(
  db: Executor,
  event: { stationId: string; kind: string; payload: unknown; timestamp?: Date | null; receivedAt: Date },
): Promise<void> {
  await db.insert(stationEvents).values({
    stationId: event.stationId,
    kind: event.kind,
    payload: event.payload,
    timestamp: event.timestamp ?? null,
    receivedAt: event.receivedAt,
  });
}

export async function stationEventsOf(
  db: Executor,
  stationId: string,
  options: { kind?: string | undefined; limit: number },
): Promise<(typeof stationEvents.$inferSelect)[]> {
  const where = [eq(stationEvents.stationId, stationId)];
  if (options.kind) where.push(eq(stationEvents.kind, options.kind));
  return db
    .select()
    .from(stationEvents)
    .where(and(...where))
    .orderBy(desc(stationEvents.receivedAt), desc(stationEvents.id))
    .limit(options.limit);
}

/** Connectors whose current status is `status` and has been since before `before`. */
export async function connectorsInStatusSince(db: Executor, status: string, before: Date): Promise<ConnectorRow[]> {
  return db
    .select()
    .from(connectors)
    .where(and(eq(connectors.status, status), sql`${connectors.statusAt} <= ${before}`));
}

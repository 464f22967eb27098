// Reads and writes of the stations capability's tables. Other capabilities call these functions
// instead of touching the tables.

import { and, asc, desc, eq, isNull, sql, type Column, type SQL } from 'drizzle-orm';
import { queryRows, type Database, type Executor } from '../../storage/database.js';
import { batcherFor } from '../../storage/group-commit.js';
import { tableRow } from '../../storage/raw-rows.js';
import { connectors, stationEvents, stations, statusNotifications, type Registration } from './tables.js';
import { PLATFORM_TENANT_ID } from '../tenants/tables.js';

export type StationRow = typeof stations.$inferSelect;
export type ConnectorRow = typeof connectors.$inferSelect;

/**
 * `column` (a station id in another capability's table) names one of the tenant's stations: how
 * sessions, reservations, revocations and the like, which belong to their station's tenant, are
 * selected for a tenant without reading the stations table themselves.
 */
export function atTenantStation(column: Column, tenantId: number): SQL {
  return sql`${column} in (select ${stations.id} from ${stations} where ${stations.tenantId} = ${tenantId})`;
}

export async function getStation(db: Executor, id: string): Promise<StationRow | undefined> {
  const [row] = await db.select().from(stations).where(eq(stations.id, id));
  return row;
}

interface Connecting {
  id: string;
  registration: Registration;
  at: Date;
}

/** One statement for every station connecting in the same moment (a boot storm). */
async function connectAll(db: Executor, inputs: Connecting[]): Promise<StationRow[]> {
  // A station connecting twice in one moment: one row answers both.
  const unique = [...new Map(inputs.map((input) => [input.id, input])).values()];
  const rows = await queryRows(
    db,
    sql`
    insert into ${stations} (id, tenant_id, registration, last_seen_at)
    select id, ${PLATFORM_TENANT_ID}::int, registration, at from json_to_recordset(${JSON.stringify(unique)}::json) as r(id text, registration text, at timestamptz)
    on conflict (id) do update set last_seen_at =
      case when ${stations.passwordHash} is null and ${stations.securityProfile} < 3 then greatest(${stations.lastSeenAt}, excluded.last_seen_at) else ${stations.lastSeenAt} end
    returning *`,
  );
  const byId = new Map(rows.map((row) => [row['id'] as string, tableRow(stations, row)]));
  return inputs.map((input) => byId.get(input.id)!);
}

/**
 * The row of a station that is connecting: created with `registration` if it has never been
 * seen. lastSeenAt moves to `at` only for stations without credentials (no password, profile
 * below 3); for the others it waits until their credentials are checked, so a stranger cannot make them look alive. Stations
 * connecting in the same moment share one statement.
 */
export function stationConnecting(db: Database, id: string, registration: Registration, at: Date): Promise<StationRow> {
  return batcherFor<Connecting, StationRow>(db, 'stations-connecting', (inputs) => connectAll(db, inputs)).run({ id, registration, at });
}

export interface NewStation {
  id: string;
  tenantId: number;
  registration: Registration;
  passwordHash?: string | null;
  timeZone?: string | null;
  siteId?: string | null;
  tariffId?: string | null;
}

/** Pre-registers a station; returns undefined when the id is taken. */
export async function createStation(db: Executor, station: NewStation): Promise<StationRow | undefined> {
  const [row] = await db.insert(stations).values(station).onConflictDoNothing().returning();
  return row;
}

export type StationChanges = Partial<Pick<StationRow, 'registration' | 'timeZone' | 'passwordHash' | 'siteId' | 'tariffId' | 'securityProfile'>>;

export async function updateStation(db: Executor, id: string, changes: StationChanges): Promise<StationRow | undefined> {
  const [row] = await db
    .update(stations)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(stations.id, id))
    .returning();
  return row;
}

/**
 * Hands a station that `fromTenantId` holds over to `toTenantId`, in one statement so that
 * nothing changes in between: only while it is at none of the old tenant's sites and on none of
 * its tariffs (they are not the new tenant's). Undefined when those conditions do not hold.
 */
export async function moveStationToTenant(db: Executor, id: string, fromTenantId: number, toTenantId: number): Promise<StationRow | undefined> {
  const [row] = await db
    .update(stations)
    .set({ tenantId: toTenantId, updatedAt: sql`now()` })
    .where(and(eq(stations.id, id), eq(stations.tenantId, fromTenantId), isNull(stations.siteId), isNull(stations.tariffId)))
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

interface Boot extends BootIdentity {
  id: string;
  payload: unknown;
  at: Date;
  /** Order within the batch: of two boots of one station in one moment, the later one wins. */
  order: number;
}

/** One statement for every BootNotification of the moment: the identities kept, each boot recorded. */
async function recordBoots(db: Executor, boots: Omit<Boot, 'order'>[]): Promise<StationRow[]> {
  const input = JSON.stringify(boots.map((boot, order) => ({ ...boot, order })));
  const rows = await queryRows(
    db,
    sql`
    with input as (
      select * from json_to_recordset(${input}::json) as r(id text, vendor text, model text, "serialNumber" text,
        "chargeBoxSerialNumber" text, "firmwareVersion" text, iccid text, imsi text, "meterType" text,
        "meterSerialNumber" text, payload jsonb, at timestamptz, "order" int)
    ),
    recorded as (
      insert into ${stationEvents} (station_id, kind, payload, received_at)
      select id, 'BootNotification', payload, at from input order by "order"
    )
    update ${stations} s set vendor = i.vendor, model = i.model, serial_number = i."serialNumber",
      charge_box_serial_number = i."chargeBoxSerialNumber", firmware_version = i."firmwareVersion",
      iccid = i.iccid, imsi = i.imsi, meter_type = i."meterType", meter_serial_number = i."meterSerialNumber",
      last_boot_at = i.at, last_seen_at = i.at, updated_at = i.at
    from (select distinct on (id) * from input order by id, "order" desc) i
    where s.id = i.id
    returning s.*`,
  );
  const byId = new Map(rows.map((row) => [row['id'] as string, tableRow(stations, row)]));
  return boots.map((boot) => {
    const row = byId.get(boot.id);
    if (!row) throw new Error(`Station ${boot.id} vanished during BootNotification`);
    return row;
  });
}

/** Keeps the identity a station gave in BootNotification and records the boot (batched with other boots of the moment). */
export function recordBoot(db: Database, id: string, identity: BootIdentity, payload: unknown, at: Date): Promise<StationRow> {
  return batcherFor<Omit<Boot, 'order'>, StationRow>(db, 'stations-boot', (boots) => recordBoots(db, boots)).run({ id, ...identity, payload, at });
}

export async function touchLastSeen(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .update(stations)
    .set({ lastSeenAt: at })
    .where(and(eq(stations.id, id), sql`(${stations.lastSeenAt} is null or ${stations.lastSeenAt} < ${at})`));
}

/** Every station that belongs to a site, with its site (one query, for caches of the whole fleet). */
export async function stationSites(db: Executor): Promise<Map<string, string>> {
  const rows = await db.select({ id: stations.id, siteId: stations.siteId }).from(stations).where(sql`${stations.siteId} is not null`);
  return new Map(rows.map((row) => [row.id, row.siteId!]));
}

export interface StationFilter {
  /** Only this tenant's stations (every API list passes the caller's; internal sweeps leave it out). */
  tenantId?: number | undefined;
  registration?: Registration | undefined;
  siteId?: string | undefined;
}

export async function listStations(db: Executor, filter: StationFilter = {}): Promise<StationRow[]> {
  const where: SQL[] = [];
  if (filter.tenantId !== undefined) where.push(eq(stations.tenantId, filter.tenantId));
  if (filter.registration) where.push(eq(stations.registration, filter.registration));
  if (filter.siteId) where.push(eq(stations.siteId, filter.siteId));
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

/** One statement for every StatusNotification of the moment; tells per report whether it became current. */
async function recordConnectorStatuses(db: Executor, reports: ConnectorStatusReport[]): Promise<boolean[]> {
  const input = JSON.stringify(reports.map((report, order) => ({ ...report, statusAt: report.timestamp ?? report.receivedAt, order })));
  const written = await queryRows<{ order: number }>(
    db,
    sql`
    with input as (
      select * from json_to_recordset(${input}::json) as r("stationId" text, "connectorId" int, status text, "errorCode" text,
        info text, "vendorId" text, "vendorErrorCode" text, timestamp timestamptz, "timestampRaw" text,
        "receivedAt" timestamptz, "statusAt" timestamptz, "order" int)
    ),
    history as (
      insert into ${statusNotifications} (station_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, timestamp, timestamp_raw, received_at)
      select "stationId", "connectorId", status, "errorCode", info, "vendorId", "vendorErrorCode", timestamp, "timestampRaw", "receivedAt"
      from input order by "order"
      on conflict do nothing
    ),
    latest as (
      -- One row per connector may take part in the upsert: the newest report of the moment.
      select distinct on ("stationId", "connectorId") * from input order by "stationId", "connectorId", "statusAt" desc, "order" desc
    ),
    applied as (
      insert into ${connectors} as current (station_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, status_at, updated_at)
      select "stationId", "connectorId", status, "errorCode", info, "vendorId", "vendorErrorCode", "statusAt", "receivedAt" from latest
      on conflict (station_id, connector_id) do update set
        status = excluded.status, error_code = excluded.error_code, info = excluded.info, vendor_id = excluded.vendor_id,
        vendor_error_code = excluded.vendor_error_code, status_at = excluded.status_at, updated_at = excluded.updated_at
        where current.status_at <= excluded.status_at
      returning station_id, connector_id
    )
    select latest."order" from latest join applied on applied.station_id = latest."stationId" and applied.connector_id = latest."connectorId"`,
  );
  const current = new Set(written.map((row) => row.order));
  return reports.map((_report, order) => current.has(order));
}

/**
 * Keeps the notification in the history and moves the connector's current status forward;
 * a notification older than the current status (delivered late from an offline queue) only
 * goes into the history. Notifications of the same moment share one statement. Returns whether
 * the current status was written.
 */
export function recordConnectorStatus(db: Database, report: ConnectorStatusReport): Promise<boolean> {
  return batcherFor<ConnectorStatusReport, boolean>(db, 'connector-status', (reports) => recordConnectorStatuses(db, reports)).run(report);
}

/** The current status of one connector, if it has reported any. */
export async function connectorStatus(db: Executor, stationId: string, connectorId: number): Promise<ConnectorRow | undefined> {
  const [row] = await db
    .select()
    .from(connectors)
    .where(and(eq(connectors.stationId, stationId), eq(connectors.connectorId, connectorId)));
  return row;
}

/**
 * A connector's statuses from the last one before `from` until `to`, in time order: the
 * station's timestamp, or our receive time where it sent none (billing's idle time).
 */
export async function statusHistory(db: Executor, stationId: string, connectorId: number, from: Date, to: Date): Promise<{ at: Date; status: string }[]> {
  const at = sql<Date>`coalesce(${statusNotifications.timestamp}, ${statusNotifications.receivedAt})`.mapWith(statusNotifications.receivedAt);
  const ofConnector = and(eq(statusNotifications.stationId, stationId), eq(statusNotifications.connectorId, connectorId));
  const columns = { at, status: statusNotifications.status };
  const before = await db.select(columns).from(statusNotifications).where(and(ofConnector, sql`${at} < ${from}`)).orderBy(desc(at)).limit(1);
  const during = await db
    .select(columns)
    .from(statusNotifications)
    .where(and(ofConnector, sql`${at} >= ${from}`, sql`${at} <= ${to}`))
    .orderBy(asc(at), asc(statusNotifications.id));
  return [...before, ...during];
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

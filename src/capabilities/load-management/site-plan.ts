// One site's re-allocation, decided from what is stored and what is known live: its limits, the
// building load, its stations (online? taking profiles?), their open sessions with priority,
// arrival and observed under-use. Returns what each session and station should hold; sending
// it is load-service.ts's job.

import type { Services } from '../handler-context.js';
import { findIdTag } from '../authorization/id-tag-store.js';
import type { StationAuthSettings } from '../authorization/station-settings.js';
import { getSite } from '../sites/site-store.js';
import { connectorsOf, listStations } from '../stations/station-store.js';
import { openTransactionsOf } from '../transactions/transaction-store.js';
import { allocate, withHysteresis, type AllocationInput, type SessionDemand } from './allocate.js';
import { profileSettings, type StationProfileSettings } from './charging-profiles.js';
import { buildingLoad, buildingWorstCase, fallbackShare, siteLimitAmps, type BuildingLoadSource } from './site-limits.js';
import { buildingReport, circuitsOf, listPriorities, loadStationRows } from './load-store.js';
import type { SnapshotWorstCase } from './tables.js';

export interface PlannedSession {
  transactionId: number;
  stationId: string;
  connectorId: number;
  circuitId: string | null;
  idTag: string;
  priority: number;
  startedAt: Date;
  maxA: number;
  capA: number | null;
  /** What the rule gives now, and what is to be held after hysteresis. */
  targetA: number;
  limitA: number;
}

export interface PlannedStation {
  stationId: string;
  circuitId: string | null;
  connectors: number;
  online: boolean;
  rejectsProfiles: boolean;
  maxA: number;
  profile: StationProfileSettings;
  /** The TxDefaultProfile share for each connector, and what it holds now (null: never sent). */
  fallbackA: number;
  fallbackHeldA: number | null;
}

export interface SitePlan {
  siteId: string;
  at: Date;
  limitA: number;
  buildingA: number;
  buildingSource: BuildingLoadSource;
  minA: number;
  phases: number;
  voltage: number;
  circuits: { id: string; name: string; limitA: number }[];
  sessions: PlannedSession[];
  stations: PlannedStation[];
  worstCase: SnapshotWorstCase[];
  /** Every open transaction of the site's stations, steered or not. */
  openTransactionIds: Set<number>;
}

/** What the service remembers of a site between runs. */
export interface SiteMemory {
  /** Per transaction: the limit the station accepted. */
  sent: Map<number, { limitA: number; sentAt: Date }>;
  caps: Map<number, number>;
}

export interface StationLookups {
  isOnline(stationId: string): boolean;
  /** The station's smart-charging keys (station-settings.ts), read from it when not known yet. */
  settingsOf(stationId: string, online: boolean): Promise<StationAuthSettings | undefined>;
}

/** The plan, or undefined when the site is gone or keeps no limit. */
export async function planSite(services: Services, siteId: string, memory: SiteMemory, lookups: StationLookups): Promise<SitePlan | undefined> {
  const { db, clock, config } = services;
  const site = await getSite(db, siteId);
  if (!site) return undefined;
  const limitA = siteLimitAmps(site);
  if (limitA === null) return undefined;
  const now = clock.now();

  // Only the site's tenant's stations share its limit (a station joins only its own tenant's sites).
  const stationRows = await listStations(db, { tenantId: site.tenantId, siteId });
  const stationIds = stationRows.map((station) => station.id);
  const [connectorRows, loadRows, circuits, report, transactions, priorities] = await Promise.all([
    connectorsOf(db, stationIds),
    loadStationRows(db, stationIds),
    circuitsOf(db, siteId),
    buildingReport(db, siteId),
    openTransactionsOf(db, stationIds),
    listPriorities(db, site.tenantId),
  ]);
  const circuitOf = new Map(circuits.flatMap((circuit) => circuit.stationIds.map((stationId) => [stationId, circuit.id] as const)));
  const connectorCount = new Map<string, number>();
  for (const row of connectorRows) if (row.connectorId > 0) connectorCount.set(row.stationId, (connectorCount.get(row.stationId) ?? 0) + 1);

  const stations: PlannedStation[] = await Promise.all(
    stationRows.map(async (station) => {
      const load = loadRows.get(station.id);
      const online = lookups.isOnline(station.id);
      return {
        stationId: station.id,
        circuitId: circuitOf.get(station.id) ?? null,
        connectors: Math.max(1, connectorCount.get(station.id) ?? 0),
        online,
        rejectsProfiles: load?.profilesRejectedAt != null,
        maxA: load?.maxCurrentAmps ?? config.load.defaultConnectorMaxAmps,
        profile: profileSettings(await lookups.settingsOf(station.id, online)),
        fallbackA: 0,
        fallbackHeldA: load?.fallbackAmps ?? null,
      };
    }),
  );
  const stationById = new Map(stations.map((station) => [station.stationId, station]));

  // Stations we cannot steer count at their worst case: every connector at its max.
  const worstCase: SnapshotWorstCase[] = [];
  for (const station of stations) {
    if (station.online && !station.rejectsProfiles) continue;
    worstCase.push({ stationId: station.stationId, amps: station.connectors * station.maxA, reason: station.online ? 'rejects_profiles' : 'offline' });
  }
  const fixed = worstCase.map((load) => ({ circuitId: stationById.get(load.stationId)!.circuitId, amps: load.amps }));

  const priorityOf = new Map(priorities.map((row) => [row.idTag.toLowerCase(), row.priority]));
  const groupOf = new Map<string, string | null>();
  const priorityFor = async (idTag: string): Promise<number> => {
    if (priorityOf.size === 0) return 0;
    const key = idTag.toLowerCase();
    if (!groupOf.has(key)) {
      // Another tenant's tag (accepted here as unknown) is not found: it has no group in this site's tenant.
      const tag = await findIdTag(db, site.tenantId, idTag);
      groupOf.set(key, tag?.parentIdTag?.toLowerCase() ?? null);
    }
    const group = groupOf.get(key);
    return (group != null ? priorityOf.get(group) : undefined) ?? priorityOf.get(key) ?? 0;
  };

  const sessions: PlannedSession[] = [];
  for (const transaction of transactions) {
    const station = stationById.get(transaction.stationId)!;
    if (!station.online || station.rejectsProfiles) continue;
    sessions.push({
      transactionId: transaction.id,
      stationId: transaction.stationId,
      connectorId: transaction.connectorId,
      circuitId: station.circuitId,
      idTag: transaction.idTag,
      priority: await priorityFor(transaction.idTag),
      startedAt: transaction.startedAt,
      maxA: station.maxA,
      capA: memory.caps.get(transaction.id) ?? null,
      targetA: 0,
      limitA: 0,
    });
  }

  const building = buildingLoad(site, report, now, config.load.buildingReportMaxAgeSec * 1000);
  const input: AllocationInput = {
    siteLimitA: limitA,
    buildingA: building.amps,
    minA: site.minCurrentAmps,
    circuits: circuits.map((circuit) => ({ id: circuit.id, limitA: circuit.limitAmps })),
    fixed,
    sessions: sessions.map(
      (session): SessionDemand => ({
        id: session.transactionId,
        circuitId: session.circuitId,
        maxA: session.maxA,
        capA: session.capA ?? undefined,
        priority: session.priority,
        arrivedAt: session.startedAt.getTime(),
      }),
    ),
  };
  const targets = allocate(input);
  const sent = new Map([...memory.sent].map(([id, entry]) => [id, entry.limitA]));
  const held = withHysteresis(input, targets, sent, config.load.hysteresisAmps);
  for (const session of sessions) {
    session.targetA = targets.get(session.transactionId)!;
    session.limitA = held.get(session.transactionId)!;
  }

  // The fallback shares (site-limits.ts): the building at its worst, the stations that hold no
  // fallback of ours (they refuse profiles, or are offline without one) at theirs, and the rest
  // split per connector, within the site and each circuit.
  const holdsNone = (station: PlannedStation) => station.rejectsProfiles || (!station.online && station.fallbackHeldA === null);
  const worstOf = (list: PlannedStation[]) => list.reduce((sum, station) => sum + station.connectors * station.maxA, 0);
  const connectorsOfList = (list: PlannedStation[]) => list.reduce((sum, station) => sum + station.connectors, 0);
  const shareWithin = (limit: number, list: PlannedStation[]) =>
    fallbackShare(limit - worstOf(list.filter(holdsNone)), connectorsOfList(list.filter((station) => !holdsNone(station))), site.minCurrentAmps);
  const siteShare = shareWithin(limitA - buildingWorstCase(site, report), stations);
  const circuitShare = new Map(circuits.map((circuit) => [circuit.id, shareWithin(circuit.limitAmps, stations.filter((station) => station.circuitId === circuit.id))]));
  for (const station of stations) {
    if (holdsNone(station)) continue;
    station.fallbackA = Math.min(siteShare, circuitShare.get(station.circuitId ?? '') ?? Infinity, station.maxA);
  }

  return {
    siteId,
    at: now,
    limitA,
    buildingA: building.amps,
    buildingSource: building.source,
    minA: site.minCurrentAmps,
    phases: site.phases,
    voltage: site.voltage,
    circuits: circuits.map((circuit) => ({ id: circuit.id, name: circuit.name, limitA: circuit.limitAmps })),
    sessions,
    stations,
    worstCase,
    openTransactionIds: new Set(transactions.map((transaction) => transaction.id)),
  };
}

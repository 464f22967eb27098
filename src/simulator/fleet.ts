// Drives N simulated stations through boot → status → authorize → start → meter values → stop
// cycles, bounded by a session count and/or a duration, and reports what happened. Stations
// connect at a limited rate (a real fleet does not reconnect in the same millisecond, and the
// backend should be measured, not the SYN queue).

import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { getProfile, resolveProfileNames, type ProfileName } from './brand-profiles.js';
import { ChargePoint, SessionRefusedError, type StationHooks, type StationOptions } from './charge-point.js';
import { createStats, noteError, snapshot, statsHooks, type RunStats, type StatsSnapshot } from './stats.js';

export interface FleetOptions {
  /** The central system's OCPP endpoint without the station id, e.g. ws://127.0.0.1:8180/ocpp. */
  url: string;
  stations: number;
  /** Profile names assigned round-robin; 'mixed' (default): all profiles. */
  profiles?: readonly string[] | 'mixed';
  /** Station ids are the prefix plus a zero-padded number. Default "SIM-". */
  idPrefix?: string;
  idTag?: string;
  password?: string;
  /** Sessions per station, run one after another, rotating over the connectors. Default: 1, or unlimited when durationMs is set. */
  sessionsPerStation?: number;
  /** How long each session charges (wall ms). Default 20 s. */
  sessionDurationMs?: number;
  /** Idle time between a station's sessions. Default 1 s. */
  pauseMs?: number;
  meterIntervalMs?: number;
  /** Ends the run: running sessions are stopped, stations closed. Default: when the sessions are done. */
  durationMs?: number;
  /** New connections per second. Default 100. */
  connectRatePerSecond?: number;
  /** How long a station may stay Pending before it gives up. Default 60 s. */
  acceptTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  callTimeoutMs?: number;
  speed?: number;
  reconnect?: boolean;
  /** Called every progressIntervalMs with the running totals. */
  onProgress?: (progress: StatsSnapshot) => void;
  progressIntervalMs?: number;
  /** Aborting ends the run like durationMs does. */
  signal?: AbortSignal;
  /** Extra observers on every station (tests, benchmarks). */
  hooks?: StationHooks;
}

export interface FleetReport extends StatsSnapshot {
  stationIds: string[];
}

export function fleetStationIds(prefix: string, count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, index) => `${prefix}${String(index + 1).padStart(width, '0')}`);
}

/** Sleeps up to `ms`; returns early (false) when the run is over. */
async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    // Ref'd on purpose: a CLI run must stay alive while stations wait to connect or charge.
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

interface StationPlan {
  id: string;
  profile: ProfileName;
  startDelayMs: number;
}

async function driveStation(plan: StationPlan, options: FleetOptions, stats: RunStats, end: AbortSignal): Promise<void> {
  if (!(await wait(plan.startDelayMs, end))) return;
  const stationOptions: StationOptions = {
    url: options.url,
    id: plan.id,
    profile: plan.profile,
    boot: false,
    hooks: statsHooks(stats),
    ...(options.idTag !== undefined ? { idTag: options.idTag } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.meterIntervalMs !== undefined ? { meterIntervalMs: options.meterIntervalMs } : {}),
    ...(options.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.reconnect !== undefined ? { reconnect: options.reconnect } : {}),
  };
  const station = new ChargePoint(stationOptions);
  if (options.hooks) station.addHooks(options.hooks);
  stats.stationsStarted++;
  try {
    await station.connect();
  } catch (error) {
    stats.connectFailures++;
    noteError(stats, `${plan.id}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  try {
    await station.boot();
    if (!station.isAccepted) {
      // Pending or Rejected: the station keeps booting at the interval the central system gave.
      const timeoutMs = options.acceptTimeoutMs ?? 60_000;
      const accepted = station.waitForRegistration('Accepted', timeoutMs).then(
        () => true,
        () => false,
      );
      await Promise.race([accepted, wait(timeoutMs, end)]);
      if (!station.isAccepted) {
        if (!end.aborted) {
          stats.otherErrors++;
          noteError(stats, `${plan.id}: not accepted within ${timeoutMs} ms (registration ${station.registration})`);
        }
        return;
      }
    }
    stats.stationsAccepted++;
    const sessions = options.sessionsPerStation ?? (options.durationMs !== undefined ? Infinity : 1);
    const connectors = getProfile(plan.profile).connectors;
    for (let index = 0; index < sessions && !end.aborted; index++) {
      const connectorId = (index % connectors) + 1;
      try {
        await station.startSession(connectorId);
        stats.sessionsStarted++;
      } catch (error) {
        if (error instanceof SessionRefusedError) stats.sessionsRefused++;
        else if (!end.aborted) stats.otherErrors++;
        noteError(stats, `${plan.id}: session on connector ${connectorId}: ${error instanceof Error ? error.message : String(error)}`);
        if (!(await wait(options.pauseMs ?? 1000, end))) break;
        continue;
      }
      await wait(options.sessionDurationMs ?? 20_000, end);
      // The central system may have ended it meanwhile (RemoteStop, Reset): that counts as done too.
      if (station.sessions().some((session) => session.connectorId === connectorId)) await station.stopSession(connectorId);
      stats.sessionsCompleted++;
      if (index + 1 < sessions && !(await wait(options.pauseMs ?? 1000, end))) break;
    }
    // A run bounded only by time keeps idle stations connected (heartbeats) until it ends.
    if (options.durationMs !== undefined && sessions === 0) await wait(options.durationMs, end);
  } catch (error) {
    stats.otherErrors++;
    noteError(stats, `${plan.id}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await station.stopAllSessions().catch(() => undefined);
    await station.close().catch(() => undefined);
  }
}

/**
 * Runs a fleet to completion and returns its report. Ends when every station has run its
 * sessions, or at `durationMs`, or when `signal` aborts (running sessions are stopped cleanly).
 */
export async function runFleet(options: FleetOptions): Promise<FleetReport> {
  if (!Number.isInteger(options.stations) || options.stations < 1) throw new Error(`stations must be a whole number ≥ 1, got ${options.stations}`);
  const profiles = resolveProfileNames(options.profiles);
  const ids = fleetStationIds(options.idPrefix ?? 'SIM-', options.stations);
  const rate = options.connectRatePerSecond ?? 100;
  const plans: StationPlan[] = ids.map((id, index) => ({
    id,
    profile: profiles[index % profiles.length]!,
    startDelayMs: rate > 0 ? (index * 1000) / rate : 0,
  }));

  const stats = createStats();
  const end = new AbortController();
  // Every waiting station listens for the end of the run.
  setMaxListeners(0, end.signal);
  const stop = () => end.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) end.abort();
  const deadline = options.durationMs !== undefined ? setTimeout(stop, options.durationMs) : undefined;
  deadline?.unref();
  const progress = options.onProgress
    ? setInterval(() => options.onProgress?.(snapshot(stats)), options.progressIntervalMs ?? 5000)
    : undefined;
  progress?.unref();
  try {
    await Promise.all(plans.map((plan) => driveStation(plan, options, stats, end.signal)));
  } finally {
    clearTimeout(deadline);
    clearInterval(progress);
    options.signal?.removeEventListener('abort', stop);
  }
  return { ...snapshot(stats), stationIds: ids };
}

// What the load-management tests (one node and a cluster) read and check of a site's load: the
// API's answer, the amps a simulated station holds by its installed profiles, and the rules every
// step must keep.

import { expect } from 'vitest';
import type { ChargePoint, SessionInfo } from '../../src/simulator/index.js';

export interface SessionLoad {
  transactionId: number;
  stationId: string;
  limitAmps: number;
  targetAmps: number;
  drawAmps?: number | null;
  capAmps: number | null;
  waiting: boolean;
}

export interface SiteLoad {
  limitAmps: number;
  buildingAmps: number;
  allocatedAmps: number;
  worstCaseAmps: number;
  sessions: SessionLoad[];
  worstCase: { stationId: string; amps: number; reason: string }[];
  fallback: { stationId: string; amps: number; heldAmps: number | null }[];
}

/** The amps per phase a station's connector 1 may draw now by its installed profiles (a 1-phase unit: watts over 230 V). */
export function heldA(station: ChargePoint): number {
  const wattsPerAmp = station.profile.phases === 1 ? 230 : 230 * 3;
  return Math.min(station.allowedPowerW(1), station.profile.maxPowerW) / wattsPerAmp;
}

export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether the plan covers exactly the running sessions and each of their stations holds its limit. */
export function holdsPlan(load: SiteLoad | undefined, running: [string, SessionInfo][], stations: Map<string, ChargePoint>): boolean {
  if (!load?.sessions) return false;
  const planned = new Map(load.sessions.map((session) => [session.transactionId, session]));
  if (planned.size !== running.length) return false;
  return running.every(([id, info]) => {
    const planning = planned.get(info.transactionId);
    // Within the hysteresis (1 A) a station keeps the limit it has.
    if (!planning || Math.abs(planning.limitAmps - planning.targetAmps) >= 1) return false;
    return Math.abs(heldA(stations.get(id)!) - planning.limitAmps) < 0.2;
  });
}

/** The site limit holds in the plan, in what the stations hold now and in the worst ever sampled; no session below 6 A but above 0. */
export function checkLimits(load: SiteLoad, limitA: number, allowedTotalA: number, worstSeenA: number): void {
  expect(load.allocatedAmps).toBeLessThanOrEqual(Math.max(0, limitA - load.worstCaseAmps - load.buildingAmps) + 1e-6);
  for (const session of load.sessions) expect(session.limitAmps === 0 || session.limitAmps >= 6).toBe(true);
  expect(allowedTotalA).toBeLessThanOrEqual(limitA + 1e-6);
  expect(worstSeenA).toBeLessThanOrEqual(limitA + 1e-6);
}

/** The rule leaves no amps over while a session could take more (rounding to 0.1 A aside). */
export function checkNoIdleCapacity(load: SiteLoad, maxA: number): void {
  const given = load.sessions.reduce((sum, session) => sum + session.targetAmps, 0);
  const left = load.limitAmps - load.buildingAmps - load.worstCaseAmps - given;
  const hungry = load.sessions.filter((session) => session.targetAmps < Math.min(maxA, session.capAmps ?? Infinity) - 0.1);
  // A waiting session may leave less than the minimum over; one that charges leaves nothing.
  if (hungry.length > 0) expect(left).toBeLessThan(0.1 * load.sessions.length + 6);
  if (hungry.some((session) => session.targetAmps > 0)) expect(left).toBeLessThanOrEqual(0.1 * load.sessions.length + 1e-6);
}

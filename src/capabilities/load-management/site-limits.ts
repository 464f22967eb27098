// What a site's settings mean in amps per phase: its limit (amps, or kW through phases and
// voltage), the building load to count now, and the fallback share each connector may draw when
// its station has lost us. Pure, so the rules are tested and documented in one place.

import { floorTenth } from './allocate.js';

export interface SiteSettings {
  gridLimitAmps: number | null;
  gridLimitKw: number | null;
  phases: number;
  voltage: number;
  minCurrentAmps: number;
  buildingLoadAmps: number | null;
  buildingLoadWorstCaseAmps: number | null;
}

/** The limit per phase; the smaller of the amps and the kW limit when both are set; null: none. */
export function siteLimitAmps(site: SiteSettings): number | null {
  const fromKw = site.gridLimitKw === null ? null : (site.gridLimitKw * 1000) / (site.voltage * Math.max(1, site.phases));
  if (site.gridLimitAmps === null) return fromKw;
  return fromKw === null ? site.gridLimitAmps : Math.min(site.gridLimitAmps, fromKw);
}

export type BuildingLoadSource = 'reported' | 'fixed' | 'worst_case' | 'none';

/**
 * The building load to count: a fresh report; else, once reports have gone stale, the configured
 * worst case (or, without one, the larger of the fixed figure and the last report); else the
 * fixed figure.
 */
export function buildingLoad(
  site: SiteSettings,
  report: { amps: number; reportedAt: Date } | undefined,
  now: Date,
  maxAgeMs: number,
): { amps: number; source: BuildingLoadSource } {
  if (report && now.getTime() - report.reportedAt.getTime() <= maxAgeMs) return { amps: report.amps, source: 'reported' };
  if (report) return { amps: site.buildingLoadWorstCaseAmps ?? Math.max(site.buildingLoadAmps ?? 0, report.amps), source: 'worst_case' };
  if (site.buildingLoadAmps !== null) return { amps: site.buildingLoadAmps, source: 'fixed' };
  return { amps: 0, source: 'none' };
}

/** The building load a station without us must assume: the worst it may be. */
export function buildingWorstCase(site: SiteSettings, report: { amps: number } | undefined): number {
  return site.buildingLoadWorstCaseAmps ?? Math.max(site.buildingLoadAmps ?? 0, report?.amps ?? 0);
}

/**
 * The fallback rule: every connector of the site (or of its circuit) gets an equal share of
 * what is left after the building's worst case and the stations we cannot steer, so that all of
 * them drawing their share at once stays inside the limit. A share below the EV minimum is 0:
 * without the backend, such a site's EVs wait rather than overload it.
 */
export function fallbackShare(roomA: number, connectors: number, minA: number): number {
  if (connectors <= 0 || roomA <= 0) return 0;
  const share = floorTenth(roomA / connectors);
  return share >= minA ? share : 0;
}

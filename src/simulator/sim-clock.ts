// Simulated time. With speed 1 it is the wall clock; with speed N a second of wall time is N
// seconds of charging, so a test sees real energy in a fraction of a second. Station timestamps
// and energy both follow this clock, which keeps them consistent for the backend's plausibility
// checks (energy against power × time); timestamps then run ahead of the wall clock.

export interface SimClockOptions {
  /** Wall clock in ms since the epoch (default Date.now). */
  now?: () => number;
  /** Simulated ms per wall-clock ms (default 1). */
  speed?: number;
}

export interface SimClock {
  /** Simulated time in ms since the epoch. */
  nowMs(): number;
  now(): Date;
  readonly speed: number;
  /** Wall-clock ms until simulated time `atMs` (0 if past). */
  wallMsUntil(atMs: number): number;
}

export function createSimClock(options: SimClockOptions = {}): SimClock {
  const wall = options.now ?? Date.now;
  const speed = options.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
  const origin = wall();
  const nowMs = () => origin + (wall() - origin) * speed;
  return {
    nowMs,
    now: () => new Date(nowMs()),
    speed,
    wallMsUntil: (atMs) => Math.max(0, (atMs - nowMs()) / speed),
  };
}

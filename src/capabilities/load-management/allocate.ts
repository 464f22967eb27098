// The allocation rule, as one pure function: a site's amps (per phase) shared among its active
// sessions. Every limit is 0 or at least the EV minimum, never above the session's own cap, and
// the sums stay inside the site and each circuit. Sessions are admitted at the minimum in order
// (priority, then arrival: first come first served); what is left is shared evenly (max-min
// fair), higher priorities filled first. Phases are not told apart: a session counts its amps on
// every phase (a 1-phase EV on an unknown phase is assumed to load the busiest one).

export interface CircuitLimit {
  id: string;
  limitA: number;
}

/** A load we cannot steer (an offline station, one that rejects profiles), counted at its worst case. */
export interface FixedLoad {
  circuitId: string | null;
  amps: number;
}

export interface SessionDemand {
  id: number;
  circuitId: string | null;
  /** What the connector can give (its max current). */
  maxA: number;
  /** The EV was seen drawing clearly less: it gets no more than this (unused headroom goes to others). */
  capA?: number | undefined;
  /** Higher first; 0 by default. */
  priority: number;
  /** Arrival (ms): earlier first among equal priorities. */
  arrivedAt: number;
}

export interface AllocationInput {
  /** The grid connection's limit per phase. */
  siteLimitA: number;
  /** Other building load on the same connection. */
  buildingA: number;
  /** Below this an EV does not charge: it waits at 0 A. */
  minA: number;
  circuits: readonly CircuitLimit[];
  fixed: readonly FixedLoad[];
  sessions: readonly SessionDemand[];
}

const EPSILON = 1e-9;

/** Down to the 0.1 A the OCPP schema allows, never up (so sums stay inside the limits). */
export const floorTenth = (amps: number): number => Math.max(0, Math.floor(amps * 10 + EPSILON) / 10);

/** The amps left for sessions in the site and in each circuit, after building load and fixed loads. */
export function capacities(input: Pick<AllocationInput, 'siteLimitA' | 'buildingA' | 'circuits' | 'fixed'>): { site: number; circuits: Map<string, number> } {
  let site = input.siteLimitA - input.buildingA;
  const circuits = new Map(input.circuits.map((circuit) => [circuit.id, circuit.limitA]));
  for (const load of input.fixed) {
    site -= load.amps;
    if (load.circuitId !== null && circuits.has(load.circuitId)) circuits.set(load.circuitId, circuits.get(load.circuitId)! - load.amps);
  }
  return { site, circuits };
}

const byOrder = (a: SessionDemand, b: SessionDemand) => b.priority - a.priority || a.arrivedAt - b.arrivedAt || a.id - b.id;

/** Each session's limit in amps (0 or ≥ minA, a multiple of 0.1). */
export function allocate(input: AllocationInput): Map<number, number> {
  const room = capacities(input);
  let siteLeft = room.site;
  const circuitLeft = room.circuits;
  const circuitOf = (session: SessionDemand) => (session.circuitId !== null && circuitLeft.has(session.circuitId) ? session.circuitId : null);
  const headroom = (session: SessionDemand) => {
    const circuit = circuitOf(session);
    return Math.min(siteLeft, circuit === null ? Infinity : circuitLeft.get(circuit)!);
  };
  const take = (session: SessionDemand, amps: number) => {
    siteLeft -= amps;
    const circuit = circuitOf(session);
    if (circuit !== null) circuitLeft.set(circuit, circuitLeft.get(circuit)! - amps);
  };

  const given = new Map<number, number>();
  const cap = new Map<number, number>();
  const ordered = [...input.sessions].sort(byOrder);
  const admitted: SessionDemand[] = [];
  for (const session of ordered) {
    const top = Math.max(0, Math.min(session.maxA, session.capA ?? Infinity));
    // The cap from under-use never pushes an EV below the minimum it needs to charge at all.
    const limit = Math.max(Math.min(input.minA, session.maxA), top);
    const floor = Math.min(input.minA, limit);
    cap.set(session.id, limit);
    if (limit <= 0 || floor > headroom(session) + EPSILON) {
      given.set(session.id, 0);
      continue;
    }
    given.set(session.id, floor);
    take(session, floor);
    admitted.push(session);
  }

  // Max-min fair filling, one priority tier at a time: raise every unfrozen session of the tier
  // by the same step until it reaches its cap or a limit it sits under runs out.
  const tiers = [...new Set(admitted.map((session) => session.priority))].sort((a, b) => b - a);
  for (const tier of tiers) {
    let active = admitted.filter((session) => session.priority === tier && given.get(session.id)! < cap.get(session.id)! - EPSILON);
    while (active.length > 0 && siteLeft > EPSILON) {
      let step = siteLeft / active.length;
      const perCircuit = new Map<string, number>();
      for (const session of active) {
        step = Math.min(step, cap.get(session.id)! - given.get(session.id)!);
        const circuit = circuitOf(session);
        if (circuit !== null) perCircuit.set(circuit, (perCircuit.get(circuit) ?? 0) + 1);
      }
      for (const [circuit, count] of perCircuit) step = Math.min(step, Math.max(0, circuitLeft.get(circuit)!) / count);
      for (const session of active) {
        given.set(session.id, given.get(session.id)! + step);
        take(session, step);
      }
      active = active.filter((session) => {
        if (given.get(session.id)! >= cap.get(session.id)! - EPSILON) return false;
        const circuit = circuitOf(session);
        return circuit === null || circuitLeft.get(circuit)! > EPSILON;
      });
    }
  }

  for (const [id, amps] of given) given.set(id, floorTenth(amps));
  return given;
}

/**
 * Hysteresis: a session keeps the limit it was last sent when the new one differs by less than
 * `hysteresisA` (neither is 0), unless keeping the higher ones would break the site's or a
 * circuit's room; then those return to their new, lower limits.
 */
export function withHysteresis(
  input: AllocationInput,
  targets: ReadonlyMap<number, number>,
  sent: ReadonlyMap<number, number>,
  hysteresisA: number,
): Map<number, number> {
  const result = new Map(targets);
  const kept: number[] = [];
  for (const [id, target] of targets) {
    const previous = sent.get(id);
    if (previous === undefined || previous === target || previous === 0 || target === 0) continue;
    if (Math.abs(previous - target) < hysteresisA) {
      result.set(id, previous);
      if (previous > target) kept.push(id);
    }
  }
  if (kept.length === 0) return result;
  const room = capacities(input);
  const sessionCircuit = new Map(input.sessions.map((session) => [session.id, session.circuitId]));
  const used = new Map<string | null, number>();
  let total = 0;
  for (const [id, amps] of result) {
    total += amps;
    const circuit = sessionCircuit.get(id) ?? null;
    used.set(circuit, (used.get(circuit) ?? 0) + amps);
  }
  const siteBroken = total > room.site + EPSILON;
  for (const id of kept) {
    const circuit = sessionCircuit.get(id) ?? null;
    const circuitBroken = circuit !== null && room.circuits.has(circuit) && used.get(circuit)! > room.circuits.get(circuit)! + EPSILON;
    if (siteBroken || circuitBroken) result.set(id, targets.get(id)!);
  }
  return result;
}

/**
 * Under-use, with a dead band so the cap does not flap: an EV drawing more than `marginA` below
 * what it was given is capped at its draw plus the margin; one drawing within half the margin of
 * its limit may want more, and the cap is lifted; in between the previous cap stays.
 */
export function nextCap(previousCap: number | undefined, givenA: number, drawA: number | null, minA: number, marginA: number): number | undefined {
  if (drawA === null || givenA <= 0) return previousCap;
  if (drawA >= givenA - marginA / 2) return undefined;
  if (drawA < givenA - marginA) return Math.max(minA, Math.ceil(drawA + marginA));
  return previousCap;
}

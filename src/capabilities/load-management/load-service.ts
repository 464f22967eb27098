// When and how a site is re-allocated: on the post-commit events that change its picture
// (sessions starting and stopping, connector statuses, stations coming and going, site changes,
// meter values showing an EV that draws clearly less or wants more), debounced per site, one run
// per site at a time, and only where this node leads the site. A run plans (site-plan.ts), then
// sends what changed: every decrease first, and the increases only once all decreases are
// accepted, so the limits the stations hold never add up to more than the site's at any moment.

import type { CommandDeps } from '../commands/send-command.js';
import { sendCommand } from '../commands/send-command.js';
import type { Services } from '../handler-context.js';
import { RpcError } from '../../protocol/ocpp-j/rpc-error.js';
import { readStationAuthSettings, stationAuthSettings, type StationAuthSettings } from '../authorization/station-settings.js';
import { connectorStatus, getStation, stationSites } from '../stations/station-store.js';
import { openTransactions } from '../transactions/transaction-store.js';
import { nextCap } from './allocate.js';
import { fallbackProfile, sessionProfile, type SetChargingProfile } from './charging-profiles.js';
import { changeExistingLoadStation, latestSnapshot, recordSnapshot, updateLoadStation } from './load-store.js';
import { planSite, type PlannedSession, type PlannedStation, type SiteMemory, type SitePlan } from './site-plan.js';
import { keyedRuns } from '../../keyed-runs.js';

/**
 * Whether this node makes the decisions for a site, asked before each decision. Single node:
 * always. In a cluster: `{ isLeader: (siteId) => coordination.leaderFor('site:' + siteId) }`,
 * so exactly one node steers each site (asking renews its lease).
 */
export interface SiteLeadership {
  isLeader(siteId: string): boolean | Promise<boolean>;
  /**
   * In a cluster, the lease. The leader renews its sites' leases every third of it; a node
   * refused the lead asks once more after it, so a site whose leader shut down or died right
   * after the site's last events is taken over without waiting for another event.
   */
  recheckMs?: number;
}
export const singleNodeLeadership: SiteLeadership = { isLeader: () => true };

const REQUESTER = 'load-management';
/** The trigger of a re-check of the site's leadership after a refusal. */
const RECHECK = 'leader.recheck';
/** An EV drawing this much below its limit is under-using it (allocate.ts nextCap). */
const UNDERUSE_MARGIN_A = 2;
/** Meter values taken this soon after a new limit may still show the old one. */
const SETTLE_MS = 3_000;
/** A draw older than this is not known any more. */
const DRAW_MAX_AGE_MS = 10 * 60_000;
/** After a failed send, the site is tried again after this. */
const RETRY_MS = 5_000;
/** Connector statuses of a running transaction (OCPP 1.6 §4.9). */
const SESSION_STATUSES = new Set(['Charging', 'SuspendedEV', 'SuspendedEVSE']);
/** A station that does not tell its settings this fast does not hold up its site's decision for long. */
const SETTINGS_TIMEOUT_MS = 5_000;

interface Draw {
  currentA: number | null;
  powerW: number | null;
  phases: number | null;
  at: Date;
}

interface SiteState extends SiteMemory {
  plan: SitePlan | undefined;
  recordedKey: string | undefined;
  /** What the stations held by the last recorded decision was read (after a restart or a change of leader). */
  restored: boolean;
}

export interface LoadManager {
  request(siteId: string, trigger: string, delayMs?: number): void;
  /** The site's last plan with the limits its stations hold, and each session's live draw in amps. */
  view(siteId: string): { plan: SitePlan; drawOf(transactionId: number): number | null } | undefined;
  /** The periodic job: re-plans every known site (lease renewals, stale building reports). */
  sweep(siteIds: string[]): void;
  stop(): Promise<void>;
}

export function startLoadManagement(services: Services, commands: CommandDeps, leadership: SiteLeadership = singleNodeLeadership): LoadManager {
  const { db, events, log, clock, config } = services;
  const sites = new Map<string, SiteState>();
  const draws = new Map<number, Draw>();
  const transactionSite = new Map<number, string>();
  // Every station's site, read once at start (a boot storm of thousands of stations then costs
  // no query each); station.updated, emitted on every node for any change of siteId, keeps it true.
  const stationSite = new Map<string, string | null>();
  const sitesKnown = stationSites(db).then(
    (known) => {
      for (const [stationId, siteId] of known) if (!stationSite.has(stationId)) stationSite.set(stationId, siteId);
    },
    (error: unknown) => log.error({ err: error }, 'could not read the stations’ sites; load management learns them station by station'),
  );
  let allSitesKnown = false;
  void sitesKnown.then(() => (allSitesKnown = true));
  /**
   * Each station's smart-charging keys as last read, kept until it boots again (a site of
   * thousands is not read again on every run); a station that never told them is asked once.
   */
  const settings = new Map<string, StationAuthSettings | undefined>();
  const settingsAsked = new Set<string>();
  const quickCommands: CommandDeps = {
    ...commands,
    caller: {
      call: (stationId, action, request, options) => commands.caller.call(stationId, action, request, { timeoutMs: SETTINGS_TIMEOUT_MS, ...options }),
      isOnline: (stationId) => commands.caller.isOnline(stationId),
    },
  };
  /** Per site: the one re-check of its leadership after a refusal (see SiteLeadership.recheckMs). */
  const rechecks = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  async function settingsOf(stationId: string, online: boolean): Promise<StationAuthSettings | undefined> {
    if (settings.has(stationId)) return settings.get(stationId);
    let known = await stationAuthSettings(db, stationId);
    if ((known?.chargingRateUnits ?? null) === null && online && !settingsAsked.has(stationId)) {
      settingsAsked.add(stationId);
      try {
        known = await readStationAuthSettings(quickCommands, stationId, REQUESTER);
      } catch (error) {
        log.info({ err: error, stationId }, 'could not read the station’s smart-charging settings');
      }
    }
    if ((known?.chargingRateUnits ?? null) !== null || settingsAsked.has(stationId)) settings.set(stationId, known);
    return known;
  }

  const stateOf = (siteId: string): SiteState => {
    let state = sites.get(siteId);
    if (!state) sites.set(siteId, (state = { sent: new Map(), caps: new Map(), plan: undefined, recordedKey: undefined, restored: false }));
    return state;
  };

  function drawOf(transactionId: number, plan: SitePlan): number | null {
    const draw = draws.get(transactionId);
    if (!draw || clock.now().getTime() - draw.at.getTime() > DRAW_MAX_AGE_MS) return null;
    // A phase current is what the site's limit is about; an unphased one may be a DC charger's
    // (at its own voltage), so power over the site's voltage comes first then.
    if (draw.currentA !== null && (draw.phases ?? 0) > 0) return draw.currentA;
    if (draw.powerW === null) return draw.currentA;
    const phases = draw.phases === 1 ? 1 : Math.max(1, plan.phases);
    return Math.round((draw.powerW / (plan.voltage * phases)) * 10) / 10;
  }

  async function siteOfStation(stationId: string): Promise<string | null> {
    await sitesKnown;
    if (!stationSite.has(stationId) && !allSitesKnown) stationSite.set(stationId, (await getStation(db, stationId))?.siteId ?? null);
    return stationSite.get(stationId) ?? null;
  }

  // ---- sending ----------------------------------------------------------------------------------

  type Outcome = 'accepted' | 'rejected' | 'failed';

  async function send(stationId: string, request: SetChargingProfile): Promise<Outcome> {
    try {
      const answer = await sendCommand(commands, stationId, 'SetChargingProfile', request, { requestedBy: REQUESTER });
      return answer.status === 'Accepted' ? 'accepted' : 'rejected';
    } catch (error) {
      // A station without smart charging says so with a CALLERROR; anything else may pass.
      if (error instanceof RpcError && (error.code === 'NotSupported' || error.code === 'NotImplemented')) return 'rejected';
      log.info({ err: error, stationId }, 'charging profile not delivered');
      return 'failed';
    }
  }

  async function inSession(session: PlannedSession): Promise<boolean> {
    const open = (await openTransactions(db, session.stationId, session.connectorId)).some((transaction) => transaction.id === session.transactionId);
    const status = (await connectorStatus(db, session.stationId, session.connectorId))?.status;
    return open && (status === undefined || SESSION_STATUSES.has(status));
  }

  async function markRejecting(stationId: string, purpose: string): Promise<void> {
    await updateLoadStation(db, stationId, { profilesRejectedAt: clock.now(), rejectedProfile: purpose });
    log.warn({ stationId, purpose }, 'station rejects charging profiles: counted at its worst case');
  }

  interface Change {
    kind: 'decrease' | 'increase';
    run: () => Promise<Outcome>;
  }

  function sessionChange(state: SiteState, plan: SitePlan, session: PlannedSession, station: PlannedStation): Change | undefined {
    const leaseMs = config.load.profileLeaseSec * 1000;
    const previous = state.sent.get(session.transactionId);
    const renew = previous !== undefined && leaseMs > 0 && plan.at.getTime() - previous.sentAt.getTime() >= leaseMs / 2;
    if (previous !== undefined && previous.limitA === session.limitA && !renew) return undefined;
    // A session without a TxProfile holds the fallback: 0 A while the lease-long wait runs, else its share.
    const holds = previous?.limitA ?? (leaseMs > 0 ? 0 : (station.fallbackHeldA ?? Infinity));
    const validTo = leaseMs > 0 ? new Date(plan.at.getTime() + leaseMs) : undefined;
    // Watts for an EV seen on one phase only are counted on one phase.
    const phases = draws.get(session.transactionId)?.phases === 1 ? 1 : plan.phases;
    const request = sessionProfile(session, session.limitA, station.profile, { phases, voltage: plan.voltage }, validTo);
    return {
      kind: session.limitA < holds ? 'decrease' : 'increase',
      run: async () => {
        const outcome = await send(session.stationId, request);
        if (outcome === 'accepted') state.sent.set(session.transactionId, { limitA: session.limitA, sentAt: clock.now() });
        // A TxProfile for a transaction that has just ended, or that the station lost (its
        // connector is no longer in a session), is rightly refused.
        if (outcome === 'rejected' && (await inSession(session))) await markRejecting(session.stationId, 'TxProfile');
        return outcome;
      },
    };
  }

  function fallbackChange(plan: SitePlan, station: PlannedStation): Change | undefined {
    const held = station.fallbackHeldA;
    const due = held === null || station.fallbackA < held || station.fallbackA - held >= Math.max(config.load.hysteresisAmps, 0.1);
    if (!due) return undefined;
    const request = fallbackProfile(station.fallbackA, station.profile, { phases: plan.phases, voltage: plan.voltage }, config.load.profileLeaseSec);
    return {
      kind: held === null || station.fallbackA < held ? 'decrease' : 'increase',
      run: async () => {
        const outcome = await send(station.stationId, request);
        if (outcome === 'accepted') {
          await updateLoadStation(db, station.stationId, { fallbackAmps: station.fallbackA, fallbackSentAt: clock.now() });
          station.fallbackHeldA = station.fallbackA;
        }
        if (outcome === 'rejected') await markRejecting(station.stationId, 'TxDefaultProfile');
        return outcome;
      },
    };
  }

  /** Sends what changed; returns what stopped it, if anything did. */
  async function apply(state: SiteState, plan: SitePlan): Promise<Outcome> {
    const stations = new Map(plan.stations.map((station) => [station.stationId, station]));
    const changes: Change[] = [];
    for (const station of plan.stations) {
      if (!station.online || station.rejectsProfiles) continue;
      const change = fallbackChange(plan, station);
      if (change) changes.push(change);
    }
    for (const session of plan.sessions) {
      const change = sessionChange(state, plan, session, stations.get(session.stationId)!);
      if (change) changes.push(change);
    }
    for (const kind of ['decrease', 'increase'] as const) {
      const outcomes = await Promise.all(changes.filter((change) => change.kind === kind).map((change) => change.run()));
      // Raising others is safe only once every decrease is in place.
      const stop = outcomes.find((outcome) => outcome === 'failed') ?? outcomes.find((outcome) => outcome === 'rejected');
      if (stop) return stop;
    }
    return 'accepted';
  }

  // ---- one run ----------------------------------------------------------------------------------

  async function run(siteId: string, trigger: string): Promise<void> {
    if (!(await leadership.isLeader(siteId))) {
      // Another node decides: what this one planned before is no longer the truth.
      sites.delete(siteId);
      // Its lease runs out by then unless it renews it; a re-check that is refused again waits
      // for the next event (or the periodic sweep) rather than polling every lease.
      if (trigger !== RECHECK) recheckLater(siteId);
      return;
    }
    const state = stateOf(siteId);
    if (!state.restored) {
      // The stations still hold what the last decision gave (this process's or another node's):
      // starting from it keeps decreases ahead of increases after a restart too.
      const last = await latestSnapshot(db, siteId);
      for (const session of last?.sessions ?? []) {
        state.sent.set(session.transactionId, { limitA: session.limitA, sentAt: last!.at });
        // An EV that under-used its limit still does: without its cap a new leader would raise it and lower the others.
        if (session.capA !== null) state.caps.set(session.transactionId, session.capA);
      }
      state.restored = true;
    }
    const plan = await planSite(services, siteId, state, { isOnline: (stationId) => commands.caller.isOnline(stationId), settingsOf });
    if (!plan) {
      sites.delete(siteId);
      return;
    }
    for (const station of plan.stations) stationSite.set(station.stationId, siteId);
    for (const id of plan.openTransactionIds) transactionSite.set(id, siteId);
    for (const id of [...state.sent.keys()]) if (!plan.openTransactionIds.has(id)) state.sent.delete(id);
    for (const id of [...state.caps.keys()]) if (!plan.openTransactionIds.has(id)) state.caps.delete(id);

    const outcome = await apply(state, plan);
    // What the stations hold now (a refused or undelivered change leaves the old limit).
    for (const session of plan.sessions) session.limitA = state.sent.get(session.transactionId)?.limitA ?? 0;
    state.plan = plan;
    await record(state, plan, trigger);
    // A station that refused is now counted at its worst case: plan again at once. One that did
    // not answer gets a moment.
    if (outcome === 'rejected') request(siteId, 'profile.rejected', 0);
    if (outcome === 'failed') request(siteId, 'retry', RETRY_MS);
  }

  async function record(state: SiteState, plan: SitePlan, trigger: string): Promise<void> {
    const sessions = plan.sessions.map((session) => ({
      transactionId: session.transactionId,
      stationId: session.stationId,
      connectorId: session.connectorId,
      limitA: session.limitA,
      drawA: drawOf(session.transactionId, plan),
      capA: session.capA,
      priority: session.priority,
    }));
    const key = JSON.stringify([plan.limitA, plan.buildingA, sessions.map((session) => [session.transactionId, session.limitA, session.capA]), plan.worstCase]);
    if (key === state.recordedKey) return;
    const known = sessions.map((session) => session.drawA).filter((draw): draw is number => draw !== null);
    await recordSnapshot(db, {
      siteId: plan.siteId,
      at: plan.at,
      trigger,
      limitAmps: plan.limitA,
      buildingAmps: plan.buildingA,
      drawAmps: known.length > 0 ? known.reduce((sum, draw) => sum + draw, 0) : null,
      allocatedAmps: sessions.reduce((sum, session) => sum + session.limitA, 0),
      sessions,
      worstCase: plan.worstCase,
    });
    state.recordedKey = key;
  }

  /** Per site, one run at a time; its reason is every event that asked for it (recorded with the decision). */
  const runs = keyedRuns<ReadonlySet<string>>({
    run: (siteId, triggers) => run(siteId, [...triggers].join('+')),
    merge: (earlier, later) => new Set([...earlier, ...later]),
    onError: (error, siteId) => log.error({ err: error, siteId }, 'load re-allocation failed'),
  });

  /** Counted from the latest refusal: an earlier one's re-check could still see its remembered answer (leadership.ts). */
  function recheckLater(siteId: string): void {
    if (leadership.recheckMs === undefined || stopped) return;
    clearTimeout(rechecks.get(siteId));
    const timer = setTimeout(() => {
      rechecks.delete(siteId);
      request(siteId, RECHECK, 0);
    }, leadership.recheckMs);
    timer.unref();
    rechecks.set(siteId, timer);
  }

  function request(siteId: string, trigger: string, delayMs = config.load.debounceMs): void {
    runs.request(siteId, new Set([trigger]), delayMs);
  }

  const forStation = (trigger: string) => async ({ stationId }: { stationId: string }) => {
    const siteId = await siteOfStation(stationId);
    if (siteId !== null) request(siteId, trigger);
  };

  // In a cluster, the node leading a site must see every node's events of that site (draws,
  // sessions, statuses): these listeners take bridged events too, and only the leader acts.
  const REMOTE = { remote: true } as const;
  const unsubscribe = [
    events.on('transaction.started', forStation('transaction.started'), REMOTE),
    events.on('connector.status', forStation('connector.status'), REMOTE),
    events.on('station.connected', forStation('station.connected'), REMOTE),
    events.on('station.disconnected', forStation('station.disconnected'), REMOTE),
    events.on('transaction.stopped', async (event) => {
      draws.delete(event.transactionId);
      transactionSite.delete(event.transactionId);
      await forStation('transaction.stopped')(event);
    }, REMOTE),
    events.on('station.booted', async ({ stationId, registration }) => {
      if (registration !== 'accepted') return;
      // A booted station may have lost its profiles, or changed its firmware: it gets its
      // fallback again, is asked for its settings again, and gets another chance to take profiles.
      settingsAsked.delete(stationId);
      settings.delete(stationId);
      const siteId = await siteOfStation(stationId);
      if (siteId === null) return; // not load-managed: nothing to reset (joining a site re-plans it)
      await changeExistingLoadStation(db, stationId, { fallbackAmps: null, fallbackSentAt: null, profilesRejectedAt: null, rejectedProfile: null });
      request(siteId, 'station.booted');
    }, REMOTE),
    events.on('station.updated', async ({ stationId }) => {
      await sitesKnown;
      const before = stationSite.get(stationId);
      const after = (await getStation(db, stationId))?.siteId ?? null;
      stationSite.set(stationId, after);
      for (const siteId of new Set([before, after])) if (siteId) request(siteId, 'station.updated');
    }, REMOTE),
    events.on('site.changed', ({ siteId }) => request(siteId, 'site.changed'), REMOTE),
    events.on('meter.values', ({ transactionId, currentA, powerW, currentPhases }) => {
      if (transactionId === null) return;
      const now = clock.now();
      draws.set(transactionId, { currentA, powerW, phases: currentPhases, at: now });
      const siteId = transactionSite.get(transactionId);
      const state = siteId === undefined ? undefined : sites.get(siteId);
      const given = state?.sent.get(transactionId);
      if (!siteId || !state?.plan || !given || now.getTime() - given.sentAt.getTime() < SETTLE_MS) return;
      const previous = state.caps.get(transactionId);
      const cap = nextCap(previous, given.limitA, drawOf(transactionId, state.plan), state.plan.minA, UNDERUSE_MARGIN_A);
      if (cap === previous) return;
      if (cap === undefined) state.caps.delete(transactionId);
      else state.caps.set(transactionId, cap);
      request(siteId, 'meter.values');
    }, REMOTE),
  ];

  // A leader keeps its sites' leases while it lives, quiet or not: otherwise a lease runs out in
  // a quiet spell, the other node's re-check takes the site, and this node's view goes stale.
  const renewal =
    leadership.recheckMs === undefined
      ? undefined
      : setInterval(() => {
          for (const siteId of sites.keys()) {
            void Promise.resolve(leadership.isLeader(siteId))
              .then((leader) => leader || sites.delete(siteId))
              .catch((error: unknown) => log.warn({ err: error, siteId }, 'could not renew the lead of a site'));
          }
        }, leadership.recheckMs / 3);
  renewal?.unref();

  return {
    request,
    view(siteId) {
      const plan = sites.get(siteId)?.plan;
      return plan && { plan, drawOf: (transactionId) => drawOf(transactionId, plan) };
    },
    sweep(siteIds) {
      // Also re-reads every station's site: a change that emitted no event (an import) is seen within one sweep.
      void stationSites(db).then(
        (known) => {
          for (const [stationId, siteId] of stationSite) if (siteId !== null && !known.has(stationId)) stationSite.set(stationId, null);
          for (const [stationId, siteId] of known) stationSite.set(stationId, siteId);
        },
        (error: unknown) => log.warn({ err: error }, 'could not re-read the stations’ sites'),
      );
      for (const siteId of siteIds) request(siteId, 'periodic', 0);
    },
    async stop() {
      stopped = true;
      clearInterval(renewal);
      for (const off of unsubscribe) off();
      for (const timer of rechecks.values()) clearTimeout(timer);
      rechecks.clear();
      await runs.stop();
    },
  };
}

// When local lists are synchronised: after an accepted boot, after a reconnect without boot,
// after tags change (a revocation also marks every station's cache for clearing), when an
// operator asks, and from the periodic sweep (failures, pending cache clears, unsupported
// stations after a day, a daily refresh). Requests for a station are coalesced (a short
// delay lets a burst of changes or a connect followed by a boot become one run), a station
// never runs two synchronisations at once, and only a few stations run at the same time.

import type { Services } from '../../handler-context.js';
import type { CommandDeps } from '../../commands/send-command.js';
import { getStation, listStations } from '../../stations/station-store.js';
import { allLocalListStates, markCacheClearPending } from './local-list-store.js';
import { dueForSweep, syncStation, type SyncReason } from './sync.js';
import { keyedRuns } from '../../../keyed-runs.js';

/** After an accepted boot: long enough for the BootNotification answer to reach the station first. */
const AFTER_BOOT_MS = 200;
/** After a connect: a station that is about to boot gets the time to do so (its boot shortens the wait). */
const AFTER_CONNECT_MS = 3_000;
/** After tag changes: a burst (an import, several edits) becomes one run. */
const AFTER_CHANGE_MS = 500;
const PARALLEL_STATIONS = 8;
/**
 * When more stations than this wait for a synchronisation (a site lost power and every station
 * is back at once), new connect-triggered runs are spread over STORM_SPREAD_MS: the stations'
 * boots get through first, and nothing urgent waits (their lists did not change while they were
 * away; a revocation still goes out with its own, undelayed run).
 */
const STORM_THRESHOLD = 50;
const STORM_SPREAD_MS = 60_000;

const STRENGTH: Record<SyncReason, number> = { change: 0, sweep: 1, connect: 2, manual: 3 };
const stronger = (a: SyncReason, b: SyncReason): SyncReason => (STRENGTH[a] > STRENGTH[b] ? a : b);

export interface LocalListSync {
  /** The periodic job: synchronises the online stations that are due. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

export function startLocalListSync(services: Services, commands: CommandDeps): LocalListSync {
  const { db, events, log } = services;
  const waiting: Array<() => void> = [];
  let active = 0;

  async function slot(): Promise<() => void> {
    if (active >= PARALLEL_STATIONS) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    return () => {
      active--;
      waiting.shift()?.();
    };
  }

  async function run(stationId: string, reason: SyncReason): Promise<void> {
    if (!commands.caller.isOnline(stationId)) return;
    if ((await getStation(db, stationId))?.registration !== 'accepted') return;
    const release = await slot();
    try {
      await syncStation(commands, stationId, reason);
    } finally {
      release();
    }
  }

  const runs = keyedRuns<SyncReason>({
    run,
    merge: stronger,
    onError: (error, stationId) => log.error({ err: error, stationId }, 'local list synchronisation failed'),
  });

  function request(stationId: string, reason: SyncReason, delayMs: number): void {
    if (reason === 'connect' && runs.size() > STORM_THRESHOLD) delayMs += Math.random() * STORM_SPREAD_MS;
    runs.request(stationId, reason, delayMs);
  }

  /** The accepted stations, or those of one tenant: a tenant's tags only ever go to its own stations. */
  const acceptedStations = async (tenantId?: number) => (await listStations(db, { registration: 'accepted', tenantId })).map((station) => station.id);
  const online = (stationIds: string[]) => stationIds.filter((id) => commands.caller.isOnline(id));

  const unsubscribe = [
    events.on('station.booted', ({ stationId, registration }) => {
      if (registration === 'accepted') request(stationId, 'connect', AFTER_BOOT_MS);
    }),
    events.on('station.connected', ({ stationId }) => request(stationId, 'connect', AFTER_CONNECT_MS)),
    events.on('station.disconnected', ({ stationId }) => runs.cancel(stationId)),
    events.on('local-list.sync-requested', ({ stationId }) => request(stationId, 'manual', 0)),
    // A station handed over holds the old tenant's list (its cache is marked for clearing already).
    events.on('station.handed-over', ({ stationId }) => request(stationId, 'change', 0)),
    events.on('id-tags.changed', async ({ tenantId, revoked }) => {
      const accepted = await acceptedStations(tenantId);
      if (revoked) await markCacheClearPending(db, accepted);
      for (const stationId of online(accepted)) request(stationId, 'change', AFTER_CHANGE_MS);
    }),
  ];

  return {
    async sweep() {
      const now = services.clock.now();
      const candidates = new Set(online(await acceptedStations()));
      for (const state of await allLocalListStates(db)) {
        if (candidates.has(state.stationId) && dueForSweep(state, now)) request(state.stationId, 'sweep', 0);
      }
    },
    async stop() {
      for (const off of unsubscribe) off();
      await runs.stop();
    },
  };
}

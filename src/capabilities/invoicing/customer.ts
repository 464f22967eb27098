// Who pays for a session: the customer is the id tag's group (its parentIdTag); a tag without a
// group is its own customer. The buyer printed on documents is the customer's owner name.
//
// Billing mode: a customer has either a receipt per paid session or one invoice a month, never
// both (a session is billed once). Default: groups (a fleet, a company: the tag has a parent, or
// other tags name it as theirs) are invoiced monthly; lone cards get receipts. An operator
// overrides it per customer (PUT /api/v1/invoice-customers/{idTag}).

import type { Executor } from '../../storage/database.js';
import { findIdTag, findIdTagWithGroup, listIdTags } from '../authorization/id-tag-store.js';
import { customerBilling } from './invoice-store.js';
import type { BillingMode, Party } from './tables.js';

export async function customerOf(db: Executor, idTag: string): Promise<string> {
  const found = await findIdTagWithGroup(db, idTag);
  return found?.group?.idTag ?? found?.tag.parentIdTag ?? found?.tag.idTag ?? idTag;
}

export async function defaultBilling(db: Executor, customer: string): Promise<BillingMode> {
  const tag = await findIdTag(db, customer);
  if (tag?.parentIdTag) return 'monthly';
  return (await listIdTags(db, { parentIdTag: customer })).length > 0 ? 'monthly' : 'receipt';
}

export async function billingOf(db: Executor, tenantId: number, customer: string): Promise<{ billing: BillingMode; explicit: boolean }> {
  const set = await customerBilling(db, tenantId, customer);
  return set ? { billing: set, explicit: true } : { billing: await defaultBilling(db, customer), explicit: false };
}

export async function buyerOf(db: Executor, customer: string): Promise<Party> {
  const tag = await findIdTag(db, customer);
  return { name: tag?.ownerName ?? tag?.idTag ?? customer, address: null, vatId: null, idTag: tag?.idTag ?? customer };
}

// Who pays for a session: the customer is the id tag's group (its parentIdTag); a tag without a
// group is its own customer. The buyer printed on documents is the customer's owner name.
//
// Billing mode: a customer has either a receipt per paid session or one invoice a month, never
// both (a session is billed once). Default: groups (a fleet, a company: the tag has a parent, or
// other tags name it as theirs) are invoiced monthly; lone cards get receipts. An operator
// overrides it per customer (PUT /api/v1/invoice-customers/{idTag}).
//
// Everything here is read within one tenant (the station's, for a session): id tags are unique
// across tenants, so a card another tenant registered may still charge here under the accept
// policy, and must then be billed as a stranger's card, never with that tenant's group or name.

import type { Executor } from '../../storage/database.js';
import { findIdTag, findIdTagWithGroup, listIdTags } from '../authorization/id-tag-store.js';
import { customerBilling } from './invoice-store.js';
import type { BillingMode, Party } from './tables.js';

export async function customerOf(db: Executor, tenantId: number, idTag: string): Promise<string> {
  const found = await findIdTagWithGroup(db, tenantId, idTag);
  if (!found) return idTag;
  // A group this tenant has not registered is named as the tag names it.
  return found.group?.idTag ?? found.tag.parentIdTag ?? found.tag.idTag;
}

export async function defaultBilling(db: Executor, tenantId: number, customer: string): Promise<BillingMode> {
  const tag = await findIdTag(db, tenantId, customer);
  if (tag?.parentIdTag) return 'monthly';
  return (await listIdTags(db, { tenantId, parentIdTag: customer })).length > 0 ? 'monthly' : 'receipt';
}

export async function billingOf(db: Executor, tenantId: number, customer: string): Promise<{ billing: BillingMode; explicit: boolean }> {
  const set = await customerBilling(db, tenantId, customer);
  return set ? { billing: set, explicit: true } : { billing: await defaultBilling(db, tenantId, customer), explicit: false };
}

export async function buyerOf(db: Executor, tenantId: number, customer: string): Promise<Party> {
  const tag = await findIdTag(db, tenantId, customer);
  return { name: tag?.ownerName ?? tag?.idTag ?? customer, address: null, vatId: null, idTag: tag?.idTag ?? customer };
}

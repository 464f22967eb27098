// STAND-IN FOR RATING. Billing (src/capabilities/billing) rates a finished session: it writes the
// session's `cost` and emits session.rated. These tests must not depend on tariffs, so this
// helper does exactly those two things with a cost the test chooses. Everything after it
// (queueing, receipts, invoices, reports) is the real code path.
//
// Also: real sessions over a real OCPP connection, and polling for what follows an event.

import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { getBillable } from '../../src/capabilities/invoicing/invoice-store.js';
import { transactions, type CostItem, type SessionCost } from '../../src/capabilities/transactions/tables.js';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import type { TestServer } from '../support/test-server.js';

export function item(type: CostItem['type'], quantity: number, unitPrice: number, vatPercent: number | null, totalExclTax: number, total: number): CostItem {
  const unit = type === 'ENERGY' ? 'kWh' : type === 'FLAT' ? 'session' : 'h';
  return { type, quantity, unit, unitPrice, vatPercent, totalExclTax, total };
}

/** A cost whose totals are the items' sums (computed in cents, so they are exact). */
export function costOf(items: CostItem[], options: { currency?: string; internal?: boolean } = {}): SessionCost {
  const cents = (pick: (item: CostItem) => number) => items.reduce((sum, one) => sum + Math.round(pick(one) * 100), 0) / 100;
  return {
    currency: options.currency ?? 'EUR',
    total: cents((one) => one.total),
    totalExclTax: cents((one) => one.totalExclTax),
    items,
    tariffId: 'test-tariff',
    tariffVersion: 1,
    internal: options.internal ?? false,
    ratedAt: new Date().toISOString(),
  };
}

/**
 * Takes billing's place on this server: billing rates a session when it hears transaction.stopped
 * (and writes a null cost when no tariff applies), which would race with `rateSession`. So that
 * event is not passed on here; the test rates each session itself.
 */
export function standInForRating(server: TestServer): void {
  const { events } = server.server.services;
  const emit = events.emit.bind(events);
  events.emit = (name, event) => {
    if (name !== 'transaction.stopped') emit(name, event);
  };
}

/** Stands in for billing's rating: writes `cost` and emits session.rated, as billing does. */
export async function rateSession(server: TestServer, transactionId: number, cost: SessionCost): Promise<void> {
  const { db, events } = server.server.services;
  await db.update(transactions).set({ cost }).where(eq(transactions.id, transactionId));
  events.emit('session.rated', { transactionId });
}

export async function station(server: TestServer, id: string, clients: OcppTestClient[]): Promise<OcppTestClient> {
  const client = await OcppTestClient.connect(server.ocppUrl(id));
  clients.push(client);
  expect((await boot(client)).status).toBe('Accepted');
  return client;
}

/** Runs one session on a real connection: StartTransaction, then StopTransaction; returns its id. */
export async function chargeSession(
  client: OcppTestClient,
  session: { idTag: string; startedAt: Date; stoppedAt: Date; meterStart?: number; energyWh: number; connectorId?: number },
): Promise<number> {
  const meterStart = session.meterStart ?? 1_000;
  const started = await client.call('StartTransaction', {
    connectorId: session.connectorId ?? 1,
    idTag: session.idTag,
    meterStart,
    timestamp: session.startedAt.toISOString(),
  });
  expect(started.idTagInfo.status).toBe('Accepted');
  const transactionId = started.transactionId as number;
  await client.call('StopTransaction', { transactionId, meterStop: meterStart + session.energyWh, timestamp: session.stoppedAt.toISOString(), reason: 'EVDisconnected' });
  return transactionId;
}

/** Polls until `check` returns a value other than undefined (event listeners run after the emit). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The documents billing a session (via the sessionIds of every listed document). */
export async function documentsOf(server: TestServer, transactionId: number): Promise<any[]> {
  const response = await server.api('GET', '/api/v1/invoices?limit=1000');
  expect(response.status).toBe(200);
  return (response.body as any[]).filter((document) => document.sessionIds.includes(transactionId));
}

/** Waits until invoicing has queued these rated paid sessions (its session.rated listener ran). */
export async function queued(server: TestServer, transactionIds: number[]): Promise<void> {
  const { db } = server.server.services;
  for (const id of transactionIds) await eventually(async () => getBillable(db, id));
}

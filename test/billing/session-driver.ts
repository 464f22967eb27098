// Drives one charging session over a real OCPP socket with the station's own timestamps: status
// changes, meter values and the stop, then waits until billing has rated it.

import { expect } from 'vitest';
import type { OcppTestClient } from '../support/ocpp-client.js';
import type { TestServer } from '../support/test-server.js';

export type Step =
  | { at: string; status: string }
  | { at: string; registerWh: number; powerW?: number }
  | { at: string; registerKWh: string }
  | { at: string; perPhaseW: [number, number, number] };

export interface SessionPlan {
  connectorId?: number;
  idTag: string;
  start: string;
  meterStartWh: number;
  steps?: Step[];
  stop: string;
  /** null: sent without meterStop data beyond 0 (a charger that does not know it). */
  meterStopWh: number;
}

const minus = (iso: string, seconds: number) => new Date(Date.parse(iso) - seconds * 1000).toISOString();

function meterValue(step: Step) {
  if ('registerWh' in step) {
    const sampledValue = [{ value: String(step.registerWh), context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }];
    if (step.powerW !== undefined) sampledValue.push({ value: String(step.powerW), context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'W' });
    return { timestamp: step.at, sampledValue };
  }
  if ('registerKWh' in step) {
    return { timestamp: step.at, sampledValue: [{ value: step.registerKWh, context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'kWh' }] };
  }
  if ('perPhaseW' in step) {
    return {
      timestamp: step.at,
      sampledValue: step.perPhaseW.map((w, i) => ({ value: String(w), measurand: 'Power.Active.Import', phase: `L${i + 1}`, unit: 'W' })),
    };
  }
  return undefined;
}

export async function runSession(client: OcppTestClient, plan: SessionPlan): Promise<number> {
  const connectorId = plan.connectorId ?? 1;
  const status = (at: string, value: string) => client.call('StatusNotification', { connectorId, status: value, errorCode: 'NoError', timestamp: at });
  await status(minus(plan.start, 30), 'Preparing');
  const started = await client.call('StartTransaction', { connectorId, idTag: plan.idTag, meterStart: plan.meterStartWh, timestamp: plan.start });
  expect(started.idTagInfo.status).toBe('Accepted');
  const transactionId = started.transactionId as number;
  await status(plan.start, 'Charging');
  for (const step of plan.steps ?? []) {
    if ('status' in step) await status(step.at, step.status);
    else await client.call('MeterValues', { connectorId, transactionId, meterValue: [meterValue(step)] });
  }
  await status(plan.stop, 'Finishing');
  await client.call('StopTransaction', { transactionId, meterStop: plan.meterStopWh, timestamp: plan.stop, reason: 'EVDisconnected' });
  await status(new Date(Date.parse(plan.stop) + 60_000).toISOString(), 'Available');
  return transactionId;
}

/** The session once billing has rated it (its cost is set). */
export async function ratedSession(server: TestServer, id: number, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await server.api('GET', `/api/v1/sessions/${id}`);
    expect(response.status).toBe(200);
    if (response.body.cost) return response.body;
    if (Date.now() > deadline) throw new Error(`session ${id} was not rated in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A cost's items as [type, quantity, unit price, excl. VAT, incl. VAT]. */
export const itemsOf = (cost: { items: { type: string; quantity: number; unitPrice: number; totalExclTax: number; total: number }[] }) =>
  cost.items.map((item) => [item.type, item.quantity, item.unitPrice, item.totalExclTax, item.total]);

// Side effects as events, off the charger's path: a handler commits, answers the station and
// emits; rating, load management, dashboards and notifications subscribe. Listener failures are
// logged and never reach the emitter (and so never reach a charger).

import type { Logger } from './logger.js';

export interface DomainEvents {
  'station.connected': { stationId: string; protocol: string; remoteAddress: string | undefined };
  'station.disconnected': { stationId: string; code: number; reason: string };
  'station.booted': { stationId: string; registration: string };
  /** The station's row changed outside the OCPP path (API): live sessions reload it. */
  'station.updated': { stationId: string };
  /** A site was created, changed or deleted (its limit, zone, tariff). */
  'site.changed': { siteId: string };
  'connector.status': { stationId: string; connectorId: number; status: string; errorCode: string; at: Date };
  'transaction.started': { transactionId: number; stationId: string; connectorId: number; idTag: string; startedAt: Date };
  'transaction.stopped': {
    transactionId: number;
    stationId: string;
    connectorId: number;
    stoppedAt: Date;
    energyWh: number | null;
    stoppedBy: 'station' | 'backend';
  };
  /** Billing rated a finished session: its `cost` is set (or changed). Invoicing issues receipts from it. */
  'session.rated': { transactionId: number };
  'meter.values': {
    stationId: string;
    connectorId: number;
    transactionId: number | null;
    samples: number;
    latestAt: Date;
    /** The connector's power and energy register at the newest instant of the message, when it reported them. */
    powerW: number | null;
    registerWh: number | null;
  };
  /** Id tags were created, changed or deleted (API, CSV import); revoked: one that could charge no longer can. */
  'id-tags.changed': { idTags: string[]; revoked: boolean };
  /** An operator asked for a station's local authorization list to be synchronised now. */
  'local-list.sync-requested': { stationId: string };
  /** An API key was revoked: caches of valid keys forget it. */
  'api-key.revoked': { keyId: number };
  /** A station sent a certificate signing request we accepted: the CA signs it and sends CertificateSigned. */
  'certificate.csr-accepted': { stationId: string; csr: string };
  /** A frame went into the raw message log (live log views refresh on it). */
  'message.logged': { stationId: string; direction: string; action: string | null; at: Date };
}

export type EventName = keyof DomainEvents;
type Listener<E extends EventName> = (event: DomainEvents[E]) => void | Promise<void>;

export interface EventBus {
  emit<E extends EventName>(name: E, event: DomainEvents[E]): void;
  /** Returns the function that unsubscribes. */
  on<E extends EventName>(name: E, listener: Listener<E>): () => void;
}

export function createEventBus(log: Logger): EventBus {
  const listeners = new Map<EventName, Set<Listener<never>>>();
  const report = (name: EventName, error: unknown) => log.error({ err: error, event: name }, 'event listener failed');
  return {
    emit(name, event) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          const result = (listener as Listener<typeof name>)(event);
          if (result instanceof Promise) result.catch((error: unknown) => report(name, error));
        } catch (error) {
          report(name, error);
        }
      }
    },
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as Listener<never>);
      return () => set.delete(listener as Listener<never>);
    },
  };
}

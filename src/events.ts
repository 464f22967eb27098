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
  /** The platform gave a station to another tenant: caches of who owns it forget it, and its local list is replaced. */
  'station.handed-over': { stationId: string; fromTenantId: number; toTenantId: number };
  /** A site was created, changed or deleted (its limit, zone, tariff). */
  'site.changed': { siteId: string };
  'connector.status': { stationId: string; connectorId: number; status: string; errorCode: string; at: Date };
  'transaction.started': {
    transactionId: number;
    stationId: string;
    connectorId: number;
    idTag: string;
    startedAt: Date;
    /** The reservation the station started it on (StartTransaction.reservationId). */
    reservationId: number | null;
  };
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
    /** The highest phase's Current.Import at that instant, and how many phases carry current (0: unphased, DC). */
    currentA: number | null;
    currentPhases: number | null;
  };
  /** Id tags of a tenant were created, changed or deleted (API, CSV import); revoked: one that could charge no longer can. */
  'id-tags.changed': { tenantId: number; idTags: string[]; revoked: boolean };
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

export interface SubscribeOptions {
  /**
   * Also receive the copies of events that another node of a cluster committed. Only for
   * listeners that show or cache state of this node (the live feed, a live session); a listener
   * that writes or sends commands must not, or it would act once per node.
   */
  remote?: boolean;
}

/** Sees every event emitted on this node: the cluster's bridge that publishes them to the others. */
export type EventBridge = <E extends EventName>(name: E, event: DomainEvents[E]) => void;

export interface EventBus {
  /** An event committed on this node: every listener, and the cluster bridge if there is one. */
  emit<E extends EventName>(name: E, event: DomainEvents[E]): void;
  /** Returns the function that unsubscribes. */
  on<E extends EventName>(name: E, listener: Listener<E>, options?: SubscribeOptions): () => void;
  /** An event another node committed (from the bridge): only the listeners subscribed with { remote: true }. */
  emitRemote<E extends EventName>(name: E, event: DomainEvents[E]): void;
  setBridge(bridge: EventBridge | undefined): void;
}

export function createEventBus(log: Logger): EventBus {
  const listeners = new Map<EventName, Set<Listener<never>>>();
  const remoteListeners = new Map<EventName, Set<Listener<never>>>();
  let bridge: EventBridge | undefined;
  const report = (name: EventName, error: unknown) => log.error({ err: error, event: name }, 'event listener failed');
  const deliver = <E extends EventName>(set: Set<Listener<never>> | undefined, name: E, event: DomainEvents[E]) => {
    for (const listener of set ?? []) {
      try {
        const result = (listener as Listener<E>)(event);
        if (result instanceof Promise) result.catch((error: unknown) => report(name, error));
      } catch (error) {
        report(name, error);
      }
    }
  };
  const add = (map: Map<EventName, Set<Listener<never>>>, name: EventName, listener: Listener<never>) => {
    let set = map.get(name);
    if (!set) map.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };
  return {
    emit(name, event) {
      deliver(listeners.get(name), name, event);
      if (bridge) bridge(name, event);
    },
    on(name, listener, options) {
      const offLocal = add(listeners, name, listener as Listener<never>);
      if (!options?.remote) return offLocal;
      const offRemote = add(remoteListeners, name, listener as Listener<never>);
      return () => {
        offLocal();
        offRemote();
      };
    },
    emitRemote(name, event) {
      deliver(remoteListeners.get(name), name, event);
    },
    setBridge(next) {
      bridge = next;
    },
  };
}

// The live feed: one EventSource on /api/v1/events/stream for the whole app (plus one per open
// station page, for its message log). Pages subscribe to the events they show and update in
// place. After a lost connection the feed reconnects and sends "resync", on which pages reload
// what they show, since events may have been missed meanwhile.

import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';

export interface FeedPayloads {
  'station.connected': { stationId: string };
  'station.disconnected': { stationId: string };
  'station.booted': { stationId: string; registration: string };
  'station.updated': { stationId: string };
  'connector.status': { stationId: string; connectorId: number; status: string; errorCode: string; at: string };
  'transaction.started': { transactionId: number; stationId: string; connectorId: number; idTag: string; startedAt: string };
  'transaction.stopped': { transactionId: number; stationId: string; connectorId: number; stoppedAt: string; energyWh: number | null };
  'meter.values': { stationId: string; connectorId: number; transactionId: number | null; at: string; powerW: number | null; registerWh: number | null };
  'message.logged': { stationId: string; direction: string; action: string | null; at: string };
  /** Not from the backend: the connection came back, reload what is shown. */
  resync: Record<string, never>;
}
export type FeedEvent = { [N in keyof FeedPayloads]: { name: N; data: FeedPayloads[N] } }[keyof FeedPayloads];
export type FeedStatus = 'connecting' | 'live' | 'reconnecting';

const EVENT_NAMES = [
  'station.connected',
  'station.disconnected',
  'station.booted',
  'station.updated',
  'connector.status',
  'transaction.started',
  'transaction.stopped',
  'meter.values',
  'message.logged',
] as const;
const RETRY_MS = 5000;

export interface Feed {
  subscribe(listener: (event: FeedEvent) => void): () => void;
  onStatus(listener: (status: FeedStatus) => void): () => void;
  readonly status: FeedStatus;
  close(): void;
}

/** Opens the feed; `onRefused` runs when the backend refuses it (e.g. the session ended). */
export function openFeed(url: string, onRefused: () => void = () => undefined): Feed {
  const listeners = new Set<(event: FeedEvent) => void>();
  const statusListeners = new Set<(status: FeedStatus) => void>();
  let status: FeedStatus = 'connecting';
  let source: EventSource | undefined;
  let retry: number | undefined;
  let closed = false;
  let wasDown = false;

  const emit = (event: FeedEvent) => {
    for (const listener of listeners) listener(event);
  };
  const setStatus = (next: FeedStatus) => {
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  function connect(): void {
    source = new EventSource(url, { withCredentials: true });
    source.onopen = () => {
      setStatus('live');
      if (wasDown) emit({ name: 'resync', data: {} });
      wasDown = false;
    };
    source.onerror = () => {
      wasDown = true;
      setStatus('reconnecting');
      // The browser retries by itself after a dropped stream; after a refusal (401) it gives up.
      if (source?.readyState === EventSource.CLOSED && !closed) {
        onRefused();
        retry = window.setTimeout(connect, RETRY_MS);
      }
    };
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (message) => emit({ name, data: JSON.parse((message as MessageEvent<string>).data) } as FeedEvent));
    }
  }
  connect();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => void statusListeners.delete(listener);
    },
    get status() {
      return status;
    },
    close() {
      closed = true;
      window.clearTimeout(retry);
      source?.close();
    },
  };
}

export const FeedContext = createContext<Feed | undefined>(undefined);

/**
 * Calls `handler` for each live event (the latest handler: no need to memoise it). With a
 * `stationId`, a feed of that station's events only, including its message log, is opened for
 * as long as the component is shown.
 */
export function useLiveEvents(handler: (event: FeedEvent) => void, stationId?: string): void {
  const shared = useContext(FeedContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (stationId === undefined) return shared?.subscribe((event) => latest.current(event));
    const own = openFeed(`/api/v1/events/stream?stationId=${encodeURIComponent(stationId)}`);
    const unsubscribe = own.subscribe((event) => latest.current(event));
    return () => {
      unsubscribe();
      own.close();
    };
  }, [shared, stationId]);
}

export function useFeedStatus(): FeedStatus | undefined {
  const feed = useContext(FeedContext);
  const [status, setStatus] = useState(feed?.status);
  useEffect(() => {
    setStatus(feed?.status);
    return feed?.onStatus(setStatus);
  }, [feed]);
  return status;
}

// The stations connected to this node: station id → its socket and live session state.

import type { StationSession } from '../capabilities/stations/station-session.js';
import type { StationConnection } from './station-connection.js';

export interface LiveStation {
  connection: StationConnection;
  /** The station's live state, loaded when it connected; mutated in place when its row changes. */
  session: StationSession;
  /** When lastSeenAt was last written to the database (it is written at most once a minute). */
  persistedSeenAt: number;
}

export interface StationRegistry {
  get(stationId: string): LiveStation | undefined;
  /** Adds a connection; returns the entry it replaces (the same station's older socket). */
  put(entry: LiveStation): LiveStation | undefined;
  /** Removes the entry if `connection` is still the station's current one. */
  remove(connection: StationConnection): boolean;
  all(): IterableIterator<LiveStation>;
  readonly size: number;
}

export function createStationRegistry(): StationRegistry {
  const live = new Map<string, LiveStation>();
  return {
    get: (stationId) => live.get(stationId),
    put(entry) {
      const previous = live.get(entry.connection.stationId);
      live.set(entry.connection.stationId, entry);
      return previous;
    },
    remove(connection) {
      if (live.get(connection.stationId)?.connection !== connection) return false;
      live.delete(connection.stationId);
      return true;
    },
    all: () => live.values(),
    get size() {
      return live.size;
    },
  };
}

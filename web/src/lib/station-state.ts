// Keeping a station on screen current from two sources, live events and fetched copies, without
// either undoing the other. A connector's status only moves forward in time, as on the backend
// (a late report never sets a connector back), so whichever source has the newer status wins.

import type { Connector, Station } from '../api/types';

const newer = (a: Connector, b: Connector | undefined) => !b || Date.parse(a.statusAt) >= Date.parse(b.statusAt);

/** The connectors with `report` applied, unless a newer status is already shown. */
export function withConnectorStatus(connectors: readonly Connector[], report: Connector): Connector[] {
  const current = connectors.find((connector) => connector.connectorId === report.connectorId);
  if (!newer(report, current)) return [...connectors];
  return [...connectors.filter((connector) => connector.connectorId !== report.connectorId), report].sort((a, b) => a.connectorId - b.connectorId);
}

/** A freshly fetched station, keeping any connector status shown that is newer than the fetch (an event that arrived meanwhile). */
export function mergeFetched<T extends Station>(fresh: T, shown: Station | undefined): T {
  if (!shown) return fresh;
  return { ...fresh, connectors: shown.connectors.reduce((connectors, connector) => withConnectorStatus(connectors, connector), fresh.connectors) };
}

/** A connector as a live status event describes it. */
export function reportedConnector(event: { connectorId: number; status: string; errorCode: string; at: string }): Connector {
  return { connectorId: event.connectorId, status: event.status, errorCode: event.errorCode, info: null, vendorErrorCode: null, statusAt: event.at };
}

// The shapes the dashboard reads from /api/v1, as the OpenAPI document (/api/openapi.json)
// describes them; only the fields the pages use.

export type Registration = 'accepted' | 'pending' | 'rejected';

export interface Connector {
  connectorId: number;
  status: string;
  errorCode: string;
  info: string | null;
  vendorErrorCode: string | null;
  statusAt: string;
}

export interface Station {
  id: string;
  registration: Registration;
  online: boolean;
  lastSeenAt: string | null;
  lastBootAt: string | null;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  meterType: string | null;
  siteId: string | null;
  timeZone: string | null;
  connectors: Connector[];
  createdAt: string;
}

export interface StationDetail extends Station {
  maintenance: {
    diagnosticsStatus: string | null;
    firmwareStatus: string | null;
    firmwareStatusAt: string | null;
  };
}

/** Billing's rating of a session (shared/contract.md); absent until billing is part of the backend. */
export interface SessionCost {
  currency: string;
  total: number;
  totalExclTax: number;
  items: Array<Record<string, unknown> & { type?: string; description?: string; amount?: number; total?: number; quantity?: number; unit?: string }>;
}

export interface Session {
  id: number;
  stationId: string;
  connectorId: number;
  idTag: string;
  startedAt: string;
  stoppedAt: string | null;
  meterStartWh: number;
  meterStopWh: number | null;
  energyWh: number | null;
  stopReason: string | null;
  stoppedBy: string | null;
  active: boolean;
  flags: string[];
  cost?: SessionCost | null;
}

export interface MeterValue {
  sampledAt: string;
  measurand: string;
  phase: string | null;
  location: string | null;
  context: string | null;
  value: number | null;
  unit: string;
}

export type IdTagStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';

export interface IdTag {
  idTag: string;
  status: IdTagStatus;
  expiryDate: string | null;
  parentIdTag: string | null;
  internal: boolean;
  updatedAt: string;
}

export interface Overview {
  stations: { total: number; online: number; offline: number; faulted: number; pending: number };
  connectors: Record<string, number>;
  charging: Array<{
    sessionId: number;
    stationId: string;
    connectorId: number;
    idTag: string;
    startedAt: string;
    powerW: number | null;
    energyWh: number | null;
    readingAt: string | null;
  }>;
  chargingPartial: boolean;
  powerW: number;
  since: string;
  sessionsSince: number;
  energySinceWh: number;
}

export interface LoggedMessage {
  id: number;
  at: string;
  direction: string;
  messageType: string | null;
  action: string | null;
  frame: string;
}

export interface CommandRecord {
  id: number;
  action: string;
  outcome: string;
  requestedBy: string;
  requestedAt: string;
  latencyMs: number | null;
  errorDescription: string | null;
}

export interface Me {
  email: string;
  role: string;
  csrfToken: string;
}

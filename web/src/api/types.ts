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
  hasPassword: boolean;
  /** OCPP 1.6 security profile: 0 none, 1 password, 2 TLS and password, 3 TLS with client certificate. */
  securityProfile: number;
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

/** One line of a session's bill: one OCPI price component. */
export interface CostItem {
  type: string;
  /** kWh for ENERGY, hours for TIME and PARKING_TIME, 1 for FLAT. */
  quantity: number;
  unit: string;
  /** Per unit, excluding tax. */
  unitPrice: number;
  vatPercent: number | null;
  totalExclTax: number;
  total: number;
}

/** Billing's rating of a session (src/capabilities/transactions/tables.ts): decimal currency units. */
export interface SessionCost {
  currency: string;
  total: number;
  totalExclTax: number;
  items: CostItem[];
  tariffId?: string | null;
  /** An internal user's session: recorded, rated at zero. */
  internal?: boolean;
  ratedAt?: string;
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

export interface TenantRef {
  id: number;
  name: string;
  /** The platform operator's own tenant, whose admins manage the others. */
  platform: boolean;
}

export interface Me {
  email: string;
  role: string;
  tenant: TenantRef;
  csrfToken: string;
}

export interface Tenant extends TenantRef {
  invoiceAddress: string | null;
  vatId: string | null;
  createdAt: string;
}

export interface Site {
  id: string;
  name: string;
  timeZone: string;
  /** Per phase; null: no limit. */
  gridLimitAmps: number | null;
  phases: 1 | 3;
  voltage: number;
  minCurrentAmps: number;
  tariffId: string | null;
  stationIds: string[];
  createdAt: string;
  updatedAt: string;
  /** Fields later capabilities add (load management's buildingLoadAmps, say). */
  [added: string]: unknown;
}

/** One session's share of a site's limit (GET /api/v1/sites/{id}/load). */
export interface SessionLoad {
  transactionId: number;
  stationId: string;
  connectorId: number;
  circuitId: string | null;
  idTag: string;
  priority: number;
  startedAt: string;
  /** What the station holds for the session (its charging profile). */
  limitAmps: number;
  /** What the rule gives now (differs from limitAmps within the hysteresis). */
  targetAmps: number;
  drawAmps: number | null;
  capAmps: number | null;
  /** At 0 A: the minimum did not fit. */
  waiting: boolean;
}

/** GET /api/v1/sites/{id}/load (load management); amps per phase. */
export interface SiteLoad {
  siteId: string;
  at: string;
  /** live: the current decision; history: the last recorded one. */
  source: string;
  limitAmps: number;
  buildingAmps: number;
  buildingSource: string;
  allocatedAmps: number;
  worstCaseAmps: number;
  sessionsDrawAmps: number | null;
  /** Building load plus what the sessions draw. */
  totalDrawAmps: number | null;
  sessions: SessionLoad[];
  worstCase: Array<{ stationId: string; amps: number; reason: string }>;
  fallback: Array<{ stationId: string; amps: number; heldAmps: number | null }>;
  circuits: Array<{ id: string; name: string; limitAmps: number; allocatedAmps: number }>;
}

/** One recorded allocation decision (GET /api/v1/sites/{id}/load/history). */
export interface LoadSnapshot {
  at: string;
  trigger: string;
  limitAmps: number;
  buildingAmps: number;
  allocatedAmps: number;
  /** What the sessions drew (the building's load not included). */
  drawAmps: number | null;
}

/** GET /api/v1/stations/{id}/configuration: the stored copy. */
export interface ConfigurationKey {
  key: string;
  value: string | null;
  readonly: boolean;
  valueAt: string;
  lastChange: { value: string; status: string; at: string; by: string } | null;
}

export interface StationConfiguration {
  stationId: string;
  readAt: string | null;
  updatedAt: string | null;
  unknownKeys: string[];
  keys: ConfigurationKey[];
}

export type ReservationStatus = 'requested' | 'active' | 'refused' | 'failed' | 'cancelled' | 'expired' | 'used';

export interface Reservation {
  id: number;
  stationId: string;
  connectorId: number;
  idTag: string;
  parentIdTag: string | null;
  expiryDate: string;
  status: ReservationStatus;
  /** The station's ReserveNow answer. */
  stationStatus: string | null;
  detail: string | null;
  transactionId: number | null;
  requestedBy: string;
  createdAt: string;
  endedAt: string | null;
}

export interface FirmwareFile {
  id: number;
  filename: string;
  size: number;
  sha256: string;
  url: string;
  uploadedBy: string;
  uploadedAt: string;
  downloads: number;
  lastDownloadedAt: string | null;
}

export interface FirmwareUpdate {
  id: number;
  stationId: string;
  firmwareId: number;
  location: string;
  retrieveDate: string;
  outcome: string;
  detail: string | null;
  status: string | null;
  statusAt: string | null;
  requestedBy: string;
  requestedAt: string;
}

export interface DiagnosticsRequest {
  id: number;
  stationId: string;
  outcome: string;
  detail: string | null;
  fileName: string | null;
  status: string | null;
  statusAt: string | null;
  requestedBy: string;
  requestedAt: string;
  files: Array<{ id: number; filename: string; size: number; sha256: string; receivedAt: string; url: string }>;
}

/** GET /api/v1/stations/{id}/maintenance. */
export interface Maintenance {
  firmware: { status: string | null; statusAt: string | null; update: FirmwareUpdate | null };
  diagnostics: { status: string | null; statusAt: string | null; request: DiagnosticsRequest | null };
}

export type ReportGroup = 'station' | 'site' | 'group' | 'day' | 'month';

/** One row of GET /api/v1/reports/energy-revenue: a group in one currency (null: not rated). */
export interface ReportRow {
  key: string;
  label: string;
  currency: string | null;
  sessions: number;
  energyWh: number;
  energyKWh: number;
  revenue: number | null;
  revenueExclTax: number | null;
}

/** An OCPI 2.2.1 price component: `price` excludes VAT; `step_size` in Wh or seconds. */
export interface PriceComponent {
  type: 'ENERGY' | 'TIME' | 'PARKING_TIME' | 'FLAT' | string;
  price: number;
  vat?: number | null;
  step_size?: number;
}

export interface TariffRestrictions {
  start_time?: string;
  end_time?: string;
  day_of_week?: string[];
  min_duration?: number;
  max_duration?: number;
  [other: string]: unknown;
}

export interface PriceLimit {
  excl_vat: number;
  incl_vat?: number;
}

/** An OCPI 2.2.1 Tariff object as /api/v1/tariffs holds it; `id` is the backend's. */
export interface Tariff {
  id: string;
  currency: string;
  elements: Array<{ price_components: PriceComponent[]; restrictions?: TariffRestrictions }>;
  tariff_alt_text?: Array<{ language: string; text: string }>;
  min_price?: PriceLimit | null;
  max_price?: PriceLimit | null;
  [extension: string]: unknown;
}

/** A receipt, monthly invoice or credit note (GET /api/v1/invoices); amounts in decimal currency units. */
export interface Invoice {
  id: number;
  kind: string;
  number: string;
  issuedAt: string;
  customer: string;
  currency: string;
  totalExclTax: number;
  totalTax: number;
  total: number;
  period: string | null;
  sessionIds: number[];
  links: { self: string; html: string; pdf: string };
}

export type Role = 'owner' | 'admin' | 'operator' | 'viewer';

export interface User {
  id: number;
  email: string;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface ApiKey {
  id: number;
  name: string;
  role: Role;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorKind: string;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  params: unknown;
  outcome: number;
}

export interface SecurityEvent {
  id: number;
  type: string;
  techInfo: string | null;
  timestamp: string;
  receivedAt: string;
}

export interface StationCertificate {
  serialNumber: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  deliveryStatus: string | null;
  renewalRequestedAt: string | null;
  revokedAt: string | null;
  pem: string;
}

export interface CertificateRevocation {
  serialNumber: string;
  stationId: string | null;
  reason: string | null;
  revokedBy: string;
  revokedAt: string;
}

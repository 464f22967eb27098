// The simulator's programmatic API, for tests and benchmarks (the CLI is cli.ts).

export { BRAND_PROFILES, PROFILE_NAMES, getProfile, resolveProfileNames, type BrandProfile, type ProfileName } from './brand-profiles.js';
export {
  ChargePoint,
  ConnectorBusyError,
  InvalidResponseError,
  NotAcceptedError,
  SessionRefusedError,
  StationClosedError,
  startStation,
  stationUrl,
  type AcknowledgedCall,
  type ConnectorStatus,
  type FailedCall,
  type InboundCall,
  type Registration,
  type SentCall,
  type SessionInfo,
  type StationHooks,
  type StationOptions,
  type StopInfo,
  type StopReason,
} from './charge-point.js';
export { fleetStationIds, runFleet, type FleetOptions, type FleetReport } from './fleet.js';
export { CallTimeoutError, ConnectError, LinkClosedError } from './ocpp-link.js';
export { createStats, formatProgress, formatReport, snapshot, statsHooks, type RunStats, type StatsSnapshot } from './stats.js';

// One simulated charge point over a real WebSocket: boot (and wait while Pending), heartbeat,
// connector statuses, authorize, transactions with periodic meter values, and answers to the
// central system's calls (remote-calls.ts). The brand profile decides what it reports and how
// it bends the wire format. Transaction messages survive a lost link: they wait for the
// reconnect and are sent again, as real chargers queue them.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Call } from '../protocol/ocpp-j/frames.js';
import type {
  CentralSystemAction,
  CentralSystemRequest,
  CentralSystemResponse,
  ChargePointAction,
  ChargePointRequest,
  ChargePointResponse,
} from '../protocol/v16/actions.js';
import { schemas16 } from '../protocol/v16/schemas.js';
import { getProfile, type BrandProfile } from './brand-profiles.js';
import { connectorLimitW } from './charging-limit.js';
import { createConfigStore, type ConfigStore } from './config-store.js';
import { accrue, chargingPowerW, createMeter, energySample, readingSamples, registerWh, type MeterState, type ReadingContext } from './meter.js';
import { connectLink, LinkClosedError, type InboundAnswer, type OcppLink } from './ocpp-link.js';
import {
  answerCentralSystemCall,
  type ChargingProfile,
  type ConnectorView,
  type IdTagInfo,
  type Reservation,
  type StationControl,
  type TriggerableMessage,
} from './remote-calls.js';
import { createSimClock, type SimClock } from './sim-clock.js';
import { formatTimestamp, offeredProtocols, toWire } from './wire-format.js';

export type Registration = ChargePointResponse<'BootNotification'>['status'] | 'Unknown';
export type ConnectorStatus = ChargePointRequest<'StatusNotification'>['status'];
export type StopReason = NonNullable<ChargePointRequest<'StopTransaction'>['reason']>;

export interface StationOptions {
  /** The central system's OCPP endpoint without the station id, e.g. ws://127.0.0.1:8180/ocpp. */
  url: string;
  id: string;
  profile: BrandProfile | string;
  /** Default idTag for sessions. */
  idTag?: string;
  /** Basic-auth password (security profile 1); the user is the station id. */
  password?: string;
  /** Periodic MeterValues while charging (wall-clock ms; 0: none). Default 60 s. */
  meterIntervalMs?: number;
  /** Overrides the heartbeat interval the central system hands out in BootNotification. */
  heartbeatIntervalMs?: number;
  /** Overrides the retry interval the central system hands a Pending/Rejected station. */
  bootRetryMs?: number;
  /** How long a CALL waits for its answer. Default 30 s. */
  callTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect after a lost link (default true); transaction messages wait for it. */
  reconnect?: boolean;
  /** First reconnect delay; doubles up to 30 s. Default 1 s. */
  reconnectDelayMs?: number;
  /** Time between going down and coming up again on Reset. Default 200 ms. */
  rebootDelayMs?: number;
  /** Sessions started by RemoteStartTransaction stop by themselves after this long (wall ms). */
  remoteSessionMs?: number;
  /** Send BootNotification right after connecting (default true). */
  boot?: boolean;
  /** Wall clock (ms since the epoch) and how much faster simulated time runs (see sim-clock.ts). */
  now?: () => number;
  speed?: number;
  /** Energy register of connector 1 at start-up (Wh); further connectors follow. Default: derived from the id. */
  initialRegisterWh?: number;
  /** The most the EVs plugged in here draw (W), below what the station and its profiles allow. */
  evMaxPowerW?: number;
  /** Answers SetChargingProfile with Rejected (a unit without smart charging). */
  rejectChargingProfiles?: boolean;
  hooks?: StationHooks;
}

export interface SessionInfo {
  connectorId: number;
  transactionId: number;
  idTag: string;
  meterStartWh: number;
  startedAt: Date;
  /** Started by RemoteStartTransaction. */
  remote: boolean;
}

export interface StopInfo extends SessionInfo {
  meterStopWh: number;
  stoppedAt: Date;
  /** meterStop − meterStart, as the central system should compute it. */
  energyWh: number;
  reason: StopReason;
}

/** A CALL the station sent; `action` narrows `request`. */
export type SentCall = { [A in ChargePointAction]: { action: A; request: ChargePointRequest<A> } }[ChargePointAction];
/** A CALL the central system answered with a schema-valid CALLRESULT; `action` narrows `request` and `response`. */
export type AcknowledgedCall = {
  [A in ChargePointAction]: { action: A; request: ChargePointRequest<A>; response: ChargePointResponse<A>; latencyMs: number };
}[ChargePointAction];
export type FailedCall = { [A in ChargePointAction]: { action: A; request: ChargePointRequest<A>; error: Error; latencyMs: number } }[ChargePointAction];
/** A CALL from the central system and the station's answer. */
export type InboundCall = {
  [A in CentralSystemAction]: { action: A; request: CentralSystemRequest<A>; response: CentralSystemResponse<A> };
}[CentralSystemAction];

/**
 * Observers of a station; a throwing hook never disturbs the station. Call events are one
 * object, so a hook may destructure what it needs and narrow by action, e.g.
 * `onAcknowledged: ({ action, response }) => { if (action === 'StartTransaction') ids.push(response.transactionId) }`.
 */
export interface StationHooks {
  onConnected?(): void;
  onDisconnected?(code: number, reason: string): void;
  onRegistration?(status: Registration): void;
  onCallSent?(call: SentCall): void;
  /** The central system answered a CALL with a (schema-valid) CALLRESULT. */
  onAcknowledged?(call: AcknowledgedCall): void;
  /** A CALL got a CALLERROR, no answer in time, an invalid answer, or lost its link. */
  onCallFailed?(call: FailedCall): void;
  /** The station answered a CALL from the central system. */
  onInboundCall?(call: InboundCall): void;
  onSessionStarted?(session: SessionInfo): void;
  onSessionStopped?(stop: StopInfo): void;
}

export class NotAcceptedError extends Error {
  constructor(stationId: string, registration: Registration) {
    super(`Station ${stationId} is not accepted by the central system (registration ${registration})`);
    this.name = 'NotAcceptedError';
  }
}

export class SessionRefusedError extends Error {
  constructor(
    readonly stage: 'Authorize' | 'StartTransaction',
    readonly status: string,
    readonly transactionId?: number,
  ) {
    super(`${stage} answered idTag status ${status}`);
    this.name = 'SessionRefusedError';
  }
}

export class ConnectorBusyError extends Error {
  constructor(stationId: string, connectorId: number | undefined) {
    super(connectorId === undefined ? `Station ${stationId} has no free connector` : `Connector ${connectorId} of ${stationId} is not free`);
    this.name = 'ConnectorBusyError';
  }
}

export class InvalidResponseError extends Error {
  constructor(
    action: string,
    reason: string,
    readonly payload: unknown,
  ) {
    super(`The central system's ${action} answer breaks the schema: ${reason}`);
    this.name = 'InvalidResponseError';
  }
}

export class StationClosedError extends Error {
  constructor(stationId: string) {
    super(`Station ${stationId} was closed`);
    this.name = 'StationClosedError';
  }
}

interface ActiveSession extends SessionInfo {
  meterTimer: NodeJS.Timeout | undefined;
  autoStop: NodeJS.Timeout | undefined;
  /** The periodic MeterValues still waiting for its answer (the next tick is skipped meanwhile). */
  sending: Promise<void> | undefined;
  stopping: Promise<StopInfo> | undefined;
}

interface ConnectorState {
  id: number;
  status: ConnectorStatus;
  operative: boolean;
  /** Inoperative was requested while charging: applied when the session ends. */
  inoperativeScheduled: boolean;
  meter: MeterState;
  starting: boolean;
  session: ActiveSession | undefined;
  reservation: (Reservation & { timer: NodeJS.Timeout }) | undefined;
}

/** ws://host/ocpp + id → ws://host/ocpp/{URL-encoded id}. */
export function stationUrl(base: string, id: string): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
}

function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

function bootRequest(profile: BrandProfile, id: string): ChargePointRequest<'BootNotification'> {
  const request: ChargePointRequest<'BootNotification'> = {
    chargePointVendor: profile.vendor,
    chargePointModel: profile.model,
    firmwareVersion: profile.firmwareVersion,
  };
  // The legacy unit sends the bare minimum; the others identify themselves fully.
  if (profile.quirks.naiveTimestamps) return request;
  const serial = `SN-${id}`.slice(-25);
  return { ...request, chargePointSerialNumber: serial, chargeBoxSerialNumber: serial, meterType: profile.meterType, meterSerialNumber: `M-${id}`.slice(-25) };
}

const swallow = (): undefined => undefined;

export class ChargePoint {
  readonly id: string;
  readonly profile: BrandProfile;
  registration: Registration = 'Unknown';
  readonly config: ConfigStore;

  private readonly options: StationOptions;
  private readonly clock: SimClock;
  private readonly connectors: ConnectorState[];
  private readonly hookSets: StationHooks[] = [];
  private link: OcppLink | undefined;
  private closed = false;
  private meterIntervalMs: number;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private bootRetryTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private rebooting: Promise<void> | undefined;
  private connectionWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private stationOperative = true;
  private readonly localList = { version: 0, tags: new Map<string, IdTagInfo | undefined>() };
  private readonly chargingProfiles = new Map<number, { connectorId: number; profile: ChargingProfile }>();
  private readonly control: StationControl;
  private evMaxPowerW: number;

  constructor(options: StationOptions) {
    this.options = options;
    this.id = options.id;
    this.profile = typeof options.profile === 'string' ? getProfile(options.profile) : options.profile;
    this.clock = createSimClock({ ...(options.now ? { now: options.now } : {}), ...(options.speed !== undefined ? { speed: options.speed } : {}) });
    this.meterIntervalMs = options.meterIntervalMs ?? 60_000;
    this.evMaxPowerW = options.evMaxPowerW ?? Infinity;
    this.config = createConfigStore(
      this.profile,
      // The key is whole seconds; a sub-second test interval shows as 1, and 0 means no sampling.
      { heartbeatIntervalSec: 300, meterValueSampleIntervalSec: this.meterIntervalMs > 0 ? Math.max(1, Math.round(this.meterIntervalMs / 1000)) : 0 },
      (key, value) => this.onConfigurationChanged(key, value),
    );
    const base = options.initialRegisterWh ?? 1_000_000 + (hashOf(options.id) % 9_000_000);
    const atMs = this.clock.nowMs();
    this.connectors = Array.from({ length: this.profile.connectors }, (_, index) => ({
      id: index + 1,
      status: 'Available' as ConnectorStatus,
      operative: true,
      inoperativeScheduled: false,
      meter: createMeter(base + index * 100_000, atMs),
      starting: false,
      session: undefined,
      reservation: undefined,
    }));
    if (options.hooks) this.hookSets.push(options.hooks);
    this.control = this.createControl();
  }

  get isOnline(): boolean {
    return this.link?.isOpen ?? false;
  }

  get isAccepted(): boolean {
    return this.registration === 'Accepted';
  }

  /** Simulated now (see sim-clock.ts). */
  now(): Date {
    return this.clock.now();
  }

  /** Adds observers; returns the function that removes them. */
  addHooks(hooks: StationHooks): () => void {
    this.hookSets.push(hooks);
    return () => {
      const index = this.hookSets.indexOf(hooks);
      if (index >= 0) this.hookSets.splice(index, 1);
    };
  }

  /** The running sessions. */
  sessions(): SessionInfo[] {
    return this.connectors.flatMap((connector) => (connector.session ? [publicSession(connector.session)] : []));
  }

  /** The last status each connector reported (index 0 is connector 1). */
  connectorStatuses(): ConnectorStatus[] {
    return this.connectors.map((connector) => connector.status);
  }

  /** What a connector's EV draws now (W): 0 without a session. */
  powerW(connectorId: number): number {
    return this.connectorAt(connectorId).meter.powerW;
  }

  /** What the installed charging profiles allow a connector now (W; Infinity: unlimited). */
  allowedPowerW(connectorId: number): number {
    const connector = this.connectorAt(connectorId);
    return connectorLimitW(this.chargingProfiles.values(), connectorId, {
      nowMs: this.clock.nowMs(),
      sessionStartMs: connector.session?.startedAt.getTime(),
      transactionId: connector.session?.transactionId,
      wattsPerAmp: this.profile.meter.voltage * Math.max(1, this.profile.phases),
    });
  }

  /** The charging profiles installed now, with the connector each is for (0: the whole station). */
  installedProfiles(): { connectorId: number; profile: ChargingProfile }[] {
    return [...this.chargingProfiles.values()];
  }

  /** Changes what the plugged-in EVs draw at most (W) from now on. */
  setEvMaxPowerW(watts: number): void {
    this.evMaxPowerW = watts;
    this.applyChargingLimits();
  }

  /** The EV's draw under the station's max, its profiles and its own appetite. */
  private drawW(connector: ConnectorState): number {
    return chargingPowerW(connector.meter, this.profile, Math.min(this.allowedPowerW(connector.id), this.evMaxPowerW));
  }

  /** Profiles or the EV changed: charging sessions take the new power from now on. */
  private applyChargingLimits(): void {
    const nowMs = this.clock.nowMs();
    for (const connector of this.connectors) {
      if (!connector.session || connector.session.stopping) continue;
      accrue(connector.meter, this.profile, nowMs);
      connector.meter.powerW = this.drawW(connector);
    }
  }

  /** Energy register of a connector in whole Wh (accrued up to now). */
  meterWh(connectorId: number): number {
    const connector = this.connectorAt(connectorId);
    accrue(connector.meter, this.profile, this.clock.nowMs());
    return registerWh(connector.meter);
  }

  // ---- link -------------------------------------------------------------------------------

  /** Opens the WebSocket (station id as the URL's last segment, Basic auth when a password is set). */
  async connect(): Promise<void> {
    if (this.closed) throw new StationClosedError(this.id);
    const headers: Record<string, string> = {};
    if (this.options.password !== undefined) {
      headers['authorization'] = `Basic ${Buffer.from(`${this.id}:${this.options.password}`).toString('base64')}`;
    }
    const link: OcppLink = await connectLink({
      url: stationUrl(this.options.url, this.id),
      protocols: offeredProtocols(this.profile),
      headers,
      callTimeoutMs: this.options.callTimeoutMs ?? 30_000,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
      onCall: (call) => this.answer(call),
      onClose: ({ code, reason, byUs }) => {
        if (this.link === link) this.linkLost(code, reason, byUs);
      },
    });
    if (this.closed) {
      link.kill();
      throw new StationClosedError(this.id);
    }
    this.link = link;
    this.fire('onConnected');
    for (const waiter of this.connectionWaiters.splice(0)) waiter.resolve();
  }

  /** Closes the WebSocket with a close frame and stops all timers. Open sessions stay open at the central system. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.shutDown();
    await this.link?.close(1000, 'Station shutting down');
  }

  /** Drops the connection without a close frame, like a power cut; the station stays down. */
  kill(): void {
    if (this.closed) return;
    this.shutDown();
    this.link?.kill();
  }

  private shutDown(): void {
    this.closed = true;
    this.stopTimers();
    clearTimeout(this.reconnectTimer);
    for (const connector of this.connectors) {
      if (connector.session) this.stopSessionTimers(connector.session);
      clearTimeout(connector.reservation?.timer);
    }
    const error = new StationClosedError(this.id);
    for (const waiter of this.connectionWaiters.splice(0)) waiter.reject(error);
  }

  private stopTimers(): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.bootRetryTimer);
    this.heartbeatTimer = undefined;
    this.bootRetryTimer = undefined;
  }

  private linkLost(code: number, reason: string, byUs: boolean): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.fire('onDisconnected', code, reason);
    if (byUs || this.closed) return;
    if (this.options.reconnect === false) {
      const error = new LinkClosedError();
      for (const waiter of this.connectionWaiters.splice(0)) waiter.reject(error);
      return;
    }
    this.scheduleReconnect(0);
  }

  private scheduleReconnect(attempt: number): void {
    const delay = Math.min((this.options.reconnectDelayMs ?? 1000) * 2 ** attempt, 30_000);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed) return;
      this.connect().then(
        () => this.resumeAfterReconnect(),
        () => {
          if (!this.closed) this.scheduleReconnect(attempt + 1);
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  private async resumeAfterReconnect(): Promise<void> {
    // A reconnect is not a reboot: an accepted station carries on and reports where it stands.
    if (!this.isAccepted) {
      await this.boot().catch(swallow);
      return;
    }
    this.startHeartbeat();
    await this.sendAllStatuses();
  }

  private willReconnect(): boolean {
    return !this.closed && (this.options.reconnect !== false || this.rebooting !== undefined);
  }

  private nextConnection(): Promise<void> {
    return new Promise((resolve, reject) => this.connectionWaiters.push({ resolve, reject }));
  }

  /**
   * Sends a CALL and checks the answer against the schema. A `durable` (transaction) message
   * whose link is lost waits for the reconnect and is sent again; others fail at once.
   */
  private async call<A extends ChargePointAction>(action: A, request: ChargePointRequest<A>, durable = false): Promise<ChargePointResponse<A>> {
    for (;;) {
      if (this.closed) throw new StationClosedError(this.id);
      const link = this.link;
      if (!link?.isOpen) {
        if (durable && this.willReconnect()) {
          await this.nextConnection();
          continue;
        }
        throw new LinkClosedError();
      }
      const started = performance.now();
      this.fire('onCallSent', { action, request } as SentCall);
      try {
        const response = await link.call(action, toWire(this.profile, action, request));
        const broken = schemas16(action).checkResponse(response);
        if (broken) throw new InvalidResponseError(action, broken.message, response);
        this.fire('onAcknowledged', { action, request, response, latencyMs: performance.now() - started } as AcknowledgedCall);
        return response as ChargePointResponse<A>;
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.fire('onCallFailed', { action, request, error: failure, latencyMs: performance.now() - started } as FailedCall);
        if (failure instanceof LinkClosedError && durable && this.willReconnect()) {
          await this.nextConnection();
          continue;
        }
        throw failure;
      }
    }
  }

  private fire<K extends keyof StationHooks>(name: K, ...args: Parameters<NonNullable<StationHooks[K]>>): void {
    for (const hooks of [...this.hookSets]) {
      const hook = hooks[name] as ((...values: unknown[]) => void) | undefined;
      if (!hook) continue;
      try {
        hook.apply(hooks, args);
      } catch {
        // Observers must not break the station.
      }
    }
  }

  // ---- registration and heartbeat ---------------------------------------------------------

  /**
   * Sends BootNotification. Accepted: heartbeat at the interval the central system gave, then
   * every connector's status. Pending/Rejected: boot again after the interval given; until
   * accepted the station starts no sessions.
   */
  async boot(): Promise<ChargePointResponse<'BootNotification'>> {
    clearTimeout(this.bootRetryTimer);
    const response = await this.call('BootNotification', bootRequest(this.profile, this.id));
    this.setRegistration(response.status);
    if (response.status === 'Accepted') {
      if (response.interval > 0) this.config.set('HeartbeatInterval', String(response.interval));
      this.startHeartbeat();
      await this.sendAllStatuses();
    } else {
      clearInterval(this.heartbeatTimer);
      const retryMs = this.options.bootRetryMs ?? Math.max(1, response.interval) * 1000;
      this.bootRetryTimer = setTimeout(() => void this.boot().catch(swallow), retryMs);
      this.bootRetryTimer.unref();
    }
    return response;
  }

  /** Resolves once the station is in `status` (e.g. Accepted after an operator accepted it). */
  waitForRegistration(status: Registration, timeoutMs = 30_000): Promise<void> {
    if (this.registration === status) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        reject(new Error(`Station ${this.id} did not become ${status} within ${timeoutMs} ms (is ${this.registration})`));
      }, timeoutMs);
      timer.unref();
      const remove = this.addHooks({
        onRegistration: (now) => {
          if (now !== status) return;
          clearTimeout(timer);
          remove();
          resolve();
        },
      });
    });
  }

  private setRegistration(status: Registration): void {
    const changed = this.registration !== status;
    this.registration = status;
    if (changed) this.fire('onRegistration', status);
  }

  heartbeat(): Promise<ChargePointResponse<'Heartbeat'>> {
    return this.call('Heartbeat', {});
  }

  private startHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const ms = this.options.heartbeatIntervalMs ?? (this.config.integer('HeartbeatInterval') ?? 0) * 1000;
    if (ms <= 0 || this.closed) return;
    this.heartbeatTimer = setInterval(() => void this.heartbeat().catch(swallow), ms);
    this.heartbeatTimer.unref();
  }

  private onConfigurationChanged(key: string, value: string): void {
    if (key === 'HeartbeatInterval' && this.heartbeatTimer !== undefined) this.startHeartbeat();
    if (key === 'MeterValueSampleInterval') {
      this.meterIntervalMs = Number(value) * 1000;
      for (const connector of this.connectors) if (connector.session) this.startMeterTimer(connector, connector.session);
    }
  }

  // ---- status -----------------------------------------------------------------------------

  /** StatusNotification for connector 0 (the station) and every connector. */
  async sendAllStatuses(): Promise<void> {
    await this.sendStatus(0);
    for (const connector of this.connectors) await this.sendStatus(connector.id);
  }

  /** Reports a connector's (or, for 0, the station's) current status. Status is advisory: a failure is not fatal. */
  async sendStatus(connectorId: number): Promise<void> {
    if (!this.isAccepted) return;
    const status = connectorId === 0 ? (this.stationOperative ? 'Available' : 'Unavailable') : this.connectorAt(connectorId).status;
    await this.call('StatusNotification', {
      connectorId,
      errorCode: 'NoError',
      status,
      timestamp: formatTimestamp(this.profile, this.clock.now()),
    }).catch(swallow);
  }

  private async setStatus(connector: ConnectorState, status: ConnectorStatus): Promise<void> {
    connector.status = status;
    await this.sendStatus(connector.id);
  }

  /** The status a connector without a session rests in. */
  private idleStatus(connector: ConnectorState): ConnectorStatus {
    if (!connector.operative || !this.stationOperative) return 'Unavailable';
    return connector.reservation ? 'Reserved' : 'Available';
  }

  // ---- sessions ---------------------------------------------------------------------------

  private connectorAt(connectorId: number): ConnectorState {
    const connector = this.connectors[connectorId - 1];
    if (!connector) throw new RangeError(`Station ${this.id} has no connector ${connectorId} (it has ${this.connectors.length})`);
    return connector;
  }

  private isFree(connector: ConnectorState, idTag: string): boolean {
    if (connector.session || connector.starting || !connector.operative || !this.stationOperative) return false;
    const reservation = connector.reservation;
    return !reservation || [reservation.idTag, reservation.parentIdTag].some((tag) => tag?.toLowerCase() === idTag.toLowerCase());
  }

  /**
   * A driver plugs in and presents `idTag`: Preparing → Authorize → StartTransaction → Charging,
   * then MeterValues every meterIntervalMs. Throws NotAcceptedError before acceptance,
   * ConnectorBusyError, or SessionRefusedError when the idTag is not accepted (a transaction the
   * central system refuses is stopped at once with reason DeAuthorized).
   */
  async startSession(
    connectorId?: number,
    idTag: string | undefined = this.options.idTag,
    options: { authorize?: boolean; remote?: boolean } = {},
  ): Promise<SessionInfo> {
    if (!this.isAccepted) throw new NotAcceptedError(this.id, this.registration);
    if (idTag === undefined) throw new Error(`Station ${this.id}: no idTag given and no default idTag configured`);
    const tag = idTag;
    const connector =
      connectorId === undefined ? this.connectors.find((candidate) => this.isFree(candidate, tag)) : this.connectorAt(connectorId);
    if (!connector || !this.isFree(connector, tag)) throw new ConnectorBusyError(this.id, connectorId);
    connector.starting = true;
    try {
      await this.setStatus(connector, 'Preparing');
      if (options.authorize !== false) {
        const { idTagInfo } = await this.call('Authorize', { idTag: tag });
        if (idTagInfo.status !== 'Accepted') {
          await this.setStatus(connector, this.idleStatus(connector));
          throw new SessionRefusedError('Authorize', idTagInfo.status);
        }
      }
      const nowMs = this.clock.nowMs();
      accrue(connector.meter, this.profile, nowMs);
      const startedAt = new Date(nowMs);
      const request: ChargePointRequest<'StartTransaction'> = {
        connectorId: connector.id,
        idTag: tag,
        meterStart: registerWh(connector.meter),
        timestamp: formatTimestamp(this.profile, startedAt),
      };
      const reservation = connector.reservation;
      if (reservation) {
        request.reservationId = reservation.reservationId;
        clearTimeout(reservation.timer);
        connector.reservation = undefined;
      }
      const response = await this.call('StartTransaction', request, true);
      const session: ActiveSession = {
        connectorId: connector.id,
        transactionId: response.transactionId,
        idTag: tag,
        meterStartWh: request.meterStart,
        startedAt,
        remote: options.remote ?? false,
        meterTimer: undefined,
        autoStop: undefined,
        sending: undefined,
        stopping: undefined,
      };
      connector.session = session;
      if (response.idTagInfo.status !== 'Accepted') {
        await this.stopSession(connector.id, { reason: 'DeAuthorized' });
        throw new SessionRefusedError('StartTransaction', response.idTagInfo.status, response.transactionId);
      }
      if (this.profile.meter.dc) connector.meter.socPercent = this.profile.meter.dc.startSocPercent;
      connector.meter.atMs = nowMs;
      connector.meter.powerW = this.drawW(connector);
      await this.setStatus(connector, 'Charging');
      this.startMeterTimer(connector, session);
      if (session.remote && this.options.remoteSessionMs !== undefined) {
        session.autoStop = setTimeout(() => void this.stopSession(connector.id, { reason: 'EVDisconnected' }).catch(swallow), this.options.remoteSessionMs);
        session.autoStop.unref();
      }
      this.fire('onSessionStarted', publicSession(session));
      return publicSession(session);
    } catch (error) {
      if (!connector.session && connector.status === 'Preparing') await this.setStatus(connector, this.idleStatus(connector)).catch(swallow);
      throw error;
    } finally {
      connector.starting = false;
    }
  }

  private startMeterTimer(connector: ConnectorState, session: ActiveSession): void {
    clearInterval(session.meterTimer);
    session.meterTimer = undefined;
    if (this.meterIntervalMs <= 0) return;
    session.meterTimer = setInterval(() => {
      // Skip a tick while offline or while the last sample is unanswered: the register keeps
      // counting, so the next sample catches up, and a slow central system is not flooded.
      if (session.sending || session.stopping || !this.isOnline) return;
      session.sending = this.sendMeterValues(connector.id)
        .catch(swallow)
        .finally(() => {
          session.sending = undefined;
        });
    }, this.meterIntervalMs);
    session.meterTimer.unref();
  }

  private stopSessionTimers(session: ActiveSession): void {
    clearInterval(session.meterTimer);
    clearTimeout(session.autoStop);
    session.meterTimer = undefined;
    session.autoStop = undefined;
  }

  /**
   * Sends one MeterValues for a connector now: the brand's samples with the register and the
   * power since the last reading, linked to the running transaction (unless the brand omits it).
   */
  async sendMeterValues(connectorId: number, context: ReadingContext = 'Sample.Periodic'): Promise<void> {
    const connector = this.connectorAt(connectorId);
    const nowMs = this.clock.nowMs();
    accrue(connector.meter, this.profile, nowMs);
    const session = connector.session;
    const request: ChargePointRequest<'MeterValues'> = {
      connectorId,
      meterValue: [{ timestamp: formatTimestamp(this.profile, new Date(nowMs)), sampledValue: readingSamples(connector.meter, this.profile, context) }],
    };
    if (session && !this.profile.quirks.meterValuesWithoutTransactionId) request.transactionId = session.transactionId;
    // The DC charger tapers as the battery fills: the next interval runs at the new power.
    if (session && !session.stopping) connector.meter.powerW = this.drawW(connector);
    await this.call('MeterValues', request, session !== undefined);
  }

  /**
   * The driver stops (or the central system, or a reset): StopTransaction with meterStop (and the
   * brand's transactionData), then Finishing and Available. Without a connector id, the station's
   * only running session is stopped.
   */
  stopSession(connectorId?: number, options: { reason?: StopReason; idTag?: string } = {}): Promise<StopInfo> {
    let connector: ConnectorState | undefined;
    if (connectorId === undefined) {
      const running = this.connectors.filter((candidate) => candidate.session);
      if (running.length !== 1) return Promise.reject(new Error(`Station ${this.id} has ${running.length} running sessions; name the connector`));
      connector = running[0]!;
    } else {
      connector = this.connectorAt(connectorId);
    }
    const session = connector.session;
    if (!session) return Promise.reject(new Error(`No session on connector ${connector.id} of station ${this.id}`));
    session.stopping ??= this.finishSession(connector, session, options.reason ?? 'Local', options.idTag);
    return session.stopping;
  }

  private async finishSession(connector: ConnectorState, session: ActiveSession, reason: StopReason, idTag: string | undefined): Promise<StopInfo> {
    this.stopSessionTimers(session);
    // The last periodic sample goes out before the stop, so the central system sees them in order.
    await session.sending?.catch(swallow);
    const nowMs = this.clock.nowMs();
    accrue(connector.meter, this.profile, nowMs);
    connector.meter.powerW = 0;
    connector.meter.socPercent = undefined;
    const stoppedAt = new Date(nowMs);
    const meterStop = registerWh(connector.meter);
    const request: ChargePointRequest<'StopTransaction'> = {
      transactionId: session.transactionId,
      meterStop,
      timestamp: formatTimestamp(this.profile, stoppedAt),
      reason,
    };
    // A driver ends a local session with the same card; remote and reset stops carry no idTag.
    const stopTag = idTag ?? (reason === 'Local' ? session.idTag : undefined);
    if (stopTag !== undefined) request.idTag = stopTag;
    if (this.profile.meter.transactionData) {
      request.transactionData = [
        { timestamp: formatTimestamp(this.profile, session.startedAt), sampledValue: [energySample(session.meterStartWh, this.profile, 'Transaction.Begin')] },
        { timestamp: request.timestamp, sampledValue: [energySample(meterStop, this.profile, 'Transaction.End')] },
      ];
    }
    // A TxProfile ends with its transaction.
    for (const [id, entry] of this.chargingProfiles) {
      if (entry.profile.chargingProfilePurpose === 'TxProfile' && entry.connectorId === connector.id) this.chargingProfiles.delete(id);
    }
    try {
      await this.call('StopTransaction', request, true);
    } finally {
      connector.session = undefined;
    }
    if (connector.inoperativeScheduled) {
      connector.inoperativeScheduled = false;
      connector.operative = false;
    }
    if (!this.profile.quirks.noFinishing) await this.setStatus(connector, 'Finishing');
    await this.setStatus(connector, this.idleStatus(connector));
    const stop: StopInfo = { ...publicSession(session), meterStopWh: meterStop, stoppedAt, energyWh: meterStop - session.meterStartWh, reason };
    this.fire('onSessionStopped', stop);
    return stop;
  }

  /** Stops every running session (e.g. before a reboot or at the end of a run). */
  async stopAllSessions(reason: StopReason = 'Local'): Promise<StopInfo[]> {
    const running = this.connectors.filter((connector) => connector.session);
    const results = await Promise.allSettled(running.map((connector) => this.stopSession(connector.id, { reason })));
    return results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  }

  // ---- reboot -----------------------------------------------------------------------------

  /** What Reset does: stop sessions, go down, come back after rebootDelayMs and boot again. */
  reboot(type: 'Hard' | 'Soft' = 'Soft'): Promise<void> {
    this.rebooting ??= (async () => {
      await this.stopAllSessions(type === 'Hard' ? 'HardReset' : 'SoftReset');
      this.stopTimers();
      for (const connector of this.connectors) {
        clearTimeout(connector.reservation?.timer);
        connector.reservation = undefined;
        connector.status = this.idleStatus(connector);
      }
      this.setRegistration('Unknown');
      await this.link?.close(1000, 'Rebooting');
      await sleep(this.options.rebootDelayMs ?? 200, undefined, { ref: false });
      if (this.closed) return;
      try {
        await this.connect();
      } catch {
        this.scheduleReconnect(0);
        return;
      }
      await this.boot();
    })().finally(() => {
      this.rebooting = undefined;
    });
    return this.rebooting;
  }

  // ---- what remote calls may do -------------------------------------------------------------

  private async answer(call: Call): Promise<InboundAnswer> {
    const result = answerCentralSystemCall(this.control, call);
    this.fire('onInboundCall', { action: call.action, request: call.payload, response: result.response } as InboundCall);
    return result;
  }

  private async trigger(message: TriggerableMessage, connectorId: number | undefined): Promise<void> {
    const connectorIds = connectorId !== undefined && connectorId > 0 ? [connectorId] : this.connectors.map((connector) => connector.id);
    switch (message) {
      case 'BootNotification':
        await this.boot();
        return;
      case 'Heartbeat':
        await this.heartbeat();
        return;
      case 'StatusNotification':
        if (connectorId === undefined) await this.sendAllStatuses();
        else await this.sendStatus(connectorId);
        return;
      case 'MeterValues':
        for (const id of connectorIds) await this.sendMeterValues(id, 'Trigger');
        return;
      case 'DiagnosticsStatusNotification':
        await this.call('DiagnosticsStatusNotification', { status: 'Idle' });
        return;
      case 'FirmwareStatusNotification':
        await this.call('FirmwareStatusNotification', { status: 'Idle' });
        return;
    }
  }

  private async reportSteps<A extends 'DiagnosticsStatusNotification' | 'FirmwareStatusNotification'>(
    action: A,
    steps: ChargePointRequest<A>['status'][],
  ): Promise<void> {
    for (const status of steps) {
      await sleep(50, undefined, { ref: false });
      if (this.closed) return;
      await this.call(action, { status } as ChargePointRequest<A>);
    }
  }

  private createControl(): StationControl {
    const station = this;
    const view = (connector: ConnectorState): ConnectorView => ({
      id: connector.id,
      operative: connector.operative && station.stationOperative,
      busy: connector.session !== undefined || connector.starting,
      transactionId: connector.session?.transactionId,
      reservationId: connector.reservation?.reservationId,
      reservedFor: connector.reservation?.idTag,
    });
    return {
      id: this.id,
      profile: this.profile,
      get accepted() {
        return station.isAccepted;
      },
      config: this.config,
      localList: this.localList,
      chargingProfiles: this.chargingProfiles,
      rejectsChargingProfiles: this.options.rejectChargingProfiles === true,
      chargingLimitsChanged: () => station.applyChargingLimits(),
      connectorCount: this.connectors.length,
      connector: (connectorId) => {
        const connector = station.connectors[connectorId - 1];
        return connector ? view(connector) : undefined;
      },
      now: () => station.clock.now(),
      setAvailability(connectorId, operative) {
        const targets = connectorId === 0 ? station.connectors : [station.connectorAt(connectorId)];
        if (connectorId === 0) station.stationOperative = operative;
        let scheduled = false;
        for (const connector of targets) {
          connector.inoperativeScheduled = false;
          if (!operative && connector.session) {
            // Spec: a connector in a transaction becomes unavailable once the transaction ends.
            connector.inoperativeScheduled = true;
            scheduled = true;
          } else {
            connector.operative = operative;
            if (!connector.session && !connector.starting) connector.status = station.idleStatus(connector);
          }
        }
        const after = () => {
          void (async () => {
            if (connectorId === 0) await station.sendStatus(0);
            for (const connector of targets) if (!connector.session) await station.sendStatus(connector.id);
          })();
        };
        return { status: scheduled ? 'Scheduled' : 'Accepted', after };
      },
      reserve(reservation) {
        const connector = station.connectorAt(reservation.connectorId);
        clearTimeout(connector.reservation?.timer);
        const timer = setTimeout(() => {
          if (connector.reservation?.reservationId !== reservation.reservationId) return;
          connector.reservation = undefined;
          if (!connector.session && !connector.starting) void station.setStatus(connector, station.idleStatus(connector));
        }, station.clock.wallMsUntil(reservation.expiresAtMs));
        timer.unref();
        connector.reservation = { ...reservation, timer };
        connector.status = 'Reserved';
        return () => void station.sendStatus(connector.id);
      },
      cancelReservation(reservationId) {
        const connector = station.connectors.find((candidate) => candidate.reservation?.reservationId === reservationId);
        if (!connector) return undefined;
        clearTimeout(connector.reservation?.timer);
        connector.reservation = undefined;
        if (!connector.session && !connector.starting) connector.status = station.idleStatus(connector);
        return () => void station.sendStatus(connector.id);
      },
      startRemoteSession(connectorId, idTag) {
        void station
          .startSession(connectorId, idTag, { authorize: station.config.flag('AuthorizeRemoteTxRequests'), remote: true })
          .catch(swallow);
      },
      stopRemoteSession(connectorId, reason) {
        if (station.connectors[connectorId - 1]?.session) void station.stopSession(connectorId, { reason }).catch(swallow);
      },
      reboot(type) {
        void station.reboot(type).catch(swallow);
      },
      trigger(message, connectorId) {
        void station.trigger(message, connectorId).catch(swallow);
      },
      reportDiagnosticsUpload() {
        void station.reportSteps('DiagnosticsStatusNotification', ['Uploading', 'Uploaded']).catch(swallow);
      },
      reportFirmwareUpdate() {
        void station.reportSteps('FirmwareStatusNotification', ['Downloading', 'Downloaded', 'Installing', 'Installed']).catch(swallow);
      },
    };
  }
}

function publicSession(session: ActiveSession): SessionInfo {
  return {
    connectorId: session.connectorId,
    transactionId: session.transactionId,
    idTag: session.idTag,
    meterStartWh: session.meterStartWh,
    startedAt: session.startedAt,
    remote: session.remote,
  };
}

/** Creates a station, connects it and (unless `boot: false`) sends its first BootNotification. */
export async function startStation(options: StationOptions): Promise<ChargePoint> {
  const station = new ChargePoint(options);
  await station.connect();
  if (options.boot !== false) {
    try {
      await station.boot();
    } catch (error) {
      station.kill();
      throw error;
    }
  }
  return station;
}

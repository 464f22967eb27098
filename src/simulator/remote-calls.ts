// How a simulated station answers the central system's CALLs: one plain function per action,
// reading and changing the station only through StationControl. The answer goes out first;
// what the action sets in motion (a StartTransaction, a reboot, a triggered message) runs in
// `after`, because a real station sends those only once it has answered.

import type { Call } from '../protocol/ocpp-j/frames.js';
import { RpcError } from '../protocol/ocpp-j/rpc-error.js';
import {
  isCentralSystemAction,
  isChargePointAction,
  type CentralSystemAction,
  type CentralSystemRequest,
  type CentralSystemResponse,
} from '../protocol/v16/actions.js';
import { schemas16 } from '../protocol/v16/schemas.js';
import type { BrandProfile } from './brand-profiles.js';
import type { ConfigStore } from './config-store.js';
import type { InboundAnswer } from './ocpp-link.js';

export type ChargingProfile = CentralSystemRequest<'SetChargingProfile'>['csChargingProfiles'];
export type IdTagInfo = NonNullable<CentralSystemRequest<'SendLocalList'>['localAuthorizationList']>[number]['idTagInfo'];
export type TriggerableMessage = CentralSystemRequest<'TriggerMessage'>['requestedMessage'];

/** A connector as the handlers see it. */
export interface ConnectorView {
  id: number;
  operative: boolean;
  /** A session runs or is being started. */
  busy: boolean;
  transactionId: number | undefined;
  reservationId: number | undefined;
  /** The idTag (or parent idTag) the connector is reserved for. */
  reservedFor: string | undefined;
}

export interface Reservation {
  reservationId: number;
  connectorId: number;
  idTag: string;
  parentIdTag: string | undefined;
  expiresAtMs: number;
}

/** What the remote-call handlers may see and do of a station. */
export interface StationControl {
  readonly id: string;
  readonly profile: BrandProfile;
  readonly accepted: boolean;
  readonly config: ConfigStore;
  readonly localList: { version: number; tags: Map<string, IdTagInfo | undefined> };
  readonly chargingProfiles: Map<number, { connectorId: number; profile: ChargingProfile }>;
  readonly rejectsChargingProfiles: boolean;
  /** Profiles changed: running sessions draw what they now allow. */
  chargingLimitsChanged(): void;
  readonly connectorCount: number;
  connector(connectorId: number): ConnectorView | undefined;
  now(): Date;
  /** Station-wide (connector 0) or one connector; 'Scheduled' when a session must end first. Returns the follow-up that reports the new status. */
  setAvailability(connectorId: number, operative: boolean): { status: 'Accepted' | 'Scheduled'; after: () => void };
  reserve(reservation: Reservation): () => void;
  cancelReservation(reservationId: number): (() => void) | undefined;
  startRemoteSession(connectorId: number, idTag: string): void;
  stopRemoteSession(connectorId: number, reason: 'Remote' | 'UnlockCommand'): void;
  reboot(type: 'Hard' | 'Soft'): void;
  trigger(message: TriggerableMessage, connectorId: number | undefined): void;
  reportDiagnosticsUpload(): void;
  reportFirmwareUpdate(): void;
}

type Answer<A extends CentralSystemAction> = { response: CentralSystemResponse<A>; after?: () => void };
type RemoteHandler<A extends CentralSystemAction> = (station: StationControl, request: CentralSystemRequest<A>) => Answer<A>;

const answer = <A extends CentralSystemAction>(response: CentralSystemResponse<A>, after?: () => void): Answer<A> =>
  after ? { response, after } : { response };

/** The first connector a remote start may use: operative, idle, and not reserved for someone else. */
function freeConnector(station: StationControl, idTag: string, wanted: number | undefined): number | undefined {
  const candidates = wanted !== undefined ? [wanted] : Array.from({ length: station.connectorCount }, (_, index) => index + 1);
  return candidates.find((id) => {
    const connector = station.connector(id);
    if (!connector || !connector.operative || connector.busy) return false;
    const holder = connector.reservedFor;
    return holder === undefined || holder.toLowerCase() === idTag.toLowerCase();
  });
}

function scheduleLimit(station: StationControl, connectorId: number, unit: 'A' | 'W'): number {
  const { profile } = station;
  const volts = profile.meter.voltage * Math.max(1, profile.phases);
  // The profile with the highest stack level that applies to the connector (or the whole station) wins.
  const applicable = [...station.chargingProfiles.values()]
    .filter((entry) => entry.connectorId === connectorId || entry.connectorId === 0)
    .sort((a, b) => b.profile.stackLevel - a.profile.stackLevel);
  const chosen = applicable[0]?.profile.chargingSchedule;
  const first = chosen?.chargingSchedulePeriod[0];
  let watts = profile.maxPowerW;
  if (chosen && first) watts = chosen.chargingRateUnit === 'W' ? first.limit : first.limit * volts;
  const limit = unit === 'W' ? watts : watts / volts;
  // The schema wants a multiple of 0.1.
  return Math.round(limit * 10) / 10;
}

export type RemoteHandlers = { [A in CentralSystemAction]?: RemoteHandler<A> };

export const REMOTE_HANDLERS: RemoteHandlers = {
  RemoteStartTransaction(station, request) {
    if (!station.accepted || request.connectorId === 0) return answer({ status: 'Rejected' });
    const connectorId = freeConnector(station, request.idTag, request.connectorId);
    if (connectorId === undefined) return answer({ status: 'Rejected' });
    if (request.chargingProfile) station.chargingProfiles.set(request.chargingProfile.chargingProfileId, { connectorId, profile: request.chargingProfile });
    return answer({ status: 'Accepted' }, () => station.startRemoteSession(connectorId, request.idTag));
  },

  RemoteStopTransaction(station, request) {
    for (let id = 1; id <= station.connectorCount; id++) {
      if (station.connector(id)?.transactionId === request.transactionId) {
        return answer({ status: 'Accepted' }, () => station.stopRemoteSession(id, 'Remote'));
      }
    }
    return answer({ status: 'Rejected' });
  },

  Reset(station, request) {
    return answer({ status: 'Accepted' }, () => station.reboot(request.type));
  },

  ChangeAvailability(station, request) {
    if (request.connectorId < 0 || request.connectorId > station.connectorCount) return answer({ status: 'Rejected' });
    const change = station.setAvailability(request.connectorId, request.type === 'Operative');
    return answer({ status: change.status }, change.after);
  },

  ChangeConfiguration(station, request) {
    return answer({ status: station.config.change(request.key, request.value) });
  },

  GetConfiguration(station, request) {
    return answer(station.config.get(request));
  },

  TriggerMessage(station, request) {
    const { connectorId, requestedMessage } = request;
    if (connectorId !== undefined && (connectorId < 0 || connectorId > station.connectorCount)) return answer({ status: 'Rejected' });
    if (requestedMessage === 'MeterValues' && station.profile.quirks.rejectsMeterValuesTrigger) return answer({ status: 'Rejected' });
    return answer({ status: 'Accepted' }, () => station.trigger(requestedMessage, connectorId));
  },

  UnlockConnector(station, request) {
    const connector = station.connector(request.connectorId);
    if (!connector) return answer({ status: 'NotSupported' });
    // Unlocking a connector that is charging ends the session first (reason UnlockCommand).
    if (connector.transactionId !== undefined) {
      return answer({ status: 'Unlocked' }, () => station.stopRemoteSession(request.connectorId, 'UnlockCommand'));
    }
    return answer({ status: 'Unlocked' });
  },

  ClearCache() {
    return answer({ status: 'Accepted' });
  },

  DataTransfer(station, request) {
    if (request.vendorId !== station.profile.vendor) return answer({ status: 'UnknownVendorId' });
    if (request.messageId !== undefined && request.messageId !== 'echo') return answer({ status: 'UnknownMessageId' });
    return request.data !== undefined ? answer({ status: 'Accepted', data: request.data }) : answer({ status: 'Accepted' });
  },

  GetLocalListVersion(station) {
    // -1: no local list support (spec); 0: supported but empty.
    return answer({ listVersion: station.config.flag('LocalAuthListEnabled') ? station.localList.version : -1 });
  },

  SendLocalList(station, request) {
    if (!station.config.flag('LocalAuthListEnabled')) return answer({ status: 'NotSupported' });
    const entries = request.localAuthorizationList ?? [];
    if (entries.length > (station.config.integer('SendLocalListMaxLength') ?? Infinity)) return answer({ status: 'Failed' });
    const { tags } = station.localList;
    if (request.updateType === 'Full') tags.clear();
    for (const entry of entries) {
      const key = entry.idTag.toLowerCase();
      // In a differential update an entry without idTagInfo removes the tag.
      if (request.updateType === 'Differential' && entry.idTagInfo === undefined) tags.delete(key);
      else tags.set(key, entry.idTagInfo);
    }
    station.localList.version = request.listVersion;
    return answer({ status: 'Accepted' });
  },

  ReserveNow(station, request) {
    if (request.connectorId === 0 && !station.config.flag('ReserveConnectorZeroSupported')) return answer({ status: 'Rejected' });
    const connector = station.connector(request.connectorId);
    if (!connector) return answer({ status: 'Rejected' });
    if (!connector.operative) return answer({ status: 'Unavailable' });
    if (connector.busy || (connector.reservationId !== undefined && connector.reservationId !== request.reservationId)) {
      return answer({ status: 'Occupied' });
    }
    const after = station.reserve({
      reservationId: request.reservationId,
      connectorId: request.connectorId,
      idTag: request.idTag,
      parentIdTag: request.parentIdTag,
      expiresAtMs: Date.parse(request.expiryDate),
    });
    return answer({ status: 'Accepted' }, after);
  },

  CancelReservation(station, request) {
    const after = station.cancelReservation(request.reservationId);
    return after ? answer({ status: 'Accepted' }, after) : answer({ status: 'Rejected' });
  },

  SetChargingProfile(station, request) {
    const { connectorId, csChargingProfiles: profile } = request;
    if (station.rejectsChargingProfiles || connectorId < 0 || connectorId > station.connectorCount) return answer({ status: 'Rejected' });
    // A TxProfile only makes sense for a running transaction (spec 3.13.4).
    if (profile.chargingProfilePurpose === 'TxProfile' && (connectorId === 0 || station.connector(connectorId)?.transactionId === undefined)) {
      return answer({ status: 'Rejected' });
    }
    if (profile.stackLevel > (station.config.integer('ChargeProfileMaxStackLevel') ?? Infinity)) return answer({ status: 'Rejected' });
    // A profile of the same purpose and stack level on the same connector is replaced (spec 3.13.2).
    for (const [id, entry] of station.chargingProfiles) {
      const same = entry.connectorId === connectorId && entry.profile.stackLevel === profile.stackLevel && entry.profile.chargingProfilePurpose === profile.chargingProfilePurpose;
      if (same) station.chargingProfiles.delete(id);
    }
    station.chargingProfiles.set(profile.chargingProfileId, { connectorId, profile });
    return answer({ status: 'Accepted' }, () => station.chargingLimitsChanged());
  },

  ClearChargingProfile(station, request) {
    let removed = 0;
    for (const [id, entry] of station.chargingProfiles) {
      const matches =
        (request.id === undefined || request.id === id) &&
        (request.connectorId === undefined || request.connectorId === entry.connectorId) &&
        (request.chargingProfilePurpose === undefined || request.chargingProfilePurpose === entry.profile.chargingProfilePurpose) &&
        (request.stackLevel === undefined || request.stackLevel === entry.profile.stackLevel);
      if (matches) {
        station.chargingProfiles.delete(id);
        removed++;
      }
    }
    return answer({ status: removed > 0 ? 'Accepted' : 'Unknown' }, () => station.chargingLimitsChanged());
  },

  GetCompositeSchedule(station, request) {
    if (request.connectorId < 0 || request.connectorId > station.connectorCount) return answer({ status: 'Rejected' });
    const unit = request.chargingRateUnit ?? (station.profile.meter.dc ? 'W' : 'A');
    return answer({
      status: 'Accepted',
      connectorId: request.connectorId,
      scheduleStart: station.now().toISOString(),
      chargingSchedule: {
        duration: request.duration,
        chargingRateUnit: unit,
        chargingSchedulePeriod: [{ startPeriod: 0, limit: scheduleLimit(station, request.connectorId, unit) }],
      },
    });
  },

  GetDiagnostics(station) {
    const stamp = station.now().toISOString().replace(/[-:]/g, '').slice(0, 15);
    return answer({ fileName: `${station.id}-${stamp}.log`.slice(-255) }, () => station.reportDiagnosticsUpload());
  },

  UpdateFirmware(station) {
    return answer({}, () => station.reportFirmwareUpdate());
  },
};

/**
 * Answers one CALL from the central system: unknown actions NotImplemented, 1.6 actions the
 * simulator does not implement (Security extension) NotSupported, a request that breaks the
 * schema the CALLERROR the spec names. Our own answer is checked against the schema too.
 */
export function answerCentralSystemCall(station: StationControl, call: Call, handlers: RemoteHandlers = REMOTE_HANDLERS): InboundAnswer {
  const { action } = call;
  if (!isCentralSystemAction(action)) {
    throw new RpcError(
      'NotImplemented',
      isChargePointAction(action) ? `${action} is sent by a charge point, not to it` : `Unknown action "${action}"`,
    );
  }
  const handler = handlers[action] as RemoteHandler<typeof action> | undefined;
  if (!handler) throw new RpcError('NotSupported', `${action} is not supported by this charge point`);
  const schemas = schemas16(action);
  const invalid = schemas.checkRequest(call.payload);
  if (invalid) throw invalid;
  const result = handler(station, call.payload as CentralSystemRequest<typeof action>);
  const broken = schemas.checkResponse(result.response);
  if (broken) throw new RpcError('InternalError', `The simulator built an invalid ${action} answer: ${broken.message}`);
  return result;
}

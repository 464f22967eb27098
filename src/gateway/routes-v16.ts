// The OCPP 1.6 route table: what a charge point may send us, and which capability answers.
// Request and response schemas come with the action (protocol/v16/schemas.ts). An action that
// is part of OCPP 1.6 but missing here is answered NotSupported; an unknown one NotImplemented.

import type { ChargePointAction } from '../protocol/v16/actions.js';
import type { Handler16 } from '../capabilities/handler-context.js';
import { authorize } from '../capabilities/authorization/ocpp16/authorize.js';
import { bootNotification } from '../capabilities/stations/ocpp16/boot-notification.js';
import { dataTransfer } from '../capabilities/stations/ocpp16/data-transfer.js';
import { heartbeat } from '../capabilities/stations/ocpp16/heartbeat.js';
import { statusNotification } from '../capabilities/stations/ocpp16/status-notification.js';
import { meterValues } from '../capabilities/transactions/ocpp16/meter-values.js';
import { startTransaction } from '../capabilities/transactions/ocpp16/start-transaction.js';
import { stopTransaction } from '../capabilities/transactions/ocpp16/stop-transaction.js';
import {
  diagnosticsStatusNotification,
  firmwareStatusNotification,
  logStatusNotification,
  signedFirmwareStatusNotification,
} from '../capabilities/diagnostics/ocpp16/status-notifications.js';
import { securityEventNotification } from '../capabilities/security/ocpp16/security-event-notification.js';
import { signCertificate } from '../capabilities/security/ocpp16/sign-certificate.js';

export type RouteTable16 = { [A in ChargePointAction]?: Handler16<A> };

export const routes16: RouteTable16 = {
  Authorize: authorize,
  BootNotification: bootNotification,
  DataTransfer: dataTransfer,
  DiagnosticsStatusNotification: diagnosticsStatusNotification,
  FirmwareStatusNotification: firmwareStatusNotification,
  Heartbeat: heartbeat,
  MeterValues: meterValues,
  StartTransaction: startTransaction,
  StatusNotification: statusNotification,
  StopTransaction: stopTransaction,
  // Security extension
  LogStatusNotification: logStatusNotification,
  SecurityEventNotification: securityEventNotification,
  SignCertificate: signCertificate,
  SignedFirmwareStatusNotification: signedFirmwareStatusNotification,
};

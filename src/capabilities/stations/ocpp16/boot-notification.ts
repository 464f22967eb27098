// BootNotification: the station introduces itself. Its registration (accepted, pending,
// rejected) decides the answer; the identity is kept whatever the answer, and every boot is
// recorded, so a station that boots again and again is visible and still answered each time.

import type { Handler16 } from '../../handler-context.js';
import { recordBoot } from '../station-store.js';
import { sessionFromRow } from '../station-session.js';

const ANSWER = { accepted: 'Accepted', pending: 'Pending', rejected: 'Rejected' } as const;

export const bootNotification: Handler16<'BootNotification'> = async (ctx, request) => {
  const row = await recordBoot(
    ctx.db,
    ctx.station.id,
    {
      vendor: request.chargePointVendor,
      model: request.chargePointModel,
      serialNumber: request.chargePointSerialNumber ?? null,
      chargeBoxSerialNumber: request.chargeBoxSerialNumber ?? null,
      firmwareVersion: request.firmwareVersion ?? null,
      iccid: request.iccid ?? null,
      imsi: request.imsi ?? null,
      meterType: request.meterType ?? null,
      meterSerialNumber: request.meterSerialNumber ?? null,
    },
    request,
    ctx.receivedAt,
  );
  // The identity may select other vendor tolerances for the rest of this connection.
  Object.assign(ctx.station, sessionFromRow(row));
  ctx.events.emit('station.booted', { stationId: row.id, registration: row.registration });
  const accepted = row.registration === 'accepted';
  return {
    status: ANSWER[row.registration],
    currentTime: ctx.clock.now().toISOString(),
    interval: accepted ? ctx.config.ocpp.heartbeatIntervalSec : ctx.config.ocpp.bootRetryIntervalSec,
  };
};

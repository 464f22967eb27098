// StatusNotification: connector 0 (the station) or a connector reports its status and error.
// Status is advisory (the transaction lifecycle comes from Start/Stop); it is kept with the
// error code and vendor info, and a late notification never overwrites a newer status.

import { rawValueAt } from '../../../quirks/normalize-payload.js';
import type { Handler16 } from '../../handler-context.js';
import { recordConnectorStatus } from '../station-store.js';

export const statusNotification: Handler16<'StatusNotification'> = async (ctx, request) => {
  const timestamp = request.timestamp ? new Date(request.timestamp) : null;
  const changed = await recordConnectorStatus(ctx.db, {
    stationId: ctx.station.id,
    connectorId: request.connectorId,
    status: request.status,
    errorCode: request.errorCode,
    info: request.info ?? null,
    vendorId: request.vendorId ?? null,
    vendorErrorCode: request.vendorErrorCode ?? null,
    timestamp,
    timestampRaw: (rawValueAt(ctx.repairs, '/timestamp') as string | undefined) ?? null,
    receivedAt: ctx.receivedAt,
  });
  if (changed) {
    ctx.events.emit('connector.status', {
      stationId: ctx.station.id,
      connectorId: request.connectorId,
      status: request.status,
      errorCode: request.errorCode,
      at: timestamp ?? ctx.receivedAt,
    });
  }
  return {};
};

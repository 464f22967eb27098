// The station reports progress of a diagnostics upload, a firmware update (plain or signed) or
// a log upload. The latest state is kept per station, and every report in its history; a
// diagnostics or firmware report is also kept on the request it is about (our latest one).

import type { ChargePointAction } from '../../../protocol/v16/actions.js';
import type { Executor } from '../../../storage/database.js';
import type { Handler16, HandlerContext } from '../../handler-context.js';
import { recordStationEvent } from '../../stations/station-store.js';
import { noteFirmwareStatus } from '../../firmware/firmware-store.js';
import { noteDiagnosticsStatus } from '../diagnostics-store.js';
import { recordMaintenanceStatus } from '../maintenance-store.js';

async function record(
  ctx: HandlerContext,
  kind: ChargePointAction,
  payload: object,
  changes: (at: Date) => Parameters<typeof recordMaintenanceStatus>[2],
  onRequest?: (tx: Executor, stationId: string, at: Date) => Promise<void>,
): Promise<void> {
  await ctx.db.transaction(async (tx: Executor) => {
    await recordMaintenanceStatus(tx, ctx.station.id, changes(ctx.receivedAt), ctx.receivedAt);
    await onRequest?.(tx, ctx.station.id, ctx.receivedAt);
    await recordStationEvent(tx, { stationId: ctx.station.id, kind, payload, receivedAt: ctx.receivedAt });
  });
}

export const diagnosticsStatusNotification: Handler16<'DiagnosticsStatusNotification'> = async (ctx, request) => {
  await record(ctx, 'DiagnosticsStatusNotification', request, (at) => ({ diagnosticsStatus: request.status, diagnosticsStatusAt: at }), (tx, stationId, at) =>
    noteDiagnosticsStatus(tx, stationId, request.status, at),
  );
  return {};
};

export const firmwareStatusNotification: Handler16<'FirmwareStatusNotification'> = async (ctx, request) => {
  await record(ctx, 'FirmwareStatusNotification', request, (at) => ({ firmwareStatus: request.status, firmwareStatusAt: at }), (tx, stationId, at) =>
    noteFirmwareStatus(tx, stationId, request.status, at),
  );
  return {};
};

export const signedFirmwareStatusNotification: Handler16<'SignedFirmwareStatusNotification'> = async (ctx, request) => {
  await record(ctx, 'SignedFirmwareStatusNotification', request, (at) => ({ firmwareStatus: request.status, firmwareStatusAt: at }));
  return {};
};

export const logStatusNotification: Handler16<'LogStatusNotification'> = async (ctx, request) => {
  await record(ctx, 'LogStatusNotification', request, (at) => ({ logStatus: request.status, logStatusAt: at }));
  return {};
};

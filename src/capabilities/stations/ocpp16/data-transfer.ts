// DataTransfer: vendor-specific data. Every message is kept; vendors we have an extension for
// would be answered by it. With none registered the spec's answer is UnknownVendorId.

import type { Handler16 } from '../../handler-context.js';
import { recordStationEvent } from '../station-store.js';

export const dataTransfer: Handler16<'DataTransfer'> = async (ctx, request) => {
  await recordStationEvent(ctx.db, { stationId: ctx.station.id, kind: 'DataTransfer', payload: request, receivedAt: ctx.receivedAt });
  return { status: 'UnknownVendorId' };
};

// SecurityEventNotification (security extension): kept per station; a retransmission is harmless.

import { securityEvents } from '../tables.js';
import type { Handler16 } from '../../handler-context.js';

export const securityEventNotification: Handler16<'SecurityEventNotification'> = async (ctx, request) => {
  await ctx.db.insert(securityEvents).values({
    stationId: ctx.station.id,
    type: request.type,
    techInfo: request.techInfo ?? null,
    timestamp: new Date(request.timestamp),
    receivedAt: ctx.receivedAt,
  }).onConflictDoNothing();
  return {};
};

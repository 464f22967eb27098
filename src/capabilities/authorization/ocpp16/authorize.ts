// Authorize: may this idTag charge here? A station that is not accepted (pending or rejected)
// may talk to us but not start charging, so its tags are answered Invalid.

import type { Handler16 } from '../../handler-context.js';
import { decideAuthorize, decisionContext } from '../decide.js';

export const authorize: Handler16<'Authorize'> = async (ctx, request) => {
  if (ctx.station.registration !== 'accepted') return { idTagInfo: { status: 'Invalid' } };
  return { idTagInfo: await decideAuthorize(ctx.db, ctx.station.id, request.idTag, decisionContext(ctx, ctx.station.tenantId)) };
};

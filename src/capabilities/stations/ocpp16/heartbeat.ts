// Heartbeat: the station tells us it is alive and learns the time. Presence (last seen) is
// tracked by the gateway for every frame, so there is nothing to store here.

import type { Handler16 } from '../../handler-context.js';

export const heartbeat: Handler16<'Heartbeat'> = async (ctx) => ({ currentTime: ctx.clock.now().toISOString() });

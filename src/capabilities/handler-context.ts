// What every OCPP message handler receives: the station it came from, the services it may use,
// and what the quirk layer repaired in its payload.

import type { Coordination } from '../cluster/coordination.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { ChargePointAction, ChargePointRequest, ChargePointResponse } from '../protocol/v16/actions.js';
import type { Repair } from '../quirks/normalize-payload.js';
import type { Database } from '../storage/database.js';
import type { StationSession } from './stations/station-session.js';

/** Process-wide services, created once at start-up. */
export interface Services {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: Config;
  log: Logger;
  /** Which node decides what (leaderFor('site:<id>')); on a single node, always this one. */
  coordination: Coordination;
}

export interface HandlerContext extends Services {
  station: StationSession;
  /** When the frame reached us: the server's own time, kept beside every station timestamp. */
  receivedAt: Date;
  repairs: readonly Repair[];
}

/** One OCPP 1.6 action's handler: reads like the spec's paragraph for that message. */
export type Handler16<A extends ChargePointAction> = (
  ctx: HandlerContext,
  request: ChargePointRequest<A>,
) => Promise<ChargePointResponse<A>>;

// One task per outbound command: the API, the CLI, the dashboard, load management and
// authorization all send commands to stations through sendCommand, so each is validated, sent
// through the one seam to the station's socket (gateway/station-caller.ts) and recorded with
// who asked, the request, the answer or error and the latency.

import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { InvalidRequestError, InvalidResponseError, type StationCaller } from '../../gateway/station-caller.js';
import { CallTimeoutError, StationOfflineError } from '../../gateway/station-connection.js';
import { RpcError } from '../../protocol/ocpp-j/rpc-error.js';
import type { CentralSystemAction, CentralSystemRequest, CentralSystemResponse } from '../../protocol/v16/actions.js';
import { schemas16 } from '../../protocol/v16/schemas.js';
import { bulkInsert } from '../../storage/bulk-insert.js';
import type { Database } from '../../storage/database.js';
import { groupCommitFor } from '../../storage/group-commit.js';
import { stationCommands, type CommandOutcome } from './tables.js';

export interface CommandDeps {
  db: Database;
  caller: StationCaller;
  clock: Clock;
  log: Logger;
  /** Keep what stations answered (e.g. the configuration store), whoever sent the command. */
  observers?: readonly CommandObserver[];
}

/** A command the station answered with a schema-valid payload. */
export interface AnsweredCommand {
  stationId: string;
  action: CentralSystemAction;
  request: unknown;
  response: unknown;
  requestedBy: string;
  at: Date;
}

/**
 * Awaited before sendCommand returns, so the caller reads what the answer changed; a failing
 * observer is logged and does not fail the command.
 */
export type CommandObserver = (answered: AnsweredCommand) => Promise<void>;

export interface CommandOptions {
  requestedBy: string;
  timeoutMs?: number;
}

function outcomeOf(error: unknown): CommandOutcome {
  if (error instanceof StationOfflineError) return 'offline';
  if (error instanceof CallTimeoutError) return 'timeout';
  if (error instanceof InvalidResponseError) return 'invalid_response';
  if (error instanceof RpcError) return 'call_error';
  return 'failed';
}

/**
 * Sends `action` to the station and returns its answer. Throws InvalidRequestError before
 * anything is sent or recorded; otherwise every outcome is recorded, and failures are thrown
 * as the seam reports them (StationOfflineError, CallTimeoutError, RpcError,
 * InvalidResponseError).
 */
export async function sendCommand<A extends CentralSystemAction>(
  deps: CommandDeps,
  stationId: string,
  action: A,
  request: CentralSystemRequest<A>,
  options: CommandOptions,
): Promise<CentralSystemResponse<A>> {
  const requestedAt = deps.clock.now();
  const started = performance.now();
  // One row per command, written when it is over: batched with other commands of the moment
  // (a boot storm sends thousands), and awaited, so the history shows it once the caller has
  // its answer.
  const record = async (fields: Omit<typeof stationCommands.$inferInsert, 'stationId' | 'action' | 'request' | 'requestedBy' | 'requestedAt'>) => {
    try {
      await groupCommitFor<typeof stationCommands.$inferInsert>(deps.db, 'station_commands', (rows) => bulkInsert(deps.db, stationCommands, rows)).add([
        {
          stationId,
          action,
          request,
          requestedBy: options.requestedBy,
          requestedAt,
          answeredAt: deps.clock.now(),
          latencyMs: Math.round(performance.now() - started),
          ...fields,
        },
      ]);
    } catch (error) {
      // The command log must not stand between an operator and a station.
      deps.log.warn({ err: error, stationId, action }, 'command not recorded');
    }
  };

  const invalid = schemas16(action).checkRequest(request);
  if (invalid) throw new InvalidRequestError(invalid);
  try {
    const response = await deps.caller.call(stationId, action, request, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
    await record({ outcome: 'answered', response });
    for (const observe of deps.observers ?? []) {
      await observe({ stationId, action, request, response, requestedBy: options.requestedBy, at: deps.clock.now() }).catch((error: unknown) =>
        deps.log.warn({ err: error, stationId, action }, 'command answer not kept'),
      );
    }
    return response;
  } catch (error) {
    const outcome = outcomeOf(error);
    await record({
      outcome,
      response: error instanceof InvalidResponseError ? (error.payload as object) : null,
      errorCode: error instanceof RpcError ? error.code : error instanceof InvalidResponseError ? error.rpcError.code : outcome,
      errorDescription: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}

// Keeps each station's configuration: every GetConfiguration and ChangeConfiguration answer,
// whoever sent it, lands in the store (a command observer); the whole configuration is read
// after a station's first accepted boot (and again after a change that needed a reboot).

import type { CentralSystemRequest, CentralSystemResponse } from '../../protocol/v16/actions.js';
import type { Executor } from '../../storage/database.js';
import { sendCommand, type CommandDeps, type CommandObserver } from '../commands/send-command.js';
import type { Services } from '../handler-context.js';
import { configurationHeader, storeChange, storeRead } from './configuration-store.js';

export const CONFIGURATION_REQUESTER = 'system:configuration';
/** After an accepted boot: the boot's answer reaches the station first, and a read another capability started meanwhile is joined. */
const AFTER_BOOT_MS = 1_000;

export function keepConfiguration(db: Executor): CommandObserver {
  return async ({ stationId, action, request, response, requestedBy, at }) => {
    if (action === 'GetConfiguration') {
      const asked = (request as CentralSystemRequest<'GetConfiguration'>).key ?? [];
      const answer = response as CentralSystemResponse<'GetConfiguration'>;
      await storeRead(db, stationId, asked.length === 0, answer.configurationKey ?? [], answer.unknownKey ?? [], at);
    } else if (action === 'ChangeConfiguration') {
      const { key, value } = request as CentralSystemRequest<'ChangeConfiguration'>;
      const { status } = response as CentralSystemResponse<'ChangeConfiguration'>;
      await storeChange(db, stationId, { key, value, status, by: requestedBy }, at);
    }
  };
}

const reading = new WeakMap<CommandDeps, Map<string, Promise<CentralSystemResponse<'GetConfiguration'>>>>();

/**
 * Reads the station's whole configuration (kept by the observer) and returns the answer. Reads
 * of one station that overlap share one GetConfiguration. Throws what sendCommand throws.
 */
export function readConfiguration(commands: CommandDeps, stationId: string, requestedBy: string): Promise<CentralSystemResponse<'GetConfiguration'>> {
  let reads = reading.get(commands);
  if (!reads) reading.set(commands, (reads = new Map()));
  const running = reads.get(stationId);
  if (running) return running;
  const read = sendCommand(commands, stationId, 'GetConfiguration', {}, { requestedBy }).finally(() => reads.delete(stationId));
  reads.set(stationId, read);
  return read;
}

/** Reads in flight at once: a boot storm of thousands of stations is read a few at a time. */
const CONCURRENT_READS = 32;
/** With more reads than this ahead, a new one is spread over STORM_SPREAD_MS: boots come first. */
const STORM_THRESHOLD = 100;
const STORM_SPREAD_MS = 60_000;

export function startConfigurationReads(services: Services, commands: CommandDeps): { stop(): Promise<void> } {
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  const waiting = new Set<string>();
  let stopped = false;

  async function readIfNeeded(stationId: string): Promise<void> {
    if (!commands.caller.isOnline(stationId)) return;
    const header = await configurationHeader(services.db, stationId);
    if (header?.readAt && !header.rereadOnBoot) return;
    await readConfiguration(commands, stationId, CONFIGURATION_REQUESTER);
  }

  function pump(): void {
    for (const stationId of waiting) {
      if (stopped || running.size >= CONCURRENT_READS) return;
      waiting.delete(stationId);
      const run = readIfNeeded(stationId)
        .catch((error: unknown) => services.log.info({ err: error, stationId }, 'could not read the station’s configuration; trying again at its next boot'))
        .finally(() => {
          running.delete(run);
          pump();
        });
      running.add(run);
    }
  }

  const unsubscribe = [
    services.events.on('station.booted', ({ stationId, registration }) => {
      if (registration !== 'accepted') return;
      clearTimeout(timers.get(stationId));
      const storm = timers.size + waiting.size + running.size > STORM_THRESHOLD;
      const timer = setTimeout(() => {
        timers.delete(stationId);
        waiting.add(stationId);
        pump();
      }, AFTER_BOOT_MS + (storm ? Math.random() * STORM_SPREAD_MS : 0));
      timer.unref();
      timers.set(stationId, timer);
    }),
  ];

  return {
    async stop() {
      stopped = true;
      for (const off of unsubscribe) off();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      waiting.clear();
      await Promise.allSettled([...running]);
    },
  };
}

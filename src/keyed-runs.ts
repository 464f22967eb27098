// Work done per key (a site's load plan, a station's local list) when something asks for it:
// requests for a key are coalesced (the earliest due time wins, their reasons merge), a key never
// runs twice at once (a request while it runs makes one more run right after), and a failing run
// is reported and does not stop later ones. Never on a charger's path.

export interface KeyedRuns<Reason> {
  /** Runs `key` after `delayMs`, or sooner if an earlier request is due sooner. */
  request(key: string, reason: Reason, delayMs: number): void;
  /** Forgets a key's queued run (one already running finishes). */
  cancel(key: string): void;
  /** Keys queued or running. */
  size(): number;
  /** Takes no more requests, drops the queued runs and waits for the running ones. */
  stop(): Promise<void>;
}

export interface KeyedRunsOptions<Reason> {
  run(key: string, reason: Reason): Promise<void>;
  /** The reason of two requests that became one run. */
  merge(earlier: Reason, later: Reason): Reason;
  onError(error: unknown, key: string): void;
}

export function keyedRuns<Reason>(options: KeyedRunsOptions<Reason>): KeyedRuns<Reason> {
  const queued = new Map<string, { timer: NodeJS.Timeout; dueAt: number; reason: Reason }>();
  const running = new Map<string, Promise<void>>();
  /** What arrived for a key while it ran: one more run, right after. */
  const rerun = new Map<string, Reason>();
  let stopped = false;

  function start(key: string, reason: Reason): void {
    if (running.has(key)) {
      const waiting = rerun.get(key);
      rerun.set(key, waiting === undefined ? reason : options.merge(waiting, reason));
      return;
    }
    const done = options
      .run(key, reason)
      .catch((error: unknown) => options.onError(error, key))
      .finally(() => {
        running.delete(key);
        const next = rerun.get(key);
        rerun.delete(key);
        if (next !== undefined) request(key, next, 0);
      });
    running.set(key, done);
  }

  function request(key: string, reason: Reason, delayMs: number): void {
    if (stopped) return;
    const dueAt = Date.now() + delayMs;
    const pending = queued.get(key);
    if (pending) {
      pending.reason = options.merge(pending.reason, reason);
      if (pending.dueAt <= dueAt) return;
      clearTimeout(pending.timer);
    }
    const entry = { dueAt, reason: pending?.reason ?? reason, timer: undefined as unknown as NodeJS.Timeout };
    entry.timer = setTimeout(() => {
      queued.delete(key);
      start(key, entry.reason);
    }, delayMs);
    entry.timer.unref();
    queued.set(key, entry);
  }

  return {
    request,
    cancel(key) {
      clearTimeout(queued.get(key)?.timer);
      queued.delete(key);
    },
    size: () => queued.size + running.size,
    async stop() {
      stopped = true;
      for (const { timer } of queued.values()) clearTimeout(timer);
      queued.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}

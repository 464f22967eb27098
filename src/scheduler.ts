// Periodic background work (never on a charger's path). A run never overlaps the previous one,
// and a failing run is logged and retried at the next tick. In a cluster every node ticks, and
// `claim` lets only one of them run each period (see cluster/leadership.ts).

import type { Logger } from './logger.js';

export interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/** Resolves true when this node is the one to run this period of the job; absent on a single node. */
export type JobClaim = (job: Job) => Promise<boolean>;

export function startJobs(jobs: Job[], log: Logger, claim?: JobClaim): { stop(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const timers = jobs.map((job) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const run = (claim ? claim(job).then((mine) => (mine ? job.run() : undefined)) : job.run())
        .catch((error: unknown) => log.error({ err: error, job: job.name }, 'background job failed'))
        .finally(() => {
          busy = false;
          running.delete(run);
        });
      running.add(run);
    }, job.everyMs);
    timer.unref();
    return timer;
  });
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}

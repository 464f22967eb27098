// What the rest of the system asks of the cluster, with the answers of a single node: any code
// may call leaderFor('site:<id>') before deciding for that key, and on one node it is always the
// leader. cluster/leadership.ts gives the cluster's answers.

import type { JobClaim } from '../scheduler.js';

export interface Coordination {
  /**
   * True while this node is the one that decides for `key` (e.g. 'site:42'). Ask before each
   * decision: asking renews the lease; a node that stops asking (or dies) loses it after the
   * lease, and another node that asks then takes it over.
   */
  leaderFor(key: string): Promise<boolean>;
  /** The scheduler's claim (one node runs each period of a job); undefined on a single node. */
  claimJob: JobClaim | undefined;
}

export const singleNode: Coordination = {
  leaderFor: () => Promise.resolve(true),
  claimJob: undefined,
};

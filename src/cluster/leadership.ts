// Leases in Redis. leaderFor(key): one node holds `leader:<key>` (SET NX with an expiry, renewed
// by the holder each time it asks, remembered locally for a third of the lease so a busy caller
// costs no round trip). claimJob: the first node to tick a job takes `job:<name>` for most of
// the job's period; the others skip that period, so a job runs once per period in the cluster.

import type { Job } from '../scheduler.js';
import type { Coordination } from './coordination.js';
import type { ClusterNode } from './node.js';

const LEAD = `
local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RESIGN = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Share of a job's period its claim lasts: the winner's next tick finds it expired. */
const JOB_CLAIM_SHARE = 0.8;

export function createLeadership(node: ClusterNode): Coordination & { resignAll(): Promise<void> } {
  const leaseMs = node.nodeTtlMs;
  const lead = node.script(LEAD);
  const resign = node.script(RESIGN);
  const known = new Map<string, { leader: boolean; until: number }>();
  return {
    async leaderFor(key) {
      const now = Date.now();
      const cached = known.get(key);
      if (cached && cached.until > now) return cached.leader;
      const leader = (await lead([node.key('leader', key)], [node.nodeId, leaseMs])) === 1;
      known.set(key, { leader, until: now + leaseMs / 3 });
      return leader;
    },
    async claimJob(job: Job) {
      const claimed = await node.redis.set(node.key('job', job.name), node.nodeId, 'PX', Math.max(1, Math.floor(job.everyMs * JOB_CLAIM_SHARE)), 'NX');
      return claimed === 'OK';
    },
    async resignAll() {
      const held = [...known].filter(([, state]) => state.leader).map(([key]) => key);
      known.clear();
      await Promise.allSettled(held.map((key) => resign([node.key('leader', key)], [node.nodeId])));
    },
  };
}

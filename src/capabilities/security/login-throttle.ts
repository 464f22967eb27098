// Slows password guessing: after maxFailures wrong passwords for one key (an e-mail address, a
// station id, a network address) within windowMs, that key is refused for lockMs. In memory: a
// restart forgets, which is acceptable for a guard whose job is to make guessing slow, not
// impossible to retry.

export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Dashboard log-ins: five wrong passwords in 15 minutes lock the address for a minute. */
const LOGIN_LIMITS: ThrottleLimits = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 60_000 };

export interface LoginThrottle {
  /** Milliseconds until `key` may try again, or 0. */
  blockedFor(key: string, nowMs: number): number;
  failed(key: string, nowMs: number): void;
  succeeded(key: string): void;
}

export function createLoginThrottle({ maxFailures: MAX_FAILURES, windowMs: WINDOW_MS, lockMs: LOCK_MS }: ThrottleLimits = LOGIN_LIMITS): LoginThrottle {
  const entries = new Map<string, { failures: number; since: number; lockedUntil: number }>();
  return {
    blockedFor(key, nowMs) {
      const entry = entries.get(key);
      return entry ? Math.max(0, entry.lockedUntil - nowMs) : 0;
    },
    failed(key, nowMs) {
      let entry = entries.get(key);
      if (!entry || nowMs - entry.since > WINDOW_MS) {
        if (entries.size > 10_000) entries.clear();
        entry = { failures: 0, since: nowMs, lockedUntil: 0 };
        entries.set(key, entry);
      }
      entry.failures += 1;
      if (entry.failures >= MAX_FAILURES) {
        entry.lockedUntil = nowMs + LOCK_MS;
        entry.failures = 0;
        entry.since = nowMs;
      }
    },
    succeeded(key) {
      entries.delete(key);
    },
  };
}

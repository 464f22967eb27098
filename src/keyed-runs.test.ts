import { describe, expect, it } from 'vitest';
import { keyedRuns } from './keyed-runs.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs that record (key, reasons) and can be held open until released. */
function recorder(hold = false) {
  const runs: [string, string[]][] = [];
  const release: (() => void)[] = [];
  const errors: string[] = [];
  const keyed = keyedRuns<ReadonlySet<string>>({
    run: async (key, reasons) => {
      runs.push([key, [...reasons].sort()]);
      if (key === 'broken') throw new Error('broken run');
      if (hold) await new Promise<void>((resolve) => release.push(resolve));
    },
    merge: (earlier, later) => new Set([...earlier, ...later]),
    onError: (error, key) => errors.push(`${key}: ${(error as Error).message}`),
  });
  return { runs, release, errors, keyed, ask: (key: string, reason: string, delayMs: number) => keyed.request(key, new Set([reason]), delayMs) };
}

describe('keyed runs', () => {
  it('coalesce the requests for a key into one run, due at the earliest, with every reason', async () => {
    const { runs, ask } = recorder();
    ask('a', 'first', 40);
    ask('a', 'second', 5);
    ask('a', 'third', 200);
    ask('b', 'other', 5);
    await pause(80);
    expect(runs).toEqual([
      ['a', ['first', 'second', 'third']],
      ['b', ['other']],
    ]);
    await pause(200);
    expect(runs).toHaveLength(2);
  });

  it('never run a key twice at once: what arrives meanwhile is one more run right after', async () => {
    const { runs, release, ask, keyed } = recorder(true);
    ask('a', 'first', 0);
    await pause(10);
    ask('a', 'second', 0);
    ask('a', 'third', 0);
    await pause(20);
    expect(runs).toEqual([['a', ['first']]]);
    expect(keyed.size()).toBe(1);
    release.shift()!();
    await pause(20);
    expect(runs).toEqual([
      ['a', ['first']],
      ['a', ['second', 'third']],
    ]);
    release.shift()!();
    await pause(10);
    expect(keyed.size()).toBe(0);
  });

  it('report a failing run and carry on; a cancelled key does not run; after stop nothing runs', async () => {
    const { runs, errors, ask, keyed } = recorder();
    ask('broken', 'x', 0);
    ask('gone', 'x', 20);
    keyed.cancel('gone');
    await pause(40);
    expect(errors).toEqual(['broken: broken run']);
    ask('broken', 'y', 0);
    await pause(10);
    expect(runs).toEqual([
      ['broken', ['x']],
      ['broken', ['y']],
    ]);
    ask('late', 'x', 10);
    await keyed.stop();
    ask('later', 'x', 0);
    await pause(30);
    expect(runs.map(([key]) => key)).not.toContain('late');
    expect(runs.map(([key]) => key)).not.toContain('later');
  });
});

import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes what arrives in one event-loop turn as one batch, and answers each caller after it', async () => {
    const batches: number[][] = [];
    const commit = createGroupCommit<number>(async (rows) => {
      batches.push(rows);
    });
    const done = await Promise.all([commit.add([1, 2]), commit.add([3]), commit.add([])]);
    expect(done).toEqual([undefined, undefined, undefined]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('caps a batch at maxRows and runs at most `parallel` writes at once', async () => {
    let running = 0;
    let peak = 0;
    const sizes: number[] = [];
    const release: Array<() => void> = [];
    const commit = createGroupCommit<number>(
      async (rows) => {
        running++;
        peak = Math.max(peak, running);
        sizes.push(rows.length);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
      },
      3,
      2,
    );
    const all = Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => commit.add([n])));
    await tick();
    expect(sizes).toEqual([3, 3]);
    expect(running).toBe(2);
    while (release.length > 0) {
      release.shift()!();
      await tick();
      await tick();
    }
    await all;
    expect(sizes).toEqual([3, 3, 1]);
    expect(peak).toBe(2);
  });

  it('rejects only the callers of a failed batch, and drains', async () => {
    let calls = 0;
    const commit = createGroupCommit<string>(async () => {
      calls++;
      if (calls === 1) throw new Error('database gone');
    });
    const first = commit.add(['a']);
    await expect(first).rejects.toThrow('database gone');
    await expect(commit.add(['b'])).resolves.toBeUndefined();
    const pending = commit.add(['c']);
    await commit.drain();
    await expect(pending).resolves.toBeUndefined();
  });
});

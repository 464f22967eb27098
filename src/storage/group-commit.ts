// Group commit: rows that many stations report in the same moment are written with one
// statement instead of one each. Every caller still waits for the commit of the batch that holds
// its rows, so "answered only after it is stored" holds, while the database sees a few large
// statements instead of thousands of small ones (each round trip costs system calls and
// planning, which dominate at fleet scale).

export interface GroupCommit<Row> {
  /** Resolves once `rows` are committed; rejects if their batch failed. */
  add(rows: readonly Row[]): Promise<void>;
  /** Resolves when everything added so far is written (or failed). */
  drain(): Promise<void>;
}

interface Waiting<Row> {
  rows: readonly Row[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * `write` stores one batch in one statement (or transaction). Batches form while earlier ones are
 * being written, so under load they grow by themselves; `maxRows` caps one statement, and up to
 * `parallel` batches are written at once so that their commits' disk flushes overlap.
 */
export function createGroupCommit<Row>(write: (rows: Row[]) => Promise<void>, maxRows = 5000, parallel = 4): GroupCommit<Row> {
  let waiting: Waiting<Row>[] = [];
  let scheduled = false;
  const writing = new Set<Promise<void>>();

  function takeBatch(): Waiting<Row>[] {
    const batch: Waiting<Row>[] = [];
    let count = 0;
    while (waiting.length > 0 && (batch.length === 0 || count + waiting[0]!.rows.length <= maxRows)) {
      const next = waiting.shift()!;
      batch.push(next);
      count += next.rows.length;
    }
    return batch;
  }

  function startWrites(): void {
    scheduled = false;
    while (waiting.length > 0 && writing.size < parallel) {
      const batch = takeBatch();
      const done: Promise<void> = write(batch.flatMap((entry) => entry.rows)).then(
        () => {
          for (const entry of batch) entry.resolve();
        },
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      );
      writing.add(done);
      void done.finally(() => {
        writing.delete(done);
        if (waiting.length > 0) schedule();
      });
    }
  }

  function schedule(): void {
    if (scheduled || writing.size >= parallel) return;
    scheduled = true;
    // Wait for the rest of this event-loop turn: other stations' frames read in the same turn join.
    setImmediate(startWrites);
  }

  return {
    add(rows) {
      if (rows.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting.push({ rows, resolve, reject });
        schedule();
      });
    },
    async drain() {
      while (waiting.length > 0 || writing.size > 0) {
        if (writing.size > 0) await Promise.allSettled([...writing]);
        else await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

// One group commit per database and purpose, created on first use, drained before the
// database closes.
const perDatabase = new WeakMap<object, Map<string, GroupCommit<unknown>>>();

export function groupCommitFor<Row>(db: object, name: string, write: (rows: Row[]) => Promise<void>): GroupCommit<Row> {
  let named = perDatabase.get(db);
  if (!named) perDatabase.set(db, (named = new Map()));
  let found = named.get(name) as GroupCommit<Row> | undefined;
  if (!found) named.set(name, (found = createGroupCommit(write) as GroupCommit<unknown> as GroupCommit<Row>));
  return found;
}

export async function drainGroupCommits(db: object): Promise<void> {
  await Promise.all([...(perDatabase.get(db)?.values() ?? [])].map((commit) => commit.drain()));
}

// Group commit: what many stations report in the same moment is written with one statement
// instead of one each. Every caller still waits for the commit of the batch that holds its
// input, so "answered only after it is stored" holds, while the database sees a few large
// statements instead of thousands of small ones (each round trip costs system calls and
// planning, which dominate at fleet scale: a site that lost power reconnects all at once).

export interface Batcher<In, Out> {
  /** Resolves with this input's result once its batch is committed; rejects if the batch failed. */
  run(input: In): Promise<Out>;
  /** Resolves when everything submitted so far is done (or failed). */
  drain(): Promise<void>;
}

export interface GroupCommit<Row> {
  /** Resolves once `rows` are committed; rejects if their batch failed. */
  add(rows: readonly Row[]): Promise<void>;
  drain(): Promise<void>;
}

interface Waiting<In, Out> {
  input: In;
  size: number;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * `execute` handles one batch of inputs in one statement (or transaction) and returns one result
 * per input, in order. Batches form while earlier ones are being written, so under load they
 * grow by themselves; `maxSize` caps one batch (inputs weigh `sizeOf` each), and up to
 * `parallel` batches run at once so that their commits' disk flushes overlap.
 */
export function createBatcher<In, Out>(
  execute: (inputs: In[]) => Promise<Out[]>,
  options: { maxSize?: number; parallel?: number; sizeOf?: (input: In) => number } = {},
): Batcher<In, Out> {
  const maxSize = options.maxSize ?? 5000;
  const parallel = options.parallel ?? 4;
  const sizeOf = options.sizeOf ?? (() => 1);
  let waiting: Waiting<In, Out>[] = [];
  let scheduled = false;
  const running = new Set<Promise<void>>();

  function takeBatch(): Waiting<In, Out>[] {
    const batch: Waiting<In, Out>[] = [];
    let size = 0;
    while (waiting.length > 0 && (batch.length === 0 || size + waiting[0]!.size <= maxSize)) {
      const next = waiting.shift()!;
      batch.push(next);
      size += next.size;
    }
    return batch;
  }

  function startBatches(): void {
    scheduled = false;
    while (waiting.length > 0 && running.size < parallel) {
      const batch = takeBatch();
      const done: Promise<void> = execute(batch.map((entry) => entry.input)).then(
        (outputs) => batch.forEach((entry, i) => entry.resolve(outputs[i] as Out)),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      );
      running.add(done);
      void done.finally(() => {
        running.delete(done);
        if (waiting.length > 0) schedule();
      });
    }
  }

  function schedule(): void {
    if (scheduled || running.size >= parallel) return;
    scheduled = true;
    // Wait for the rest of this event-loop turn: other stations' frames read in the same turn join.
    setImmediate(startBatches);
  }

  return {
    run(input) {
      return new Promise<Out>((resolve, reject) => {
        waiting.push({ input, size: sizeOf(input), resolve, reject });
        schedule();
      });
    },
    async drain() {
      while (waiting.length > 0 || running.size > 0) {
        if (running.size > 0) await Promise.allSettled([...running]);
        else await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

/** A batcher for writes: any number of rows per caller, one statement per batch. */
export function createGroupCommit<Row>(write: (rows: Row[]) => Promise<void>, maxRows = 5000, parallel = 4): GroupCommit<Row> {
  const batcher = createBatcher<readonly Row[], void>(
    async (inputs) => {
      await write(inputs.flat() as Row[]);
      return inputs.map(() => undefined);
    },
    { maxSize: maxRows, parallel, sizeOf: (rows) => rows.length },
  );
  return {
    add: (rows) => (rows.length === 0 ? Promise.resolve() : batcher.run(rows)),
    drain: () => batcher.drain(),
  };
}

// One batcher per database and purpose, created on first use, drained before the database
// closes.
const perDatabase = new WeakMap<object, Map<string, { drain(): Promise<void> }>>();

function registered<T extends { drain(): Promise<void> }>(db: object, name: string, create: () => T): T {
  let named = perDatabase.get(db);
  if (!named) perDatabase.set(db, (named = new Map()));
  let found = named.get(name) as T | undefined;
  if (!found) named.set(name, (found = create()));
  return found;
}

export function groupCommitFor<Row>(db: object, name: string, write: (rows: Row[]) => Promise<void>): GroupCommit<Row> {
  return registered(db, `commit:${name}`, () => createGroupCommit(write));
}

export function batcherFor<In, Out>(db: object, name: string, execute: (inputs: In[]) => Promise<Out[]>): Batcher<In, Out> {
  return registered(db, `batch:${name}`, () => createBatcher(execute));
}

export async function drainGroupCommits(db: object): Promise<void> {
  await Promise.all([...(perDatabase.get(db)?.values() ?? [])].map((commit) => commit.drain()));
}

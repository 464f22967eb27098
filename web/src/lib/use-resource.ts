// Loading state for a page's data: the first load shows a loading state, a reload (after a live
// event) keeps what is shown until the new answer arrives, and an older answer never overwrites
// a newer one.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  /** Changes what is shown without asking the backend (an update from a live event). */
  update(change: (data: T) => T): void;
}

export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const run = useCallback((fresh: boolean) => {
    const mine = ++generation.current;
    if (fresh) setState({ data: undefined, error: undefined, loading: true });
    loader.current().then(
      (data) => mine === generation.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => mine === generation.current && setState((previous) => ({ data: previous.data, error, loading: false })),
    );
  }, []);

  useEffect(() => run(true), deps);
  const reload = useCallback(() => run(false), [run]);
  const update = useCallback((change: (data: T) => T) => setState((previous) => (previous.data === undefined ? previous : { ...previous, data: change(previous.data) })), []);
  return { ...state, reload, update };
}

/** `fn`, called at most once per `ms` (the last call wins): for reloads triggered by bursts of events. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, ms);
  }, [ms]);
}

/** Re-renders every `ms`, for "12 s ago" texts. */
export function useNow(ms = 10_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

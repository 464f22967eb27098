// Reads a text/event-stream response as events, for tests of the live feed.

export interface FeedEvent {
  event: string;
  data: any;
}

export interface FeedReader {
  status: number;
  contentType: string | null;
  /** Every event received so far (comments are kept as event ":comment"). */
  received: FeedEvent[];
  /** Resolves with the first received event (earlier ones included) that matches. */
  next(match: (event: FeedEvent) => boolean, timeoutMs?: number): Promise<FeedEvent>;
  close(): void;
}

export async function openFeed(url: string, headers: Record<string, string>): Promise<FeedReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const received: FeedEvent[] = [];
  let waiters: Array<() => void> = [];
  const notify = () => {
    const current = waiters;
    waiters = [];
    for (const wake of current) wake();
  };
  if (response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) received.push({ event: ':comment', data: line.slice(1).trim() });
              else if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data) received.push({ event, data: JSON.parse(data) });
          }
          notify();
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    received,
    async next(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching event; got ${JSON.stringify(received.map((event) => event.event))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () => abort.abort(),
  };
}

// The station's raw OCPP message log, newest first, live: every frame in and out appears as it
// is logged. Older frames load on request.

import { useState } from 'preact/hooks';
import { get, query } from '../../api/client';
import type { LoggedMessage } from '../../api/types';
import { ErrorNotice, Loading } from '../../components/states';
import { useLiveEvents } from '../../live/feed';
import { formatTime } from '../../lib/format';
import { useResource, useThrottled } from '../../lib/use-resource';

const PAGE = 50;
const PREVIEW_CHARS = 160;

export function MessageLogPanel({ stationId }: { stationId: string }) {
  const [action, setAction] = useState('');
  const base = `/api/v1/stations/${encodeURIComponent(stationId)}/messages`;
  const latest = useResource(() => get<LoggedMessage[]>(`${base}${query({ limit: PAGE, action })}`), [stationId, action]);
  const [older, setOlder] = useState<LoggedMessage[]>([]);
  const [olderError, setOlderError] = useState<unknown>();
  const [live, setLive] = useState(true);
  const refresh = useThrottled(latest.reload, 500);

  useLiveEvents((event) => {
    if (live && (event.name === 'message.logged' || event.name === 'resync')) refresh();
  }, stationId);

  // Newer frames arrive at the top of `latest`; `older` holds pages loaded below it.
  const shown = [...(latest.data ?? []), ...older.filter((message) => !latest.data?.some((recent) => recent.id === message.id))];
  const loadOlder = async () => {
    const oldest = shown[shown.length - 1];
    if (!oldest) return;
    try {
      setOlder([...older, ...(await get<LoggedMessage[]>(`${base}${query({ limit: PAGE, action, before: oldest.id })}`))]);
    } catch (error) {
      setOlderError(error);
    }
  };

  return (
    <section aria-labelledby="log-heading">
      <h2 id="log-heading">Message log</h2>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter the message log">
        <label>
          Action
          <input
            type="search"
            value={action}
            placeholder="e.g. MeterValues"
            onChange={(event) => {
              setOlder([]);
              setAction(event.currentTarget.value.trim());
            }}
          />
        </label>
        <label class="checkbox">
          <input type="checkbox" checked={live} onChange={(event) => setLive(event.currentTarget.checked)} />
          Show new frames as they come
        </label>
      </form>
      {latest.loading && <Loading what="Loading the message log" />}
      {latest.error !== undefined && <ErrorNotice error={latest.error} retry={latest.reload} />}
      {latest.data && shown.length === 0 && <p class="muted">No frames logged{action ? ` for ${action}` : ''} (the log keeps frames for a limited number of days).</p>}
      {shown.length > 0 && (
        <ol class="message-log" aria-label="Frames, newest first">
          {shown.map((message) => (
            <li key={message.id} class={`frame frame-${message.direction}`}>
              <span class="frame-time">{formatTime(message.at)}</span>
              <span class="frame-direction">{message.direction === 'in' ? 'from station' : 'to station'}</span>
              <span class="frame-action">{message.action ?? '(unreadable)'}</span>
              {message.frame.length > PREVIEW_CHARS ? (
                <details>
                  <summary>
                    <code>{message.frame.slice(0, PREVIEW_CHARS)}…</code>
                  </summary>
                  <pre>{message.frame}</pre>
                </details>
              ) : (
                <code class="frame-text">{message.frame}</code>
              )}
            </li>
          ))}
        </ol>
      )}
      {olderError !== undefined && <ErrorNotice error={olderError} title="Older frames could not be loaded" />}
      {shown.length >= PAGE && (
        <button type="button" class="secondary" onClick={loadOlder}>
          Load older frames
        </button>
      )}
    </section>
  );
}

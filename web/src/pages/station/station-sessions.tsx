// The station's latest sessions, refreshed when one starts or stops there.

import { get } from '../../api/client';
import type { Session } from '../../api/types';
import { Link } from '../../components/link';
import { SessionTable } from '../../components/session-table';
import { ErrorNotice, Loading } from '../../components/states';
import { useLiveEvents } from '../../live/feed';
import { useResource } from '../../lib/use-resource';

const SHOWN = 10;

export function StationSessions({ stationId }: { stationId: string }) {
  const sessions = useResource(() => get<Session[]>(`/api/v1/sessions?stationId=${encodeURIComponent(stationId)}&limit=${SHOWN}`), [stationId]);
  useLiveEvents((event) => {
    if (event.name === 'resync') sessions.reload();
    else if ((event.name === 'transaction.started' || event.name === 'transaction.stopped') && event.data.stationId === stationId) sessions.reload();
  });
  return (
    <section aria-labelledby="station-sessions-heading">
      <h2 id="station-sessions-heading">Sessions</h2>
      {sessions.loading && <Loading what="Loading sessions" />}
      {sessions.error !== undefined && <ErrorNotice error={sessions.error} retry={sessions.reload} />}
      {sessions.data && sessions.data.length === 0 && <p class="muted">No session on this station yet.</p>}
      {sessions.data && sessions.data.length > 0 && (
        <>
          <SessionTable sessions={sessions.data} showStation={false} caption={sessions.data.length === 1 ? 'The only session so far' : `The latest ${sessions.data.length} sessions`} />
          <p>
            <Link href={`/sessions?stationId=${encodeURIComponent(stationId)}`}>All sessions of this station</Link>
          </p>
        </>
      )}
    </section>
  );
}

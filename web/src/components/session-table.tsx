// Sessions as a table (the sessions page, a station's sessions).

import { useFeatures } from '../api/features';
import type { Session } from '../api/types';
import { formatDateTime, formatDuration, formatEnergy, formatMoney } from '../lib/format';
import { Link, sessionHref, stationHref } from './link';

export function SessionTable({ sessions, showStation = true, caption }: { sessions: Session[]; showStation?: boolean; caption: string }) {
  const rated = useFeatures().answers('/api/v1/sessions', 'cost');
  return (
    <table class="table responsive">
      <caption class="table-caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Session</th>
          {showStation && <th scope="col">Station</th>}
          <th scope="col">Connector</th>
          <th scope="col">Id tag</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
          <th scope="col">Energy</th>
          {rated && <th scope="col">Cost</th>}
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((session) => (
          <tr key={session.id} data-session={session.id}>
            <td data-label="Session">
              <Link href={sessionHref(session.id)}>#{session.id}</Link>
            </td>
            {showStation && (
              <td data-label="Station">
                <Link href={stationHref(session.stationId)}>{session.stationId}</Link>
              </td>
            )}
            <td data-label="Connector">{session.connectorId}</td>
            <td data-label="Id tag">{session.idTag}</td>
            <td data-label="Started">{formatDateTime(session.startedAt)}</td>
            <td data-label="Duration">{session.stoppedAt ? formatDuration(Date.parse(session.stoppedAt) - Date.parse(session.startedAt)) : 'running'}</td>
            <td data-label="Energy">{session.active ? 'running' : formatEnergy(session.energyWh)}</td>
            {rated && <td data-label="Cost">{session.cost ? formatMoney(session.cost.total, session.cost.currency) : session.active ? 'running' : <span class="muted">not rated</span>}</td>}
            <td data-label="State">
              <span class={`badge badge-${session.active ? 'active' : 'muted'}`}>{session.active ? 'Running' : 'Finished'}</span>
              {session.flags.length > 0 && (
                <span class="badge badge-warn" title={session.flags.join(', ')}>
                  {session.flags.length} flag{session.flags.length > 1 ? 's' : ''}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

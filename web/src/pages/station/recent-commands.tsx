// What was sent to the station from the dashboard, the API or the backend itself, with the
// outcome and who sent it.

import { get } from '../../api/client';
import type { CommandRecord } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';

export function RecentCommands({ stationId, version }: { stationId: string; version: number }) {
  const commands = useResource(() => get<CommandRecord[]>(`/api/v1/stations/${encodeURIComponent(stationId)}/commands?limit=20`), [stationId, version]);
  return (
    <section aria-labelledby="commands-heading">
      <h2 id="commands-heading">Recent commands</h2>
      {commands.error !== undefined && <p class="muted">The command history could not be loaded.</p>}
      {commands.data && commands.data.length === 0 && <p class="muted">No command has been sent to this station.</p>}
      {commands.data && commands.data.length > 0 && (
        <table class="table responsive">
          <thead>
            <tr>
              <th scope="col">Sent</th>
              <th scope="col">Command</th>
              <th scope="col">Outcome</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {commands.data.map((command) => (
              <tr key={command.id}>
                <td data-label="Sent">{formatDateTime(command.requestedAt)}</td>
                <td data-label="Command">{command.action}</td>
                <td data-label="Outcome">
                  {command.outcome}
                  {command.latencyMs !== null && <span class="muted"> ({command.latencyMs} ms)</span>}
                </td>
                <td data-label="By">{command.requestedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

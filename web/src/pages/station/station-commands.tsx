// Commands that act on the whole station: reset, availability, trigger a message, clear the
// authorization cache. Reservations, configuration, firmware and diagnostics have their own
// panels.

import { useState } from 'preact/hooks';
import { useCommand } from '../../api/commands';
import type { StationDetail } from '../../api/types';
import type { Message } from './station-page';

const TRIGGERABLE = ['BootNotification', 'Heartbeat', 'StatusNotification', 'MeterValues', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification'];

export function StationCommands({ station, onMessage }: { station: StationDetail; onMessage: (message: Message) => void }) {
  const { busy, run } = useCommand(station.id, onMessage);
  const [trigger, setTrigger] = useState(TRIGGERABLE[0]!);
  const offline = !station.online;

  return (
    <section aria-labelledby="station-commands-heading">
      <h2 id="station-commands-heading">Station commands</h2>
      {offline && <p class="muted">The station is offline: commands need a connection.</p>}
      <div class="actions">
        <button type="button" class="secondary" disabled={busy || offline} onClick={() => run('Reset', { type: 'Soft' }, `Restart station ${station.id} (soft reset)? Running sessions are stopped.`)}>
          Soft reset
        </button>
        <button type="button" class="danger" disabled={busy || offline} onClick={() => run('Reset', { type: 'Hard' }, `Reboot station ${station.id} (hard reset)? Running sessions are stopped.`)}>
          Hard reset
        </button>
        <button type="button" class="secondary" disabled={busy || offline} onClick={() => run('ChangeAvailability', { connectorId: 0, type: 'Inoperative' }, `Make the whole station ${station.id} unavailable?`)}>
          Make station unavailable
        </button>
        <button type="button" class="secondary" disabled={busy || offline} onClick={() => run('ChangeAvailability', { connectorId: 0, type: 'Operative' })}>
          Make station available
        </button>
        <button type="button" class="secondary" disabled={busy || offline} onClick={() => run('ClearCache', {})}>
          Clear authorization cache
        </button>
      </div>
      <form
        class="form-row"
        onSubmit={(event) => {
          event.preventDefault();
          void run('TriggerMessage', { requestedMessage: trigger });
        }}
      >
        <label>
          Ask the station to send
          <select value={trigger} onChange={(event) => setTrigger(event.currentTarget.value)}>
            {TRIGGERABLE.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || offline}>
          Trigger message
        </button>
      </form>
    </section>
  );
}

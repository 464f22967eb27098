// The station's configuration keys, read from the station itself (GetConfiguration) and changed
// one key at a time (ChangeConfiguration). When the backend keeps a stored copy of each
// station's configuration (remote-control work), this panel can show it while offline too.

import { useState } from 'preact/hooks';
import { errorText } from '../../api/client';
import { sendCommand } from '../../api/commands';
import type { StationDetail } from '../../api/types';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import type { Message } from './station-page';

interface ConfigurationKey {
  key: string;
  readonly: boolean;
  value?: string;
}

export function ConfigurationPanel({ station, onMessage }: { station: StationDetail; onMessage: (message: Message) => void }) {
  const [keys, setKeys] = useState<ConfigurationKey[]>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [filter, setFilter] = useState('');

  const read = async () => {
    setLoading(true);
    setError(undefined);
    try {
      const response = (await sendCommand(station.id, 'GetConfiguration', {})) as { configurationKey?: ConfigurationKey[] };
      setKeys([...(response.configurationKey ?? [])].sort((a, b) => a.key.localeCompare(b.key)));
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  };

  const shown = (keys ?? []).filter((entry) => entry.key.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="configuration-heading">
      <h2 id="configuration-heading">Configuration</h2>
      <div class="actions">
        <button type="button" class="secondary" disabled={loading || !station.online} onClick={read}>
          {keys ? 'Read again from the station' : 'Read configuration from the station'}
        </button>
        {!station.online && <span class="muted">The station is offline: its configuration can be read while it is connected.</span>}
      </div>
      {loading && <Loading what="Asking the station for its configuration" />}
      {error !== undefined && <ErrorNotice error={error} retry={read} title="The station did not give its configuration" />}
      {keys && keys.length === 0 && <Empty title="The station reported no configuration keys." />}
      {keys && keys.length > 0 && (
        <>
          <label class="inline-label">
            Filter keys
            <input type="search" value={filter} onInput={(event) => setFilter(event.currentTarget.value)} />
          </label>
          <table class="table responsive">
            <caption class="table-caption">{`${shown.length} of ${keys.length} keys`}</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((entry) => (
                <ConfigurationRow
                  key={entry.key}
                  station={station}
                  entry={entry}
                  onChanged={(value) => setKeys((current) => current?.map((item) => (item.key === entry.key ? { ...item, value } : item)))}
                  onMessage={onMessage}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function ConfigurationRow({ station, entry, onChanged, onMessage }: { station: StationDetail; entry: ConfigurationKey; onChanged: (value: string) => void; onMessage: (message: Message) => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(entry.value ?? '');
  const [busy, setBusy] = useState(false);
  const fieldId = `config-${entry.key}`;

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const response = await sendCommand(station.id, 'ChangeConfiguration', { key: entry.key, value });
      const status = String(response['status']);
      if (status === 'Accepted' || status === 'RebootRequired') {
        onChanged(value);
        setEditing(false);
      }
      onMessage({ tone: status === 'Accepted' || status === 'RebootRequired' ? 'ok' : 'error', text: `${entry.key}: ${status}${status === 'RebootRequired' ? ' (takes effect after a reset)' : ''}` });
    } catch (error) {
      onMessage({ tone: 'error', text: `${entry.key} could not be changed: ${errorText(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr>
      <th scope="row" data-label="Key">
        {entry.key}
      </th>
      <td data-label="Value">
        {editing ? (
          <form class="form-row" onSubmit={save}>
            <label for={fieldId} class="visually-hidden">
              New value of {entry.key}
            </label>
            <input id={fieldId} maxLength={500} value={value} onInput={(event) => setValue(event.currentTarget.value)} />
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <code class="value">{entry.value ?? '(no value)'}</code>
        )}
      </td>
      <td data-label="Change">
        {entry.readonly ? (
          <span class="muted">read-only</span>
        ) : (
          !editing && (
            <button type="button" class="secondary" disabled={!station.online} onClick={() => setEditing(true)} aria-label={`Edit ${entry.key}`}>
              Edit
            </button>
          )
        )}
      </td>
    </tr>
  );
}

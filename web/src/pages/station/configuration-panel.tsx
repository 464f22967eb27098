// The station's configuration keys as the backend keeps them (GET .../configuration, shown also
// while the station is offline), read again from the station on demand (POST .../refresh,
// GetConfiguration) and changed one key at a time (PUT .../configuration/{key},
// ChangeConfiguration; the station's answer is kept with the key).

import { useState } from 'preact/hooks';
import { api, errorText, get } from '../../api/client';
import type { ConfigurationKey, StationConfiguration, StationDetail } from '../../api/types';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import type { Message } from './station-page';
import { useSubmit } from '../../lib/use-submit';

const AGREED = new Set(['Accepted', 'RebootRequired']);

export function ConfigurationPanel({ station, onMessage }: { station: StationDetail; onMessage: (message: Message) => void }) {
  const path = `/api/v1/stations/${encodeURIComponent(station.id)}/configuration`;
  const stored = useResource(() => get<StationConfiguration>(path), [station.id]);
  const [refreshing, setRefreshing] = useState(false);
  const [filter, setFilter] = useState('');

  const refresh = async () => {
    setRefreshing(true);
    try {
      const fresh = await api<StationConfiguration>('POST', `${path}/refresh`);
      stored.update(() => fresh);
      onMessage({ tone: 'ok', text: `Configuration read from ${station.id}: ${fresh.keys.length} keys.` });
    } catch (error) {
      onMessage({ tone: 'error', text: `The configuration could not be read from ${station.id}: ${errorText(error)}` });
    } finally {
      setRefreshing(false);
    }
  };
  const changed = (entry: ConfigurationKey) => stored.update((current) => ({ ...current, keys: current.keys.map((item) => (item.key === entry.key ? entry : item)) }));

  const keys = stored.data?.keys ?? [];
  const shown = keys.filter((entry) => entry.key.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="configuration-heading" data-testid="station-configuration">
      <h2 id="configuration-heading">Configuration</h2>
      <div class="actions">
        <button type="button" class="secondary" disabled={refreshing || !station.online} onClick={refresh}>
          Read again from the station
        </button>
        {stored.data?.readAt && <span class="muted">Last read {formatDateTime(stored.data.readAt)}.</span>}
        {!station.online && <span class="muted">The station is offline: the keys below are as last read; reading and changing them needs a connection.</span>}
      </div>
      {refreshing && <Loading what="Asking the station for its configuration" />}
      {stored.loading && <Loading what="Loading the stored configuration" />}
      {stored.error !== undefined && <ErrorNotice error={stored.error} retry={stored.reload} title="The stored configuration could not be loaded" />}
      {stored.data && keys.length === 0 && (
        <Empty title="No configuration is stored for this station yet.">It is read when the station connects; or read it now with the button above.</Empty>
      )}
      {keys.length > 0 && (
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
                <th scope="col">Last change</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((entry) => (
                <ConfigurationRow key={entry.key} station={station} path={path} entry={entry} onChanged={changed} onMessage={onMessage} />
              ))}
            </tbody>
          </table>
          {stored.data && stored.data.unknownKeys.length > 0 && <p class="muted">Keys the station does not know: {stored.data.unknownKeys.join(', ')}.</p>}
        </>
      )}
    </section>
  );
}

interface RowProps {
  station: StationDetail;
  path: string;
  entry: ConfigurationKey;
  onChanged: (entry: ConfigurationKey) => void;
  onMessage: (message: Message) => void;
}

function ConfigurationRow({ station, path, entry, onChanged, onMessage }: RowProps) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(entry.value ?? '');
  const { busy, attempt } = useSubmit(onMessage);
  const fieldId = `config-${entry.key}`;

  const save = async (event: Event) => {
    event.preventDefault();
    await attempt(`${entry.key} could not be changed`, async () => {
      const { status, key } = await api<{ status: string; key: ConfigurationKey | null }>('PUT', `${path}/${encodeURIComponent(entry.key)}`, { value });
      if (key) onChanged(key);
      if (AGREED.has(status)) setEditing(false);
      onMessage({ tone: AGREED.has(status) ? 'ok' : 'error', text: `${entry.key}: ${status}${status === 'RebootRequired' ? ' (takes effect after a reset)' : ''}` });
    });
  };

  return (
    <tr data-config-key={entry.key}>
      <th scope="row" data-label="Key">
        {entry.key}
      </th>
      <td data-label="Value">
        {editing ? (
          <form class="form-row" onSubmit={save} aria-label={`Change ${entry.key}`}>
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
      <td data-label="Last change">
        {entry.lastChange ? `${entry.lastChange.value} → ${entry.lastChange.status}, ${formatDateTime(entry.lastChange.at)} by ${entry.lastChange.by}` : <span class="muted">—</span>}
      </td>
      <td data-label="Change">
        {entry.readonly ? (
          <span class="muted">read-only</span>
        ) : (
          !editing && (
            <button
              type="button"
              class="secondary"
              disabled={!station.online}
              onClick={() => {
                setValue(entry.value ?? '');
                setEditing(true);
              }}
              aria-label={`Edit ${entry.key}`}
            >
              Edit
            </button>
          )
        )}
      </td>
    </tr>
  );
}

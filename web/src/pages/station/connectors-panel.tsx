// The station's connectors: live status, the session running on each with its power and energy,
// and the commands that act on one connector (start, stop, unlock, availability).

import { useState } from 'preact/hooks';
import { get } from '../../api/client';
import { useCommand } from '../../api/commands';
import type { IdTag, Session, StationDetail } from '../../api/types';
import { ConnectorBadge } from '../../components/badges';
import { Link, sessionHref } from '../../components/link';
import { useLiveEvents } from '../../live/feed';
import { formatAgo, formatEnergy, formatPower } from '../../lib/format';
import { useNow, useResource } from '../../lib/use-resource';
import type { Message } from './station-page';

interface LiveMeter {
  powerW: number | null;
  registerWh: number | null;
  at: string;
}

export function ConnectorsPanel({ station, running, onMessage }: { station: StationDetail; running: Session[]; onMessage: (message: Message) => void }) {
  const [meters, setMeters] = useState<Record<number, LiveMeter>>({});
  const idTags = useResource(() => get<IdTag[]>('/api/v1/id-tags'), []);
  useLiveEvents((event) => {
    if (event.name !== 'meter.values' || event.data.stationId !== station.id || event.data.connectorId === 0) return;
    const { connectorId, powerW, registerWh, at } = event.data;
    setMeters((current) => ({ ...current, [connectorId]: { powerW: powerW ?? current[connectorId]?.powerW ?? null, registerWh: registerWh ?? current[connectorId]?.registerWh ?? null, at } }));
  });
  const connectors = station.connectors.filter((connector) => connector.connectorId > 0);
  const stationStatus = station.connectors.find((connector) => connector.connectorId === 0);

  return (
    <section aria-labelledby="connectors-heading">
      <h2 id="connectors-heading">Connectors</h2>
      {stationStatus && (
        <p>
          Station status: <ConnectorBadge status={stationStatus.status} errorCode={stationStatus.errorCode} />
        </p>
      )}
      {connectors.length === 0 ? (
        <p class="muted">This station has not reported any connector yet (it does after it is accepted and boots).</p>
      ) : (
        <ul class="cards">
          {connectors.map((connector) => (
            <ConnectorCard
              key={connector.connectorId}
              station={station}
              connectorId={connector.connectorId}
              status={connector.status}
              errorCode={connector.errorCode}
              since={connector.statusAt}
              session={running.find((session) => session.connectorId === connector.connectorId)}
              meter={meters[connector.connectorId]}
              idTags={idTags.data ?? []}
              onMessage={onMessage}
            />
          ))}
        </ul>
      )}
      <datalist id="known-id-tags">
        {(idTags.data ?? []).map((tag) => (
          <option key={tag.idTag} value={tag.idTag} />
        ))}
      </datalist>
    </section>
  );
}

interface CardProps {
  station: StationDetail;
  connectorId: number;
  status: string;
  errorCode: string;
  since: string;
  session: Session | undefined;
  meter: LiveMeter | undefined;
  idTags: IdTag[];
  onMessage: (message: Message) => void;
}

function ConnectorCard({ station, connectorId, status, errorCode, since, session, meter, idTags, onMessage }: CardProps) {
  const [idTag, setIdTag] = useState('');
  const { busy, run } = useCommand(station.id, onMessage, `Connector ${connectorId}: `);
  const now = useNow();
  const offline = !station.online;
  const tagField = `start-tag-${connectorId}`;

  const energySoFar = session && meter?.registerWh != null ? Math.max(0, meter.registerWh - session.meterStartWh) : null;
  const unavailable = status === 'Unavailable';

  return (
    <li class="card connector" aria-label={`Connector ${connectorId}`} data-connector={connectorId}>
      <h3>Connector {connectorId}</h3>
      <p>
        <ConnectorBadge status={status} errorCode={errorCode} /> <span class="muted">since {formatAgo(since, now)}</span>
      </p>
      {session ? (
        <div class="session-box">
          <p>
            <Link href={sessionHref(session.id)}>Session #{session.id}</Link> for <strong>{session.idTag}</strong>
          </p>
          <p>
            Power {formatPower(meter?.powerW)} · energy so far {formatEnergy(energySoFar)}
          </p>
          <button type="button" disabled={busy || offline} onClick={() => run('RemoteStopTransaction', { transactionId: session.id })}>
            Stop charging
          </button>
        </div>
      ) : (
        <form
          class="form-row"
          onSubmit={(event) => {
            event.preventDefault();
            void run('RemoteStartTransaction', { connectorId, idTag: idTag.trim() });
          }}
        >
          <label for={tagField}>Id tag to charge with</label>
          <input id={tagField} required maxLength={20} list="known-id-tags" value={idTag} placeholder={idTags[0]?.idTag ?? 'e.g. RFID-0001'} onInput={(event) => setIdTag(event.currentTarget.value)} />
          <button type="submit" disabled={busy || offline}>
            Start charging
          </button>
        </form>
      )}
      <div class="actions">
        <button type="button" class="secondary" disabled={busy || offline} onClick={() => run('UnlockConnector', { connectorId }, `Unlock connector ${connectorId}? A running session on it ends.`)}>
          Unlock
        </button>
        <button type="button" class="secondary" disabled={busy || offline} onClick={() => run('ChangeAvailability', { connectorId, type: unavailable ? 'Operative' : 'Inoperative' })}>
          {unavailable ? 'Make available' : 'Make unavailable'}
        </button>
      </div>
      {offline && <p class="muted">The station is offline: commands need a connection.</p>}
    </li>
  );
}

// The station's reservations (GET /api/v1/reservations?stationId=), reserving a connector or the
// whole station for an id tag until a time (POST .../reservations, ReserveNow), and cancelling an
// active one (DELETE /api/v1/reservations/{id}, CancelReservation).

import { useState } from 'preact/hooks';
import { api, get, query } from '../../api/client';
import type { Reservation, StationDetail } from '../../api/types';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import type { Message } from './station-page';
import { useSubmit } from '../../lib/use-submit';

const STATUS_TEXT: Record<string, string> = {
  requested: 'requested',
  active: 'active',
  refused: 'refused by the station',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
  used: 'used',
};

/** A datetime-local value an hour from now, in the browser's time. */
function inAnHour(): string {
  const at = new Date(Date.now() + 3_600_000);
  at.setSeconds(0, 0);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function ReservationsPanel({ station, onMessage }: { station: StationDetail; onMessage: (message: Message) => void }) {
  const list = useResource(() => get<Reservation[]>(`/api/v1/reservations${query({ stationId: station.id, limit: 20 })}`), [station.id]);
  const [connectorId, setConnectorId] = useState('0');
  const [idTag, setIdTag] = useState('');
  const [until, setUntil] = useState(inAnHour);
  const { busy, attempt } = useSubmit(onMessage);

  const reserve = async (event: Event) => {
    event.preventDefault();
    await attempt('The reservation could not be made', async () => {
      const created = await api<Reservation>('POST', `/api/v1/stations/${encodeURIComponent(station.id)}/reservations`, {
        connectorId: Number(connectorId),
        idTag: idTag.trim(),
        expiryDate: new Date(until).toISOString(),
      });
      list.update((current) => [created, ...current]);
      onMessage(
        created.status === 'active'
          ? { tone: 'ok', text: `Reservation ${created.id} for ${created.idTag} is active until ${formatDateTime(created.expiryDate)}.` }
          : { tone: 'error', text: `Reservation ${created.id} ${STATUS_TEXT[created.status] ?? created.status}${created.stationStatus ? ` (${created.stationStatus})` : ''}.` },
      );
      if (created.status === 'active') setIdTag('');
    });
  };

  const cancel = async (reservation: Reservation) => {
    if (!window.confirm(`Cancel reservation ${reservation.id} for ${reservation.idTag}?`)) return;
    await attempt(`Reservation ${reservation.id} could not be cancelled`, async () => {
      const cancelled = await api<Reservation>('DELETE', `/api/v1/reservations/${reservation.id}`);
      list.update((current) => current.map((item) => (item.id === cancelled.id ? cancelled : item)));
      onMessage({ tone: cancelled.status === 'cancelled' ? 'ok' : 'error', text: `Reservation ${cancelled.id}: ${STATUS_TEXT[cancelled.status] ?? cancelled.status}.` });
    });
  };

  return (
    <section aria-labelledby="reservations-heading" data-testid="station-reservations">
      <h2 id="reservations-heading">Reservations</h2>
      <form class="form-row" aria-label="Reserve" onSubmit={reserve}>
        <label>
          Connector
          <select value={connectorId} onChange={(event) => setConnectorId(event.currentTarget.value)}>
            <option value="0">Any (the whole station)</option>
            {station.connectors
              .filter((connector) => connector.connectorId > 0)
              .map((connector) => (
                <option key={connector.connectorId} value={String(connector.connectorId)}>
                  Connector {connector.connectorId}
                </option>
              ))}
          </select>
        </label>
        <label>
          For id tag
          <input value={idTag} required maxLength={20} onInput={(event) => setIdTag(event.currentTarget.value)} />
        </label>
        <label>
          Until
          <input type="datetime-local" value={until} required onInput={(event) => setUntil(event.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy || !station.online}>
          Reserve
        </button>
        {!station.online && <span class="muted">The station is offline: reserving needs a connection.</span>}
      </form>
      {list.loading && <Loading what="Loading reservations" />}
      {list.error !== undefined && <ErrorNotice error={list.error} retry={list.reload} title="Reservations could not be loaded" />}
      {list.data?.length === 0 && <Empty title="No reservations for this station." />}
      {list.data && list.data.length > 0 && (
        <table class="table responsive">
          <caption class="table-caption">Latest reservations, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Reservation</th>
              <th scope="col">Connector</th>
              <th scope="col">Id tag</th>
              <th scope="col">Until</th>
              <th scope="col">Status</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((reservation) => (
              <tr key={reservation.id} data-reservation={reservation.id}>
                <th scope="row" data-label="Reservation">
                  #{reservation.id}
                </th>
                <td data-label="Connector">{reservation.connectorId === 0 ? 'any' : reservation.connectorId}</td>
                <td data-label="Id tag">{reservation.idTag}</td>
                <td data-label="Until">{formatDateTime(reservation.expiryDate)}</td>
                <td data-label="Status">
                  {STATUS_TEXT[reservation.status] ?? reservation.status}
                  {reservation.stationStatus && reservation.status !== 'active' && ` (${reservation.stationStatus})`}
                  {reservation.transactionId !== null && `, session #${reservation.transactionId}`}
                </td>
                <td data-label="Action">
                  {reservation.status === 'active' ? (
                    <button type="button" class="secondary" disabled={busy || !station.online} onClick={() => cancel(reservation)} aria-label={`Cancel reservation ${reservation.id}`}>
                      Cancel
                    </button>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

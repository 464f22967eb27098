// The reservation lifecycle: reserve (ReserveNow), cancel (CancelReservation), expire (the
// scheduler), and use (a StartTransaction carrying the reservation's id, seen through the
// transaction.started event).

import { sendCommand, type CommandDeps } from '../commands/send-command.js';
import type { Services } from '../handler-context.js';
import { consumeReservation, createReservation, expireDue, moveReservation, type NewReservation, type ReservationRow } from './reservation-store.js';

export class ReservationStateError extends Error {}

/**
 * Assigns the reservation's id and asks the station to hold it. The answer decides its state;
 * when there is none (offline, timeout, error) it is failed and the error is thrown.
 */
export async function reserve(commands: CommandDeps, reservation: NewReservation): Promise<ReservationRow> {
  const row = await createReservation(commands.db, reservation);
  let status;
  try {
    ({ status } = await sendCommand(
      commands,
      row.stationId,
      'ReserveNow',
      {
        connectorId: row.connectorId,
        expiryDate: row.expiryDate.toISOString(),
        idTag: row.idTag,
        reservationId: row.id,
        ...(row.parentIdTag !== null ? { parentIdTag: row.parentIdTag } : {}),
      },
      { requestedBy: reservation.requestedBy },
    ));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    await moveReservation(commands.db, row.id, ['requested'], { status: 'failed', detail, endedAt: commands.clock.now() });
    throw error;
  }
  const accepted = status === 'Accepted';
  const moved = await moveReservation(commands.db, row.id, ['requested'], {
    status: accepted ? 'active' : 'refused',
    stationStatus: status,
    ...(accepted ? {} : { detail: `The station answered ${status}`, endedAt: commands.clock.now() }),
  });
  return moved!;
}

/** Asks the station to drop an active reservation. Throws ReservationStateError when it is not active or the station refuses. */
export async function cancel(commands: CommandDeps, row: ReservationRow, requestedBy: string): Promise<ReservationRow> {
  if (row.status !== 'active') throw new ReservationStateError(`Reservation ${row.id} is ${row.status}, not active`);
  const { status } = await sendCommand(commands, row.stationId, 'CancelReservation', { reservationId: row.id }, { requestedBy });
  if (status !== 'Accepted') {
    throw new ReservationStateError(`Station "${row.stationId}" refused to cancel reservation ${row.id} (it may have been used or expired there)`);
  }
  const cancelled = await moveReservation(commands.db, row.id, ['active'], { status: 'cancelled', detail: `Cancelled by ${requestedBy}`, endedAt: commands.clock.now() });
  if (!cancelled) throw new ReservationStateError(`Reservation ${row.id} ended meanwhile`);
  return cancelled;
}

/** The scheduler's job: active reservations past their expiry. */
export async function expireReservations(services: Services): Promise<number> {
  const expired = await expireDue(services.db, services.clock.now());
  return expired.length;
}

/** A started transaction that carries a reservation id uses that reservation. */
export function startReservationUse(services: Services): () => void {
  return services.events.on('transaction.started', async ({ reservationId, stationId, transactionId, startedAt }) => {
    if (reservationId === null) return;
    const used = await consumeReservation(services.db, { reservationId, stationId, transactionId, startedAt }, services.clock.now());
    if (!used) services.log.info({ stationId, reservationId, transactionId }, 'a transaction named a reservation that is not active here');
  });
}

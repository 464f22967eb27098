// Reservations as a lifecycle over real sockets and real HTTP: reserved at the station
// (ReserveNow), refused with the station's answer, cancelled (CancelReservation), used by a
// StartTransaction that carries the reservation id, and expired by the scheduler.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import type { ChargePoint } from '../../src/simulator/index.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { eventually, simulated } from './helpers.js';

const TAG = 'RES-CARD';
const clock = manualClock(new Date());
let server: TestServer;
let station: ChargePoint;

beforeAll(async () => {
  server = await startTestServer({}, { clock });
  expect((await server.api('POST', '/api/v1/id-tags', { idTag: TAG })).status).toBe(201);
  station = await simulated(server, 'RES-1', { idTag: TAG });
});
afterAll(async () => {
  await station.close();
  await server.close();
});

const inMinutes = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();
const reserve = (body: Record<string, unknown>, stationId = 'RES-1') => server.api('POST', `/api/v1/stations/${stationId}/reservations`, body);

describe('reservations', () => {
  it('reserves at the station, records refusals with the station’s answer, and cancels', async () => {
    const expiryDate = inMinutes(30);
    const created = await reserve({ connectorId: 1, idTag: TAG, expiryDate });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ stationId: 'RES-1', connectorId: 1, idTag: TAG, expiryDate, status: 'active', stationStatus: 'Accepted', requestedBy: 'bootstrap', endedAt: null });
    const commands = (await server.api('GET', '/api/v1/stations/RES-1/commands?action=ReserveNow')).body;
    expect(commands[0].request).toEqual({ connectorId: 1, expiryDate, idTag: TAG, reservationId: created.body.id });
    await eventually(() => station.connectorStatuses()[0] === 'Reserved', 'the connector to be reserved');

    const occupied = await reserve({ connectorId: 1, idTag: 'OTHER', expiryDate });
    expect(occupied.body).toMatchObject({ status: 'refused', stationStatus: 'Occupied', detail: 'The station answered Occupied' });
    const wholeStation = await reserve({ connectorId: 0, idTag: TAG, expiryDate, parentIdTag: 'GROUP' });
    expect(wholeStation.body).toMatchObject({ connectorId: 0, parentIdTag: 'GROUP', status: 'refused', stationStatus: 'Rejected' });

    const active = await server.api('GET', '/api/v1/reservations?stationId=RES-1&status=active');
    expect(active.body.map((row: any) => row.id)).toEqual([created.body.id]);
    expect((await server.api('GET', `/api/v1/reservations/${occupied.body.id}`)).body.status).toBe('refused');

    const cancelled = await server.api('DELETE', `/api/v1/reservations/${created.body.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', endedAt: expect.any(String) });
    const cancelCommands = (await server.api('GET', '/api/v1/stations/RES-1/commands?action=CancelReservation')).body;
    expect(cancelCommands[0]).toMatchObject({ request: { reservationId: created.body.id }, response: { status: 'Accepted' } });
    const again = await server.api('DELETE', `/api/v1/reservations/${created.body.id}`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('cancelled');
  });

  it('is used by a StartTransaction that carries its id', async () => {
    const created = await reserve({ connectorId: 1, idTag: TAG, expiryDate: inMinutes(30) });
    expect(created.body.status).toBe('active');
    await eventually(() => station.connectorStatuses()[0] === 'Reserved', 'the connector to be reserved');
    const session = await station.startSession(1, TAG);
    const used = await eventually(async () => {
      const body = (await server.api('GET', `/api/v1/reservations/${created.body.id}`)).body;
      return body.status === 'used' && body;
    }, 'the reservation to be used');
    expect(used.transactionId).toBe(session.transactionId);
    expect((await server.api('GET', `/api/v1/sessions/${session.transactionId}`)).status).toBe(200);
    // A used reservation cannot be cancelled.
    expect((await server.api('DELETE', `/api/v1/reservations/${created.body.id}`)).status).toBe(409);
    await station.stopSession(1);
  });

  it('expires by the scheduler once its expiry has passed', async () => {
    const created = await reserve({ connectorId: 1, idTag: TAG, expiryDate: inMinutes(10) });
    expect(created.body.status).toBe('active');
    clock.advance(9 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 5_500)); // one run of the job: not yet due
    expect((await server.api('GET', `/api/v1/reservations/${created.body.id}`)).body.status).toBe('active');
    clock.advance(2 * 60_000);
    const expired = await eventually(async () => {
      const body = (await server.api('GET', `/api/v1/reservations/${created.body.id}`)).body;
      return body.status === 'expired' && body;
    }, 'the reservation to expire');
    expect(expired.endedAt).toBe(clock.now().toISOString());
    expect((await server.api('GET', '/api/v1/reservations?status=expired')).body.map((row: any) => row.id)).toContain(created.body.id);
  });

  it('answers 400 for a past expiry or bad fields, 404 for unknown stations and reservations, 409 offline', async () => {
    const past = await reserve({ connectorId: 1, idTag: TAG, expiryDate: inMinutes(-1) });
    expect(past.status).toBe(400);
    expect(past.body.detail).toContain('expiryDate');
    expect((await reserve({ connectorId: 1, idTag: 'X'.repeat(21), expiryDate: inMinutes(5) })).status).toBe(400);
    expect((await reserve({ connectorId: -1, idTag: TAG, expiryDate: inMinutes(5) })).status).toBe(400);
    expect((await reserve({ connectorId: 1, idTag: TAG, expiryDate: inMinutes(5) }, 'NOBODY')).status).toBe(404);
    expect((await server.api('GET', '/api/v1/reservations/999999')).status).toBe(404);
    expect((await server.api('POST', '/api/v1/stations', { id: 'RES-OFF' })).status).toBe(201);
    expect((await reserve({ connectorId: 1, idTag: TAG, expiryDate: inMinutes(5) }, 'RES-OFF')).status).toBe(409);
    expect((await server.api('GET', '/api/v1/reservations?stationId=RES-OFF')).body).toEqual([]);
  });
});

// GET /api/v1/exports/sessions.csv?from=&to=: one row per session started in [from, to), a
// header row first, oldest first; read and written in pages so a year of sessions never sits in
// memory. Money columns carry the currency's minor-unit digits (4.50 EUR, 450 JPY).

import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { csvRow } from '../../api/csv.js';
import { tenantOf } from '../../api/tenant-scope.js';
import type { Executor } from '../../storage/database.js';
import { transactionPages, type TransactionRow } from '../transactions/transaction-store.js';
import { minorDigits } from './rating.js';

export const SESSION_CSV_COLUMNS = [
  'id',
  'stationId',
  'connectorId',
  'idTag',
  'startedAt',
  'stoppedAt',
  'meterStartWh',
  'meterStopWh',
  'energyWh',
  'stopReason',
  'currency',
  'totalExclTax',
  'total',
  'tariffId',
  'tariffVersion',
  'internal',
  'chargingSeconds',
  'idleSeconds',
  'stoppedBy',
  'flags',
] as const;

const PAGE = 500;

function money(value: number | undefined, currency: string | undefined): string {
  if (value === undefined || currency === undefined) return '';
  return currency === 'XXX' ? String(value) : value.toFixed(minorDigits(currency));
}

export function sessionCsvCells(row: TransactionRow): (string | number | boolean | null | undefined)[] {
  const cost = row.cost ?? undefined;
  return [
    row.id,
    row.stationId,
    row.connectorId,
    row.idTag,
    row.startedAt.toISOString(),
    row.stoppedAt?.toISOString(),
    row.meterStartWh,
    row.meterStopWh,
    row.energyWh === null ? null : Math.round(row.energyWh * 1000) / 1000,
    row.stopReason,
    cost?.currency,
    money(cost?.totalExclTax, cost?.currency),
    money(cost?.total, cost?.currency),
    cost?.tariffId,
    cost?.tariffVersion,
    cost?.internal,
    cost?.chargingSeconds,
    cost?.idleSeconds,
    row.stoppedBy,
    row.flags.join(' '),
  ];
}

/** The sessions of a tenant's stations. */
export async function* sessionCsv(db: Executor, tenantId: number, range: { from?: Date | undefined; to?: Date | undefined }): AsyncGenerator<string> {
  yield csvRow(SESSION_CSV_COLUMNS);
  for await (const page of transactionPages(db, tenantId, range, PAGE)) yield page.map((row) => csvRow(sessionCsvCells(row))).join('');
}

const Instant = Type.Union([Type.String({ format: 'date-time' }), Type.String({ format: 'date', description: 'A UTC day, YYYY-MM-DD' })]);

export async function sessionCsvRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  app.get(
    '/exports/sessions.csv',
    {
      schema: {
        tags: ['exports'],
        summary: 'Sessions started in [from, to) as CSV (RFC 4180), one row per session, header first',
        querystring: Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant) }),
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      const range = { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="sessions.csv"')
        .send(Readable.from(sessionCsv(deps.services.db, tenantOf(request), range)));
    },
  );
}

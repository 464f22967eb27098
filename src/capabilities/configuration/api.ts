// /api/v1/stations/{id}/configuration: the station's configuration as we last learnt it, a
// fresh read on demand, and changing one key (ChangeConfiguration, its answer kept).

import { Type, type Static } from 'typebox';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { notFound } from '../../api/problem.js';
import { commandProblem } from '../commands/api.js';
import { sendCommand } from '../commands/send-command.js';
import { getStation } from '../stations/station-store.js';
import { readConfiguration } from './configuration-service.js';
import { configurationKey, configurationOf, type ConfigurationKeyRow } from './configuration-store.js';
import { CHANGE_STATUSES } from './tables.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

const ConfigurationKey = Type.Object({
  key: Type.String(),
  value: Nullable(Type.String()),
  readonly: Type.Boolean(),
  valueAt: DateTime,
  lastChange: Nullable(Type.Object({ value: Type.String(), status: Type.Enum(CHANGE_STATUSES), at: DateTime, by: Type.String() })),
});

const Configuration = Type.Object({
  stationId: Type.String(),
  readAt: Nullable(DateTime),
  updatedAt: Nullable(DateTime),
  unknownKeys: Type.Array(Type.String()),
  keys: Type.Array(ConfigurationKey),
});

const StationId = Type.Object({ id: Type.String() });

function keyJson(row: ConfigurationKeyRow): Static<typeof ConfigurationKey> {
  return {
    key: row.key,
    value: row.value,
    readonly: row.readonly,
    valueAt: row.valueAt.toISOString(),
    lastChange:
      row.changeStatus && row.changedAt
        ? { value: row.changeValue ?? '', status: row.changeStatus, at: row.changedAt.toISOString(), by: row.changedBy ?? '' }
        : null,
  };
}

export async function configurationRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db } = deps.services;

  async function existing(id: string): Promise<void> {
    if (!(await getStation(db, id))) throw notFound(`No station "${id}"`);
  }

  async function configurationJson(stationId: string): Promise<Static<typeof Configuration>> {
    const stored = await configurationOf(db, stationId);
    return {
      stationId,
      readAt: stored?.header.readAt?.toISOString() ?? null,
      updatedAt: stored?.header.updatedAt.toISOString() ?? null,
      unknownKeys: stored?.header.unknownKeys ?? [],
      keys: (stored?.keys ?? []).map(keyJson),
    };
  }

  app.get(
    '/stations/:id/configuration',
    {
      schema: {
        tags: ['configuration'],
        summary: 'The station’s configuration keys as last read or changed (also while it is offline)',
        params: StationId,
        response: { 200: Configuration },
      },
    },
    async (request) => {
      await existing(request.params.id);
      return configurationJson(request.params.id);
    },
  );

  app.post(
    '/stations/:id/configuration/refresh',
    {
      schema: {
        tags: ['configuration'],
        summary: 'Read every key from the station now (GetConfiguration) and keep them',
        params: StationId,
        response: { 200: Configuration },
      },
    },
    async (request) => {
      const { id } = request.params;
      await existing(id);
      try {
        await readConfiguration(deps.commands, id, request.principal?.name ?? 'api');
      } catch (error) {
        throw commandProblem(error, id, 'GetConfiguration') ?? error;
      }
      return configurationJson(id);
    },
  );

  app.put(
    '/stations/:id/configuration/:key',
    {
      schema: {
        tags: ['configuration'],
        summary: 'Change one key (ChangeConfiguration); the station’s answer is kept, and an accepted value becomes the key’s value',
        params: Type.Object({ id: Type.String(), key: Type.String({ minLength: 1, maxLength: 50 }) }),
        body: Type.Object({ value: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ status: Type.Enum(CHANGE_STATUSES), key: Nullable(ConfigurationKey) }) },
      },
    },
    async (request) => {
      const { id, key } = request.params;
      await existing(id);
      let status;
      try {
        ({ status } = await sendCommand(deps.commands, id, 'ChangeConfiguration', { key, value: request.body.value }, { requestedBy: request.principal?.name ?? 'api' }));
      } catch (error) {
        throw commandProblem(error, id, 'ChangeConfiguration') ?? error;
      }
      const row = await configurationKey(db, id, key);
      return { status, key: row ? keyJson(row) : null };
    },
  );
}

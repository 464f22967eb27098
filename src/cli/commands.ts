// The CLI's commands: one entry each, with its usage line, what it does, and how it calls the
// API. Every command goes through the same HTTP API as the dashboard and scripts.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CliError, type ApiClient } from './api-client.js';
import { json, table } from './format.js';

export interface CliOptions {
  json: boolean;
  force: boolean;
  station: string | undefined;
  status: string | undefined;
  parent: string | undefined;
  retrieveDate: string | undefined;
  retries: string | undefined;
  retryInterval: string | undefined;
}

export interface CliContext {
  api: ApiClient;
  options: CliOptions;
  /** Reads standard input (for `command ... -`). */
  stdin(): Promise<string>;
}

interface Command {
  usage: string;
  summary: string;
  run(context: CliContext, args: string[]): Promise<string>;
}

const enc = encodeURIComponent;

function need(args: string[], count: number, usage: string): void {
  if (args.length < count) throw new CliError(`Missing arguments. Usage: ${usage}`, 2);
}

function integer(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new CliError(`${what} must be a whole number, got "${value}"`, 2);
  return Number(value);
}

/** "30" (minutes from now) or an ISO date-time. */
function expiry(value: string): string {
  if (/^\d+$/.test(value)) return new Date(Date.now() + Number(value) * 60_000).toISOString();
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new CliError(`expiry must be minutes from now or an ISO date-time, got "${value}"`, 2);
  return at.toISOString();
}

function payload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`The payload is not JSON: ${(error as Error).message}`, 2);
  }
}

const show = (context: CliContext, value: unknown, columns?: string[]) =>
  !context.options.json && columns && Array.isArray(value) ? table(value as Record<string, unknown>[], columns) : json(value);

/** Sends an OCPP command and shows the station's answer. */
async function command(context: CliContext, stationId: string, action: string, body: unknown, query: Record<string, string | undefined> = {}): Promise<string> {
  const { response } = await context.api.request<{ response: unknown }>('POST', `/stations/${enc(stationId)}/commands/${enc(action)}`, body, { query });
  return json(response);
}

export const COMMANDS: Record<string, Command> = {
  stations: {
    usage: 'stations',
    summary: 'List every station',
    run: async (context) => {
      const stations = await context.api.request<Record<string, unknown>[]>('GET', '/stations');
      const rows = stations.map((station) => ({ ...station, connectors: (station['connectors'] as { connectorId: number; status: string }[]).map((c) => `${c.connectorId}:${c.status}`).join(' ') }));
      return show(context, context.options.json ? stations : rows, ['id', 'registration', 'online', 'vendor', 'model', 'firmwareVersion', 'lastSeenAt', 'connectors']);
    },
  },
  station: {
    usage: 'station <stationId>',
    summary: 'Show one station with its connectors',
    run: async (context, args) => {
      need(args, 1, COMMANDS['station']!.usage);
      return json(await context.api.request('GET', `/stations/${enc(args[0]!)}`));
    },
  },
  command: {
    usage: 'command <stationId> <Action> [json payload | -]',
    summary: 'Send any OCPP 1.6 command (payload as JSON, "-" reads it from standard input; default {})',
    run: async (context, args) => {
      need(args, 2, COMMANDS['command']!.usage);
      const [id, action, text] = args as [string, string, string | undefined];
      const body = text === undefined ? {} : payload(text === '-' ? await context.stdin() : text);
      return command(context, id, action, body, { force: context.options.force ? 'true' : undefined });
    },
  },
  reset: {
    usage: 'reset <stationId> [soft|hard]',
    summary: 'Reset a station (Soft unless told otherwise)',
    run: async (context, args) => {
      need(args, 1, COMMANDS['reset']!.usage);
      const type = (args[1] ?? 'soft').toLowerCase();
      if (type !== 'soft' && type !== 'hard') throw new CliError(`reset type must be soft or hard, got "${args[1]}"`, 2);
      return command(context, args[0]!, 'Reset', { type: type === 'soft' ? 'Soft' : 'Hard' });
    },
  },
  start: {
    usage: 'start <stationId> <idTag> [connectorId] [--force]',
    summary: 'Remote start a transaction (--force: even for an idTag that would be refused)',
    run: async (context, args) => {
      need(args, 2, COMMANDS['start']!.usage);
      const connectorId = integer(args[2], 'connectorId');
      return command(context, args[0]!, 'RemoteStartTransaction', { idTag: args[1], ...(connectorId !== undefined ? { connectorId } : {}) }, { force: context.options.force ? 'true' : undefined });
    },
  },
  stop: {
    usage: 'stop <stationId> <transactionId>',
    summary: 'Remote stop a transaction',
    run: async (context, args) => {
      need(args, 2, COMMANDS['stop']!.usage);
      return command(context, args[0]!, 'RemoteStopTransaction', { transactionId: integer(args[1], 'transactionId') });
    },
  },
  unlock: {
    usage: 'unlock <stationId> <connectorId>',
    summary: 'Unlock a connector',
    run: async (context, args) => {
      need(args, 2, COMMANDS['unlock']!.usage);
      return command(context, args[0]!, 'UnlockConnector', { connectorId: integer(args[1], 'connectorId') });
    },
  },
  config: {
    usage: 'config get <stationId> [key...] | config set <stationId> <key> <value> | config refresh <stationId>',
    summary: 'The stored configuration of a station; change one key; read all keys again',
    run: async (context, [verb, id, ...rest]) => {
      const usage = COMMANDS['config']!.usage;
      if (!id) throw new CliError(`Missing arguments. Usage: ${usage}`, 2);
      const path = `/stations/${enc(id)}/configuration`;
      const columns = ['key', 'value', 'readonly', 'lastChange'];
      if (verb === 'get') {
        const configuration = await context.api.request<{ keys: { key: string }[]; readAt: string | null }>('GET', path);
        const wanted = new Set(rest.map((key) => key.toLowerCase()));
        const keys = wanted.size === 0 ? configuration.keys : configuration.keys.filter((entry) => wanted.has(entry.key.toLowerCase()));
        if (context.options.json) return json(wanted.size === 0 ? configuration : keys);
        return `${configuration.readAt ? `read ${configuration.readAt}` : 'never read whole (try: config refresh)'}\n${table(keys, columns)}`;
      }
      if (verb === 'refresh') return show(context, (await context.api.request<{ keys: unknown[] }>('POST', `${path}/refresh`)).keys, columns);
      if (verb === 'set') {
        need(rest, 2, usage);
        const result = await context.api.request<{ status: string }>('PUT', `${path}/${enc(rest[0]!)}`, { value: rest[1] });
        return context.options.json ? json(result) : `${rest[0]}: ${result.status}`;
      }
      throw new CliError(`Unknown config command "${verb}". Usage: ${usage}`, 2);
    },
  },
  reservations: {
    usage: 'reservations [--station <stationId>] [--status <status>]',
    summary: 'List reservations, newest first',
    run: async (context) => {
      const rows = await context.api.request('GET', '/reservations', undefined, { query: { stationId: context.options.station, status: context.options.status } });
      return show(context, rows, ['id', 'stationId', 'connectorId', 'idTag', 'expiryDate', 'status', 'stationStatus', 'transactionId']);
    },
  },
  reserve: {
    usage: 'reserve <stationId> <connectorId> <idTag> <minutes | ISO expiry> [--parent <idTag>]',
    summary: 'Reserve a connector (0: the whole station) for an idTag',
    run: async (context, args) => {
      need(args, 4, COMMANDS['reserve']!.usage);
      const body = {
        connectorId: integer(args[1], 'connectorId'),
        idTag: args[2],
        expiryDate: expiry(args[3]!),
        ...(context.options.parent ? { parentIdTag: context.options.parent } : {}),
      };
      return json(await context.api.request('POST', `/stations/${enc(args[0]!)}/reservations`, body));
    },
  },
  'cancel-reservation': {
    usage: 'cancel-reservation <reservationId>',
    summary: 'Cancel an active reservation at its station',
    run: async (context, args) => {
      need(args, 1, COMMANDS['cancel-reservation']!.usage);
      return json(await context.api.request('DELETE', `/reservations/${integer(args[0], 'reservationId')}`));
    },
  },
  firmware: {
    usage: 'firmware list | firmware upload <file> | firmware update <stationId> <firmwareId> [--retrieve-date <ISO>] [--retries <n>] [--retry-interval <s>]',
    summary: 'Hosted firmware files; upload one; tell a station to install one',
    run: async (context, [verb, ...rest]) => {
      const usage = COMMANDS['firmware']!.usage;
      if (verb === 'list' || verb === undefined) {
        return show(context, await context.api.request('GET', '/firmware'), ['id', 'filename', 'size', 'sha256', 'uploadedAt', 'downloads', 'url']);
      }
      if (verb === 'upload') {
        need(rest, 1, usage);
        const bytes = await readFile(rest[0]!).catch((error: NodeJS.ErrnoException) => {
          throw new CliError(`Cannot read ${rest[0]}: ${error.code ?? error.message}`, 2);
        });
        return json(await context.api.request('POST', '/firmware', undefined, { raw: bytes, query: { filename: basename(rest[0]!) } }));
      }
      if (verb === 'update') {
        need(rest, 2, usage);
        const { options } = context;
        const body = {
          firmwareId: integer(rest[1], 'firmwareId'),
          ...(options.retrieveDate ? { retrieveDate: expiry(options.retrieveDate) } : {}),
          ...(options.retries ? { retries: integer(options.retries, '--retries') } : {}),
          ...(options.retryInterval ? { retryInterval: integer(options.retryInterval, '--retry-interval') } : {}),
        };
        return json(await context.api.request('POST', `/stations/${enc(rest[0]!)}/firmware-update`, body));
      }
      throw new CliError(`Unknown firmware command "${verb}". Usage: ${usage}`, 2);
    },
  },
  diagnostics: {
    usage: 'diagnostics list <stationId> | diagnostics request <stationId>',
    summary: 'Diagnostics a station uploaded; ask it for an upload',
    run: async (context, [verb, id]) => {
      const usage = COMMANDS['diagnostics']!.usage;
      if (!id) throw new CliError(`Missing arguments. Usage: ${usage}`, 2);
      if (verb === 'list') {
        const rows = await context.api.request<{ files: { filename: string }[] }[]>('GET', `/stations/${enc(id)}/diagnostics`);
        if (context.options.json) return json(rows);
        return table(rows.map((row) => ({ ...row, files: row.files.map((file) => file.filename).join(' ') })), ['id', 'requestedAt', 'outcome', 'fileName', 'status', 'files']);
      }
      if (verb === 'request') return json(await context.api.request('POST', `/stations/${enc(id)}/diagnostics`, {}));
      throw new CliError(`Unknown diagnostics command "${verb}". Usage: ${usage}`, 2);
    },
  },
  tenants: {
    usage: 'tenants',
    summary: "List the organisations sharing this backend (the platform operator's admins)",
    run: async (context) => show(context, await context.api.request('GET', '/tenants'), ['id', 'name', 'platform', 'createdAt']),
  },
  'hand-over': {
    usage: 'hand-over <stationId> <tenantId>',
    summary: "Give one of the platform's stations (e.g. one that connected unannounced) to an organisation",
    run: async (context, args) => {
      need(args, 2, COMMANDS['hand-over']!.usage);
      const tenantId = integer(args[1], 'tenantId')!;
      return json(await context.api.request('POST', `/stations/${enc(args[0]!)}/hand-over`, { tenantId }));
    },
  },
};

export function usageText(): string {
  const lines = Object.values(COMMANDS).map((entry) => `  ${entry.usage}\n      ${entry.summary}`);
  return [
    'Usage: npm run cli -- <command> [arguments] [--json]',
    '',
    'Talks to the central system’s HTTP API. Environment:',
    '  OCPP_API_URL  the server, default http://127.0.0.1:8180',
    '  OCPP_API_KEY  an API key (required)',
    '',
    'Commands:',
    ...lines,
  ].join('\n');
}

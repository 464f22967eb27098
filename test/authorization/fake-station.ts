// A charge point over a real WebSocket that keeps a local authorization list and an
// authorization cache the way OCPP 1.6 describes them, so tests can see what the central system
// pushed: GetConfiguration from its keys, GetLocalListVersion, SendLocalList (within its
// LocalAuthListMaxLength and SendLocalListMaxLength; a differential update must raise the
// version), ClearCache, RemoteStartTransaction. Any answer can be replaced per action.

import { expect } from 'vitest';
import { OcppTestClient, boot } from '../support/ocpp-client.js';
import { TEST_API_KEY, type TestServer } from '../support/test-server.js';

export type IdTagInfo = { status: string; expiryDate?: string; parentIdTag?: string };

export const DEFAULT_KEYS: Record<string, string> = {
  SupportedFeatureProfiles: 'Core,LocalAuthListManagement,RemoteTrigger',
  LocalAuthListEnabled: 'true',
  LocalAuthListMaxLength: '100',
  SendLocalListMaxLength: '100',
  AuthorizeRemoteTxRequests: 'false',
  StopTransactionOnInvalidId: 'true',
  AuthorizationCacheEnabled: 'true',
};

type Answer = (payload: any) => unknown;

export interface FakeStationOptions {
  keys?: Record<string, string>;
  /** Replaces the answer to an action; return undefined to fall back to the normal one. */
  answers?: Record<string, Answer>;
  /** The list the station already holds (e.g. from before a reconnect). */
  list?: { version: number; entries: Map<string, IdTagInfo> };
  /** Send BootNotification after connecting (default true). */
  boot?: boolean;
}

export class FakeStation {
  version: number;
  /** idTag (lower case) → its entry. */
  readonly list: Map<string, IdTagInfo>;
  cacheCleared = 0;
  readonly keys: Record<string, string>;

  private constructor(
    readonly id: string,
    readonly client: OcppTestClient,
    state: { keys: Record<string, string>; list: { version: number; entries: Map<string, IdTagInfo> } },
  ) {
    this.keys = state.keys;
    this.version = state.list.version;
    this.list = state.list.entries;
  }

  static async connect(server: TestServer, id: string, options: FakeStationOptions = {}): Promise<FakeStation> {
    const state = { keys: { ...DEFAULT_KEYS, ...options.keys }, list: options.list ?? { version: 0, entries: new Map<string, IdTagInfo>() } };
    let station: FakeStation | undefined;
    const client = await OcppTestClient.connect(server.ocppUrl(id), {
      onCall: (action, payload) => options.answers?.[action]?.(payload) ?? station!.answer(action, payload),
    });
    station = new FakeStation(id, client, state);
    if (options.boot !== false) expect((await boot(client)).status).toBe('Accepted');
    return station;
  }

  /** The list as a sorted array of [idTag (lower case), status]. */
  entries(): [string, string][] {
    return [...this.list.entries()].map(([tag, info]): [string, string] => [tag, info.status]).sort(([a], [b]) => (a < b ? -1 : 1));
  }

  /** Payloads of the CALLs of `action` the central system sent. */
  sent(action: string): any[] {
    return this.client.calls.filter((call) => call.action === action).map((call) => call.payload);
  }

  actions(): string[] {
    return this.client.calls.map((call) => call.action);
  }

  close(): Promise<unknown> {
    return this.client.close();
  }

  private answer(action: string, payload: any): unknown {
    const integer = (key: string) => Number(this.keys[key]);
    switch (action) {
      case 'GetConfiguration': {
        const asked: string[] = payload.key ?? Object.keys(this.keys);
        const known = asked.filter((key) => key in this.keys);
        const unknownKey = asked.filter((key) => !(key in this.keys));
        return {
          configurationKey: known.map((key) => ({ key, readonly: true, value: this.keys[key] })),
          ...(unknownKey.length > 0 ? { unknownKey } : {}),
        };
      }
      case 'GetLocalListVersion':
        return { listVersion: this.keys['LocalAuthListEnabled'] === 'true' ? this.version : -1 };
      case 'SendLocalList': {
        if (this.keys['LocalAuthListEnabled'] !== 'true') return { status: 'NotSupported' };
        const entries: { idTag: string; idTagInfo?: IdTagInfo }[] = payload.localAuthorizationList ?? [];
        if (entries.length > integer('SendLocalListMaxLength')) return { status: 'Failed' };
        if (payload.updateType === 'Differential' && payload.listVersion <= this.version) return { status: 'VersionMismatch' };
        const next = new Map(payload.updateType === 'Full' ? [] : this.list);
        for (const entry of entries) {
          if (entry.idTagInfo) next.set(entry.idTag.toLowerCase(), entry.idTagInfo);
          else next.delete(entry.idTag.toLowerCase());
        }
        if (next.size > integer('LocalAuthListMaxLength')) return { status: 'Failed' };
        this.list.clear();
        for (const [tag, info] of next) this.list.set(tag, info);
        this.version = payload.listVersion;
        return { status: 'Accepted' };
      }
      case 'ClearCache':
        this.cacheCleared++;
        return { status: 'Accepted' };
      case 'RemoteStartTransaction':
      case 'RemoteStopTransaction':
        return { status: 'Accepted' };
      default:
        return {};
    }
  }
}

/** Resolves once `check` holds (polling), or fails naming `what`. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** POSTs CSV text (server.api would send JSON). */
export async function postCsv(server: TestServer, path: string, text: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'text/csv' },
    body: text,
  });
  return { status: response.status, body: await response.json() };
}

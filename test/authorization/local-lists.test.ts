// Local authorization lists end to end: stations over real sockets get the Full list after boot,
// then only differences; revoked tags also clear their cache; a station whose list is smaller
// than the token set gets the best-ranked tags in messages within its SendLocalListMaxLength;
// reconnects, refused differential updates and stations without local lists.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStation, type ChargePoint } from '../../src/simulator/index.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { FakeStation, eventually, postCsv } from './fake-station.js';

let server: TestServer;
const stations: Array<{ close(): Promise<unknown> }> = [];

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await Promise.all(stations.splice(0).map((station) => station.close()));
  await server.close();
});

async function connect(id: string, options: Parameters<typeof FakeStation.connect>[2] = {}): Promise<FakeStation> {
  const station = await FakeStation.connect(server, id, options);
  stations.push(station);
  return station;
}

async function tags(...bodies: Record<string, unknown>[]): Promise<void> {
  for (const body of bodies) expect((await server.api('POST', '/api/v1/id-tags', body)).status).toBe(201);
}

const localList = async (id: string) => (await server.api('GET', `/api/v1/stations/${id}/local-list`)).body;
const inSyncAt = (id: string, version: number) =>
  eventually(async () => {
    const list = await localList(id);
    return list.syncStatus === 'in_sync' && list.version === version && list;
  }, `${id} in sync at version ${version}`);

describe('local list synchronisation', () => {
  it('pushes the Full list after boot, then only the differences; a revoked tag also clears the cache', async () => {
    await tags({ idTag: 'Card-A' }, { idTag: 'CARD-B', expiryDate: '2040-01-01T00:00:00Z' }, { idTag: 'CARD-C', status: 'Blocked', parentIdTag: 'HOME' });
    const station = await connect('LL-BASIC');

    const list = await inSyncAt('LL-BASIC', 1);
    expect(station.sent('SendLocalList')).toEqual([
      {
        listVersion: 1,
        updateType: 'Full',
        localAuthorizationList: [
          { idTag: 'Card-A', idTagInfo: { status: 'Accepted' } },
          { idTag: 'CARD-B', idTagInfo: { status: 'Accepted', expiryDate: '2040-01-01T00:00:00.000Z' } },
          { idTag: 'CARD-C', idTagInfo: { status: 'Blocked', parentIdTag: 'HOME' } },
        ],
      },
    ]);
    expect(station.entries()).toEqual([
      ['card-a', 'Accepted'],
      ['card-b', 'Accepted'],
      ['card-c', 'Blocked'],
    ]);
    expect(list.entries.map((entry: { idTag: string }) => entry.idTag).sort()).toEqual(['CARD-B', 'CARD-C', 'Card-A']);
    expect(list.settings).toMatchObject({ localListManagement: true, localAuthListMaxLength: 100, sendLocalListMaxLength: 100 });
    expect(station.actions().slice(0, 3)).toEqual(['GetConfiguration', 'GetLocalListVersion', 'SendLocalList']);
    expect(station.cacheCleared).toBe(0);

    // A new tag: one Differential update with just that tag.
    await tags({ idTag: 'CARD-D' });
    await inSyncAt('LL-BASIC', 2);
    expect(station.sent('SendLocalList')[1]).toEqual({ listVersion: 2, updateType: 'Differential', localAuthorizationList: [{ idTag: 'CARD-D', idTagInfo: { status: 'Accepted' } }] });

    // Blocking a tag: the update, and the cache cleared (it may still hold the card as Accepted).
    expect((await server.api('PATCH', '/api/v1/id-tags/card-b', { status: 'Blocked' })).status).toBe(200);
    await inSyncAt('LL-BASIC', 3);
    expect(station.sent('SendLocalList')[2]).toEqual({
      listVersion: 3,
      updateType: 'Differential',
      localAuthorizationList: [{ idTag: 'CARD-B', idTagInfo: { status: 'Blocked', expiryDate: '2040-01-01T00:00:00.000Z' } }],
    });
    await eventually(() => station.cacheCleared === 1, 'ClearCache');
    expect((await localList('LL-BASIC')).cacheClearPending).toBe(false);

    // Deleting a tag that could charge: removed from the list (an entry without idTagInfo), cache cleared.
    expect((await server.api('DELETE', '/api/v1/id-tags/CARD-A')).status).toBe(204);
    await inSyncAt('LL-BASIC', 4);
    expect(station.sent('SendLocalList')[3]).toEqual({ listVersion: 4, updateType: 'Differential', localAuthorizationList: [{ idTag: 'Card-A' }] });
    await eventually(() => station.cacheCleared === 2, 'the second ClearCache');

    // Unblocking revokes nothing: an update, no ClearCache.
    expect((await server.api('PATCH', '/api/v1/id-tags/CARD-C', { status: 'Accepted' })).status).toBe(200);
    await inSyncAt('LL-BASIC', 5);
    expect(station.entries()).toEqual([
      ['card-b', 'Blocked'],
      ['card-c', 'Accepted'],
      ['card-d', 'Accepted'],
    ]);
    expect(station.cacheCleared).toBe(2);
    expect(station.sent('SendLocalList').filter((update) => update.updateType === 'Full')).toHaveLength(1);

    // Every command is in the station's command log, requested by the synchronisation.
    const commands = (await server.api('GET', '/api/v1/stations/LL-BASIC/commands')).body;
    expect(commands.filter((row: any) => row.action === 'SendLocalList').every((row: any) => row.requestedBy === 'system:local-list')).toBe(true);
  });

  it('gives a station whose list is smaller than the token set the best-ranked tags, within SendLocalListMaxLength per message', async () => {
    const station = await connect('LL-SMALL', { keys: { LocalAuthListMaxLength: '3', SendLocalListMaxLength: '2' } });
    // T5 charged here before (its tag was unknown then): it ranks first.
    await station.client.call('StartTransaction', { connectorId: 1, idTag: 't5', meterStart: 0, timestamp: new Date(Date.now() - 60_000).toISOString() });
    expect(station.sent('SendLocalList')).toEqual([]); // no tags yet, nothing to push

    const csv = ['idTag,status', 'T6,Accepted', 'T1,Accepted', 'BLOCKED-1,Blocked', 'T3,Accepted', 'T5,Accepted', 'T2,Accepted', 'T4,Accepted'].join('\n');
    const imported = await postCsv(server, '/api/v1/id-tags.csv', csv);
    expect(imported.body).toEqual({ created: 7, updated: 0 });

    await inSyncAt('LL-SMALL', 2);
    expect(station.sent('SendLocalList')).toEqual([
      {
        listVersion: 1,
        updateType: 'Full',
        localAuthorizationList: [
          { idTag: 'T5', idTagInfo: { status: 'Accepted' } },
          { idTag: 'T1', idTagInfo: { status: 'Accepted' } },
        ],
      },
      { listVersion: 2, updateType: 'Differential', localAuthorizationList: [{ idTag: 'T2', idTagInfo: { status: 'Accepted' } }] },
    ]);
    expect(station.entries()).toEqual([
      ['t1', 'Accepted'],
      ['t2', 'Accepted'],
      ['t5', 'Accepted'],
    ]);

    // T1 blocked: it falls behind every tag that may charge, so T3 takes its place.
    expect((await server.api('PATCH', '/api/v1/id-tags/T1', { status: 'Blocked' })).status).toBe(200);
    await inSyncAt('LL-SMALL', 3);
    expect(station.sent('SendLocalList')[2]).toEqual({
      listVersion: 3,
      updateType: 'Differential',
      localAuthorizationList: [{ idTag: 'T3', idTagInfo: { status: 'Accepted' } }, { idTag: 'T1' }],
    });
    expect(station.entries()).toEqual([
      ['t2', 'Accepted'],
      ['t3', 'Accepted'],
      ['t5', 'Accepted'],
    ]);
  });

  it('after a reconnect sends nothing when the station holds our version, differences made while it was away, and the Full list when it lost its list', async () => {
    await tags({ idTag: 'R-A' }, { idTag: 'R-B' });
    let station = await connect('LL-RECONNECT');
    await inSyncAt('LL-RECONNECT', 1);
    const held = () => ({ version: station.version, entries: new Map(station.list) });

    // Back with the same list: GetLocalListVersion, nothing more.
    let previous = held();
    await station.close();
    const checked = (await localList('LL-RECONNECT')).checkedAt;
    station = await connect('LL-RECONNECT', { list: previous });
    await eventually(async () => (await localList('LL-RECONNECT')).checkedAt !== checked, 'the reconnect check');
    expect(station.actions()).toEqual(['GetConfiguration', 'GetLocalListVersion']);

    // Away while R-A is blocked and R-C created: the differences, then ClearCache.
    previous = held();
    await station.close();
    expect((await server.api('PATCH', '/api/v1/id-tags/R-A', { status: 'Blocked' })).status).toBe(200);
    await tags({ idTag: 'R-C' });
    await eventually(async () => (await localList('LL-RECONNECT')).cacheClearPending, 'the pending cache clear');
    station = await connect('LL-RECONNECT', { list: previous });
    await inSyncAt('LL-RECONNECT', 2);
    expect(station.sent('SendLocalList')).toEqual([
      {
        listVersion: 2,
        updateType: 'Differential',
        localAuthorizationList: [
          { idTag: 'R-C', idTagInfo: { status: 'Accepted' } },
          { idTag: 'R-A', idTagInfo: { status: 'Blocked' } },
        ],
      },
    ]);
    await eventually(() => station.cacheCleared === 1, 'ClearCache after the reconnect');

    // Back after a factory reset (version 0): the Full list again, numbered on from ours.
    await station.close();
    station = await connect('LL-RECONNECT');
    await inSyncAt('LL-RECONNECT', 3);
    expect(station.sent('SendLocalList')).toEqual([
      {
        listVersion: 3,
        updateType: 'Full',
        localAuthorizationList: [
          { idTag: 'R-B', idTagInfo: { status: 'Accepted' } },
          { idTag: 'R-C', idTagInfo: { status: 'Accepted' } },
          { idTag: 'R-A', idTagInfo: { status: 'Blocked' } },
        ],
      },
    ]);
  });

  it('falls back to the Full list when the station refuses a differential update', async () => {
    await tags({ idTag: 'F-A' });
    let refuse = true;
    const station = await connect('LL-FALLBACK', {
      answers: {
        SendLocalList: (payload) => {
          if (payload.updateType !== 'Differential' || !refuse) return undefined;
          refuse = false;
          return { status: 'VersionMismatch' };
        },
      },
    });
    await inSyncAt('LL-FALLBACK', 1);
    await tags({ idTag: 'F-B' });
    await inSyncAt('LL-FALLBACK', 3);
    expect(station.sent('SendLocalList').map((update) => [update.listVersion, update.updateType, update.localAuthorizationList.length])).toEqual([
      [1, 'Full', 1],
      [2, 'Differential', 1],
      [3, 'Full', 2],
    ]);
    expect(station.entries()).toEqual([
      ['f-a', 'Accepted'],
      ['f-b', 'Accepted'],
    ]);
  });

  it('records a failure it cannot repair; an operator’s sync after a settings change repairs it', async () => {
    await tags({ idTag: 'X-A' }, { idTag: 'X-B' });
    // The station claims room for 100 entries but takes only one.
    const station = await connect('LL-FAILED', { answers: { SendLocalList: (payload) => (payload.localAuthorizationList.length > 1 ? { status: 'Failed' } : undefined) } });
    const failed = await eventually(async () => {
      const list = await localList('LL-FAILED');
      return list.syncStatus === 'failed' && list;
    }, 'the failure');
    expect(failed.detail).toBe('SendLocalList (Full, version 1) answered Failed');
    expect(failed.version).toBeNull();
    // The station now tells its real limit; an operator need not wait for the sweep (every 10 minutes).
    station.keys['SendLocalListMaxLength'] = '1';
    expect((await server.api('POST', '/api/v1/stations/LL-FAILED/local-list/sync')).status).toBe(202);
    await inSyncAt('LL-FAILED', 2);
    expect(station.entries()).toEqual([
      ['x-a', 'Accepted'],
      ['x-b', 'Accepted'],
    ]);
  });

  it('remembers a station without local lists and does not ask it again on every connect; an operator’s sync asks again', async () => {
    await tags({ idTag: 'N-A' });
    let station = await connect('LL-NONE', { keys: { SupportedFeatureProfiles: 'Core,SmartCharging' } });
    const unsupported = await eventually(async () => {
      const list = await localList('LL-NONE');
      return list.syncStatus === 'not_supported' && list;
    }, 'not_supported');
    expect(unsupported.detail).toContain('LocalAuthListManagement');
    expect(station.actions()).toEqual(['GetConfiguration']);

    await station.close();
    station = await connect('LL-NONE', { keys: { SupportedFeatureProfiles: 'Core,SmartCharging' } });
    await tags({ idTag: 'N-B' });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(station.actions()).toEqual([]);

    // The firmware was updated: the operator asks again, and the list goes out.
    station.keys['SupportedFeatureProfiles'] = 'Core,LocalAuthListManagement';
    expect((await server.api('POST', '/api/v1/stations/LL-NONE/local-list/sync')).status).toBe(202);
    await inSyncAt('LL-NONE', 1);
    expect(station.entries()).toEqual([
      ['n-a', 'Accepted'],
      ['n-b', 'Accepted'],
    ]);

    // A station that answers GetLocalListVersion with -1 is just as unsupported.
    const other = await connect('LL-MINUS-ONE', { answers: { GetLocalListVersion: () => ({ listVersion: -1 }) } });
    await eventually(async () => (await localList('LL-MINUS-ONE')).syncStatus === 'not_supported', 'not_supported after -1');
    expect(other.sent('SendLocalList')).toEqual([]);

    await other.close();
    expect((await server.api('POST', '/api/v1/stations/LL-MINUS-ONE/local-list/sync')).status).toBe(409);
    expect((await server.api('POST', '/api/v1/stations/NOBODY/local-list/sync')).status).toBe(404);
    expect((await server.api('GET', '/api/v1/stations/NOBODY/local-list')).status).toBe(404);
  });

  it('keeps a simulated charge point’s list in step', async () => {
    await tags({ idTag: 'SIM-A' }, { idTag: 'SIM-B', status: 'Blocked' });
    const station: ChargePoint = await startStation({ url: `${server.url.replace(/^http/, 'ws')}/ocpp`, id: 'LL-SIM', profile: 'wallbox', meterIntervalMs: 0 });
    stations.push(station);
    await inSyncAt('LL-SIM', 1);
    expect(await server.server.caller.call('LL-SIM', 'GetLocalListVersion', {})).toEqual({ listVersion: 1 });
    await tags({ idTag: 'SIM-C' });
    await inSyncAt('LL-SIM', 2);
    expect(await server.server.caller.call('LL-SIM', 'GetLocalListVersion', {})).toEqual({ listVersion: 2 });
  });
});

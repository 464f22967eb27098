// /api/v1/id-tags with the full token model (owner, concurrent-transaction limit, origin,
// filters), and the CSV import (all or nothing, every bad row named by line) and streamed export.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/api/csv.js';
import { TEST_API_KEY, startTestServer, type TestServer } from '../support/test-server.js';
import { postCsv } from './fake-station.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const exportCsv = async () => {
  const response = await fetch(`${server.url}/api/v1/id-tags.csv`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), text: await response.text() };
};
const allTags = async () => (await server.api('GET', '/api/v1/id-tags')).body as any[];

describe('id tags API', () => {
  it('keeps the contract’s fields and adds owner, concurrent-transaction limit and origin', async () => {
    const created = await server.api('POST', '/api/v1/id-tags', {
      idTag: 'Api-Card-1',
      status: 'Accepted',
      expiryDate: '2031-06-30T12:00:00Z',
      parentIdTag: 'API-FLEET',
      ownerName: 'Jane Doe',
      maxConcurrentTx: 2,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      idTag: 'Api-Card-1',
      status: 'Accepted',
      expiryDate: '2031-06-30T12:00:00.000Z',
      parentIdTag: 'API-FLEET',
      internal: false,
      ownerName: 'Jane Doe',
      maxConcurrentTx: 2,
      origin: 'operator',
    });
    const patched = await server.api('PATCH', '/api/v1/id-tags/api-card-1', { ownerName: null, maxConcurrentTx: null });
    expect(patched.body).toMatchObject({ ownerName: null, maxConcurrentTx: null, parentIdTag: 'API-FLEET' });

    expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'API-BAD', maxConcurrentTx: 0 })).status).toBe(400);
    expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'API-BAD', ownerName: 'x'.repeat(201) })).status).toBe(400);
    const badOrigin = await server.api('PATCH', '/api/v1/id-tags/api-card-1', { origin: 'martian' });
    expect(badOrigin.status).toBe(400);
  });

  it('filters by status, group and origin', async () => {
    for (const body of [{ idTag: 'API-F-1', parentIdTag: 'api-group' }, { idTag: 'API-F-2', parentIdTag: 'API-GROUP', status: 'Blocked' }]) {
      expect((await server.api('POST', '/api/v1/id-tags', body)).status).toBe(201);
    }
    const names = (body: { idTag: string }[]) => body.map((tag) => tag.idTag);
    expect(names((await server.api('GET', '/api/v1/id-tags?parentIdTag=Api-Group')).body)).toEqual(['API-F-1', 'API-F-2']);
    expect(names((await server.api('GET', '/api/v1/id-tags?parentIdTag=api-group&status=Blocked')).body)).toEqual(['API-F-2']);
    expect((await server.api('GET', '/api/v1/id-tags?origin=unknown_accepted')).body).toEqual([]);
    expect((await server.api('GET', '/api/v1/id-tags?status=Stolen')).status).toBe(400);
  });
});

describe('CSV import and export', () => {
  it('imports new tags and updates existing ones (case-insensitively), leaving columns the file lacks as they are', async () => {
    expect((await server.api('POST', '/api/v1/id-tags', { idTag: 'CSV-EXISTING', ownerName: 'Kept', internal: true })).status).toBe(201);
    const csv = ['idTag,status,expiryDate,parentIdTag', 'csv-existing,Blocked,,', 'CSV-NEW-1,,2032-01-01T00:00:00+01:00,CSV-FLEET', '"CSV-NEW-2",Expired,,'].join('\r\n');
    const imported = await postCsv(server, '/api/v1/id-tags.csv', csv);
    expect(imported).toEqual({ status: 200, body: { created: 2, updated: 1 } });
    const existing = (await server.api('GET', '/api/v1/id-tags/CSV-EXISTING')).body;
    expect(existing).toMatchObject({ idTag: 'CSV-EXISTING', status: 'Blocked', ownerName: 'Kept', internal: true });
    expect((await server.api('GET', '/api/v1/id-tags/csv-new-1')).body).toMatchObject({ status: 'Accepted', expiryDate: '2031-12-31T23:00:00.000Z', parentIdTag: 'CSV-FLEET' });
  });

  it('imports nothing when any row is bad, and names every bad row by line and reason', async () => {
    const before = await allTags();
    const csv = ['idTag,status,maxConcurrentTx', 'CSV-GOOD,Accepted,1', 'CSV-BAD-STATUS,Lost,', 'CSV-BAD-LIMIT,,-3', 'CSV-GOOD-2,,'].join('\n');
    const refused = await postCsv(server, '/api/v1/id-tags.csv', csv);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toBe('2 invalid row(s), first on line 3: status "Lost" is not one of Accepted, Blocked, Expired, Invalid, ConcurrentTx; nothing was imported');
    expect(refused.body.errors).toEqual([
      { line: 3, reason: 'status "Lost" is not one of Accepted, Blocked, Expired, Invalid, ConcurrentTx' },
      { line: 4, reason: 'maxConcurrentTx "-3" is not a whole number from 1' },
    ]);
    expect(await allTags()).toEqual(before);

    const noHeader = await postCsv(server, '/api/v1/id-tags.csv', 'CSV-X,Accepted\n');
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.errors[0]).toMatchObject({ line: 1 });
    const json = await server.api('POST', '/api/v1/id-tags.csv', { idTag: 'x' });
    expect(json.status).toBe(415);
  });

  it('exports every tag as CSV with a header row, in pages, and the export imports again unchanged', async () => {
    const many = ['idTag,ownerName,internal', ...Array.from({ length: 2_345 }, (_, i) => `BULK-${String(i).padStart(5, '0')},"Driver, No. ${i}",${i % 2 === 0}`)].join('\n');
    expect((await postCsv(server, '/api/v1/id-tags.csv', many)).body).toEqual({ created: 2_345, updated: 0 });

    const exported = await exportCsv();
    expect(exported.status).toBe(200);
    expect(exported.type).toContain('text/csv');
    expect(exported.disposition).toContain('id-tags.csv');
    const rows = parseCsv(exported.text);
    expect(rows[0]!.cells).toEqual(['idTag', 'status', 'expiryDate', 'parentIdTag', 'ownerName', 'internal', 'maxConcurrentTx', 'origin']);
    const tags = await allTags();
    expect(rows).toHaveLength(tags.length + 1);
    expect(rows.find((row) => row.cells[0] === 'BULK-00007')!.cells).toEqual(['BULK-00007', 'Accepted', '', '', 'Driver, No. 7', 'false', '', 'operator']);

    // Round trip: the export imported again changes nothing.
    const again = await postCsv(server, '/api/v1/id-tags.csv', exported.text);
    expect(again.body).toEqual({ created: 0, updated: tags.length });
    const strip = (list: any[]) => list.map(({ updatedAt: _, ...rest }) => rest);
    expect(strip(await allTags())).toEqual(strip(tags));
  });
});

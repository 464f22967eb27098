import { describe, expect, it } from 'vitest';
import { idTagCsvHeader, idTagCsvRow, readIdTagCsv } from './id-tag-csv.js';
import type { IdTagRow } from './id-tag-store.js';

describe('readIdTagCsv', () => {
  it('reads every column, in any order and letter case; empty cells are defaults', () => {
    const text = [
      'IDTAG,status,expiryDate,parentIdTag,ownerName,internal,maxConcurrentTx,origin',
      'CARD-1,blocked,2030-01-31T23:59:59Z,FLEET,"Doe, Jane",yes,2,operator',
      'CARD-2,,,,,,,',
    ].join('\r\n');
    expect(readIdTagCsv(text)).toEqual({
      errors: [],
      tags: [
        {
          line: 2,
          idTag: 'CARD-1',
          fields: {
            status: 'Blocked',
            expiryDate: new Date('2030-01-31T23:59:59Z'),
            parentIdTag: 'FLEET',
            ownerName: 'Doe, Jane',
            internal: true,
            maxConcurrentTx: 2,
            origin: 'operator',
          },
        },
        {
          line: 3,
          idTag: 'CARD-2',
          fields: { status: 'Accepted', expiryDate: null, parentIdTag: null, ownerName: null, internal: false, maxConcurrentTx: null, origin: 'operator' },
        },
      ],
    });
  });

  it('sets only the columns the file has', () => {
    expect(readIdTagCsv('ownerName,idTag\nJane,CARD-1\n').tags).toEqual([{ line: 2, idTag: 'CARD-1', fields: { ownerName: 'Jane' } }]);
  });

  it('names the line and the reason of every bad row', () => {
    const text = [
      'idTag,status,expiryDate,maxConcurrentTx,internal',
      'OK-1,Accepted,,,',
      'THIS-ID-TAG-IS-FAR-TOO-LONG,Accepted,,,',
      'BAD-STATUS,Stolen,,,',
      'BAD-DATE,,31.01.2030,,',
      'BAD-LIMIT,,,0,',
      'BAD-FLAG,,,,maybe',
      'ok-1,,,,',
      'SHORT,Accepted',
      ',,,,',
    ].join('\n');
    const { tags, errors } = readIdTagCsv(text);
    expect(tags.map((tag) => tag.idTag)).toEqual(['OK-1']);
    expect(errors).toEqual([
      { line: 3, reason: 'idTag "THIS-ID-TAG-IS-FAR-TOO-LONG" is longer than 20 characters' },
      { line: 4, reason: 'status "Stolen" is not one of Accepted, Blocked, Expired, Invalid, ConcurrentTx' },
      { line: 5, reason: 'expiryDate "31.01.2030" is not an ISO 8601 date-time with a zone, e.g. 2030-01-31T23:59:59Z' },
      { line: 6, reason: 'maxConcurrentTx "0" is not a whole number from 1' },
      { line: 7, reason: 'internal "maybe" is not true or false' },
      { line: 8, reason: 'idTag "ok-1" is already on line 2 (id tags are case-insensitive)' },
      { line: 9, reason: 'the row has 2 cells, the header 5' },
      { line: 10, reason: 'idTag is empty' },
    ]);
  });

  it('refuses a file without a usable header', () => {
    expect(readIdTagCsv('').errors).toEqual([{ line: 1, reason: 'the file is empty; it needs a header row' }]);
    expect(readIdTagCsv('status\nBlocked').errors[0]!.reason).toBe('the header has no idTag column');
    expect(readIdTagCsv('idTag,colour\nA,red').errors[0]!.reason).toContain('unknown column "colour"');
    expect(readIdTagCsv('idTag,idtag\nA,B').errors[0]!.reason).toBe('column idTag appears twice');
    expect(readIdTagCsv('idTag\n"A').errors).toEqual([{ line: 2, reason: 'a quoted cell is not closed' }]);
  });
});

describe('export rows', () => {
  it('read back as the same tag', () => {
    const row: IdTagRow = {
      id: 1,
      tenantId: 1,
      idTag: 'Card,1',
      status: 'Expired',
      expiryDate: new Date('2029-12-31T00:00:00Z'),
      parentIdTag: 'HOME',
      internal: true,
      ownerName: 'Jane "JD" Doe',
      maxConcurrentTx: 1,
      origin: 'unknown_accepted',
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    const { tags, errors } = readIdTagCsv(idTagCsvHeader() + idTagCsvRow(row));
    expect(errors).toEqual([]);
    expect(tags[0]).toEqual({
      line: 2,
      idTag: 'Card,1',
      fields: { status: 'Expired', expiryDate: row.expiryDate, parentIdTag: 'HOME', ownerName: 'Jane "JD" Doe', internal: true, maxConcurrentTx: 1, origin: 'unknown_accepted' },
    });
  });
});

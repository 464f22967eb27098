import { describe, expect, it } from 'vitest';
import { parseCsv, parseIdTagCsv } from './id-tag-csv';

describe('CSV parsing', () => {
  it('reads quoted fields with separators, doubled quotes and line breaks, CRLF and a BOM', () => {
    const rows = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",z\n');
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', 'z'] },
    ]);
  });

  it('takes semicolons when the header has more of them than commas, and skips blank lines', () => {
    expect(parseCsv('idTag;status\n\nA;Accepted\n').map((row) => row.fields)).toEqual([
      ['idTag', 'status'],
      ['A', 'Accepted'],
    ]);
  });
});

describe('id tags from CSV', () => {
  it('reads the known columns in any order and case, and reports bad rows by line', () => {
    const parsed = parseIdTagCsv(
      ['Status,ID Tag,expiry_date,parentIdTag,internal', 'accepted,CARD-1,2030-01-31,,yes', 'Blocked,CARD-2,,FLEET,', 'Lost,CARD-3,,,', ',,,,', 'Accepted,CARD-4,someday,,'].join('\n'),
    );
    expect(parsed.tags).toEqual([
      { line: 2, tag: { idTag: 'CARD-1', status: 'Accepted', expiryDate: new Date('2030-01-31').toISOString(), parentIdTag: null, internal: true } },
      { line: 3, tag: { idTag: 'CARD-2', status: 'Blocked', expiryDate: null, parentIdTag: 'FLEET' } },
    ]);
    expect(parsed.errors).toEqual([
      { line: 4, message: expect.stringContaining('Lost') },
      { line: 6, message: expect.stringContaining('someday') },
    ]);
  });

  it('needs an idTag column', () => {
    expect(parseIdTagCsv('card,status\nA,Accepted').errors[0]?.message).toContain('idTag');
  });
});

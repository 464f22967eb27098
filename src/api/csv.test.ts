import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvRow, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads plain and quoted cells, doubled quotes and line breaks inside quotes', () => {
    const text = 'a,b,c\r\n1,"two, three","say ""hi"""\n"multi\nline",,x\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'two, three', 'say "hi"'] },
      { line: 3, cells: ['multi\nline', '', 'x'] },
    ]);
  });

  it('skips blank lines and a byte-order mark, and numbers lines as an editor does', () => {
    expect(parseCsv('\ufeffid\n\nA\r\n\r\nB')).toEqual([
      { line: 1, cells: ['id'] },
      { line: 3, cells: ['A'] },
      { line: 5, cells: ['B'] },
    ]);
  });

  it('keeps a row whose only cell is an empty quoted string', () => {
    expect(parseCsv('""\n')).toEqual([{ line: 1, cells: [''] }]);
  });

  it('names the line of a syntax error', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a\nb"c"\n');
    } catch (error) {
      expect(error).toMatchObject({ line: 2, message: 'a quote inside an unquoted cell' });
    }
    expect(() => parseCsv('"a"b')).toThrow('text after a closing quote');
  });
});

describe('csvRow', () => {
  it('quotes only what needs it and round-trips through parseCsv', () => {
    const cells = ['plain', 'with,comma', 'with "quote"', 'two\nlines', '', null, 42, true];
    const row = csvRow(cells);
    expect(row).toBe('plain,"with,comma","with ""quote""","two\nlines",,,42,true\r\n');
    expect(parseCsv(row)[0]!.cells).toEqual(['plain', 'with,comma', 'with "quote"', 'two\nlines', '', '', '42', 'true']);
  });
});

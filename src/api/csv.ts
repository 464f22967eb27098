// CSV as RFC 4180 describes it: comma-separated cells, quoted with " where a cell holds a comma,
// a quote or a line break (a quote inside is doubled), rows ended by CRLF (LF accepted).

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'CsvSyntaxError';
  }
}

export interface CsvRow {
  /** The line the row starts on, counting from 1 (a quoted line break makes a row span lines). */
  line: number;
  cells: string[];
}

/** The rows of `text`; blank lines are skipped, a leading byte-order mark is ignored. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let line = 1;
  let cells: string[] = [];
  let cell = '';
  let rowLine = 1;
  let quoted = false;
  let wasQuoted = false;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    wasQuoted = false;
  };
  const endRow = () => {
    const blank = cells.length === 0 && cell === '' && !wasQuoted;
    endCell();
    if (!blank) rows.push({ line: rowLine, cells });
    cells = [];
  };
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvSyntaxError(line, 'text after a closing quote');
      } else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === '"') {
      if (cell !== '') throw new CsvSyntaxError(line, 'a quote inside an unquoted cell');
      quoted = true;
      wasQuoted = true;
    } else if (char === ',') {
      endCell();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      cell += char;
    }
  }
  if (quoted) throw new CsvSyntaxError(rowLine, 'a quoted cell is not closed');
  endRow();
  return rows;
}

/** One row, CRLF-terminated; null and undefined are empty cells. */
export function csvRow(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells
    .map((value) => {
      const text = value === null || value === undefined ? '' : String(value);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}

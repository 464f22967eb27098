// The id-tag CSV format, for bulk import and export. A header row names the columns (any order,
// matched case-insensitively; only idTag is required):
//   idTag            CiString20, unique case-insensitively within the file
//   status           Accepted (empty), Blocked, Expired, Invalid or ConcurrentTx
//   expiryDate       ISO 8601 date-time with a zone (2030-01-31T23:59:59Z), or empty: none
//   parentIdTag      the group, up to 20 characters, or empty: none
//   ownerName        up to 200 characters, or empty
//   internal         true/false (also yes/no, 1/0), empty: false
//   maxConcurrentTx  a whole number from 1, or empty: no limit
//   origin           operator (empty) or unknown_accepted
// An export has every column, so an export imports again unchanged.

import { CsvSyntaxError, csvRow, parseCsv } from '../../api/csv.js';
import type { IdTagFields, IdTagRow } from './id-tag-store.js';
import { ID_TAG_ORIGINS, ID_TAG_STATUSES } from './tables.js';

export const ID_TAG_CSV_COLUMNS = ['idTag', 'status', 'expiryDate', 'parentIdTag', 'ownerName', 'internal', 'maxConcurrentTx', 'origin'] as const;
type Column = (typeof ID_TAG_CSV_COLUMNS)[number];

export interface CsvIdTag {
  line: number;
  idTag: string;
  /** Only the columns the file has: an update leaves the others as they are. */
  fields: IdTagFields;
}
export interface CsvRowError {
  line: number;
  reason: string;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0', '']);

function oneOf<T extends string>(allowed: readonly T[], text: string, what: string): T {
  const found = allowed.find((value) => value.toLowerCase() === text.toLowerCase());
  if (found === undefined) throw new Error(`${what} "${text}" is not one of ${allowed.join(', ')}`);
  return found;
}

function idText(text: string, what: string): string {
  if (text.length > 20) throw new Error(`${what} "${text}" is longer than 20 characters`);
  return text;
}

/** Sets the field of `column` from its cell; throws with the reason a person can act on. */
function readCell(fields: IdTagFields, column: Exclude<Column, 'idTag'>, text: string): void {
  switch (column) {
    case 'status':
      fields.status = text === '' ? 'Accepted' : oneOf(ID_TAG_STATUSES, text, 'status');
      return;
    case 'expiryDate':
      if (text !== '' && (!ISO_DATE_TIME.test(text) || Number.isNaN(Date.parse(text)))) {
        throw new Error(`expiryDate "${text}" is not an ISO 8601 date-time with a zone, e.g. 2030-01-31T23:59:59Z`);
      }
      fields.expiryDate = text === '' ? null : new Date(text);
      return;
    case 'parentIdTag':
      fields.parentIdTag = text === '' ? null : idText(text, 'parentIdTag');
      return;
    case 'ownerName':
      if (text.length > 200) throw new Error('ownerName is longer than 200 characters');
      fields.ownerName = text === '' ? null : text;
      return;
    case 'internal':
      if (!TRUE.has(text.toLowerCase()) && !FALSE.has(text.toLowerCase())) throw new Error(`internal "${text}" is not true or false`);
      fields.internal = TRUE.has(text.toLowerCase());
      return;
    case 'maxConcurrentTx':
      if (text !== '' && !/^[1-9]\d{0,5}$/.test(text)) throw new Error(`maxConcurrentTx "${text}" is not a whole number from 1`);
      fields.maxConcurrentTx = text === '' ? null : Number(text);
      return;
    case 'origin':
      fields.origin = text === '' ? 'operator' : oneOf(ID_TAG_ORIGINS, text, 'origin');
      return;
  }
}

function readHeader(cells: string[]): Column[] {
  const columns = cells.map((cell) => {
    const name = cell.trim();
    const column = ID_TAG_CSV_COLUMNS.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (!column) throw new Error(`unknown column "${name}"; the columns are ${ID_TAG_CSV_COLUMNS.join(', ')}`);
    return column;
  });
  const repeated = columns.find((column, index) => columns.indexOf(column) !== index);
  if (repeated) throw new Error(`column ${repeated} appears twice`);
  if (!columns.includes('idTag')) throw new Error('the header has no idTag column');
  return columns;
}

/** Every valid row, and the reason for every invalid one (by line); the caller decides what to do with a file that has errors. */
export function readIdTagCsv(text: string): { tags: CsvIdTag[]; errors: CsvRowError[] } {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { tags: [], errors: [{ line: error.line, reason: error.message }] };
    throw error;
  }
  const [header, ...body] = rows;
  if (!header) return { tags: [], errors: [{ line: 1, reason: 'the file is empty; it needs a header row' }] };
  let columns: Column[];
  try {
    columns = readHeader(header.cells);
  } catch (error) {
    return { tags: [], errors: [{ line: header.line, reason: (error as Error).message }] };
  }

  const tags: CsvIdTag[] = [];
  const errors: CsvRowError[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, cells } of body) {
    try {
      if (cells.length !== columns.length) throw new Error(`the row has ${cells.length} cells, the header ${columns.length}`);
      const fields: IdTagFields = {};
      let idTag = '';
      columns.forEach((column, index) => {
        const text = cells[index]!.trim();
        if (column === 'idTag') idTag = idText(text, 'idTag');
        else readCell(fields, column, text);
      });
      if (idTag === '') throw new Error('idTag is empty');
      const seen = firstLine.get(idTag.toLowerCase());
      if (seen !== undefined) throw new Error(`idTag "${idTag}" is already on line ${seen} (id tags are case-insensitive)`);
      firstLine.set(idTag.toLowerCase(), line);
      tags.push({ line, idTag, fields });
    } catch (error) {
      errors.push({ line, reason: (error as Error).message });
    }
  }
  return { tags, errors };
}

export const idTagCsvHeader = (): string => csvRow(ID_TAG_CSV_COLUMNS);

export function idTagCsvRow(tag: IdTagRow): string {
  return csvRow([
    tag.idTag,
    tag.status,
    tag.expiryDate?.toISOString() ?? null,
    tag.parentIdTag,
    tag.ownerName,
    tag.internal,
    tag.maxConcurrentTx,
    tag.origin,
  ]);
}

// Id tags from a CSV file (an export from another backend, a spreadsheet): a header row naming
// the columns (idTag required; status, expiryDate, parentIdTag, internal optional; any order,
// letter case ignored), comma or semicolon separated, quoted fields as in RFC 4180.

import type { IdTagStatus } from '../api/types';

export interface IdTagImport {
  idTag: string;
  status?: IdTagStatus;
  expiryDate?: string | null;
  parentIdTag?: string | null;
  internal?: boolean;
}

export interface ParsedIdTags {
  tags: Array<{ line: number; tag: IdTagImport }>;
  errors: Array<{ line: number; message: string }>;
}

const STATUSES: IdTagStatus[] = ['Accepted', 'Blocked', 'Expired', 'Invalid'];
const COLUMNS = ['idtag', 'status', 'expirydate', 'parentidtag', 'internal'] as const;

/** Rows of fields, each with the line it starts on. */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    fields.push(field);
    if (fields.some((value) => value.trim() !== '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (char === separator) {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += char;
  }
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

const blankToNull = (value: string | undefined) => (value === undefined ? undefined : value.trim() === '' ? null : value.trim());

export function parseIdTagCsv(text: string): ParsedIdTags {
  const rows = parseCsv(text);
  const result: ParsedIdTags = { tags: [], errors: [] };
  const header = rows.shift();
  if (!header) return { tags: [], errors: [{ line: 1, message: 'The file is empty' }] };
  const names = header.fields.map((name) => name.trim().toLowerCase().replace(/[\s_-]/g, ''));
  const at = Object.fromEntries(COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<(typeof COLUMNS)[number], number>;
  if (at.idtag < 0) return { tags: [], errors: [{ line: header.line, message: 'The header row has no "idTag" column' }] };

  for (const { line, fields } of rows) {
    const cell = (column: (typeof COLUMNS)[number]) => (at[column] >= 0 ? fields[at[column]] : undefined);
    const idTag = cell('idtag')?.trim() ?? '';
    if (idTag === '' || idTag.length > 20) {
      result.errors.push({ line, message: idTag === '' ? 'No idTag' : `idTag "${idTag}" is longer than 20 characters` });
      continue;
    }
    const tag: IdTagImport = { idTag };
    const status = blankToNull(cell('status'));
    if (status) {
      const known = STATUSES.find((candidate) => candidate.toLowerCase() === status.toLowerCase());
      if (!known) {
        result.errors.push({ line, message: `Status "${status}" is not one of ${STATUSES.join(', ')}` });
        continue;
      }
      tag.status = known;
    }
    const expiry = blankToNull(cell('expirydate'));
    if (expiry !== undefined) {
      if (expiry !== null && Number.isNaN(Date.parse(expiry))) {
        result.errors.push({ line, message: `Expiry date "${expiry}" is not a date (use e.g. 2026-12-31 or 2026-12-31T23:59:59Z)` });
        continue;
      }
      tag.expiryDate = expiry === null ? null : new Date(expiry).toISOString();
    }
    const parent = blankToNull(cell('parentidtag'));
    if (parent !== undefined) tag.parentIdTag = parent;
    const internal = blankToNull(cell('internal'));
    if (internal) tag.internal = ['true', 'yes', '1', 'y'].includes(internal.toLowerCase());
    result.tags.push({ line, tag });
  }
  return result;
}

import { INDICATOR_KINDS } from '../normalize/indicator.js';
import { entryFields } from './entry-fields.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/** Column names, in order; the header row of every rendering. */
export const CSV_COLUMNS = [
  'value',
  'kind',
  'event_uuid',
  'event_id',
  'event_info',
  'tags',
  'tlp',
  'first_seen',
  'last_seen',
  'sources',
] as const;

// RFC 4180 section 2: records end with CRLF.
const EOL = '\r\n';

// Tags and sources share one cell each; MISP tag names rarely hold a semicolon, and a
// spreadsheet splits on it easily.
const LIST_SEPARATOR = ';';

// OWASP "CSV Injection": a cell a spreadsheet would read as a formula starts with one of these.
const FORMULA_START = /^[=+\-@\t\r]/;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One header row, then one row per entry with its MISP event, tags, TLP, first and last seen
 * (ISO 8601 UTC) and sources; empty cells for entries without provenance. RFC 4180 quoting and
 * CRLF endings. Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first,
 * such as an event info of `-` or `=HYPERLINK(…)`) get a leading `'`, as OWASP advises for CSV
 * injection; `entriesOf` takes it off the value column again. No comment, no timestamp.
 *
 * @example
 * csvRenderer.render([{ kind: 'ip', value: '192.0.2.1' }], context);
 * // 'value,kind,event_uuid,…,sources\r\n192.0.2.1,ip,,,,,,,,\r\n'
 */
export const csvRenderer: Renderer = {
  format: 'csv',
  contentType: 'text/csv; charset=utf-8; header=present',
  kinds: INDICATOR_KINDS,
  isOneToOne: true,
  needsProvenance: true,

  render(entries: ListEntries, _context: RenderContext): string {
    const rows = new Array<string>(entries.length + 2);
    rows[0] = CSV_COLUMNS.join(',');

    let row = 1;
    for (const entry of entries) {
      const f = entryFields(entry);
      rows[row++] = [
        f.value,
        f.kind,
        f.eventUuid ?? '',
        f.eventId ?? '',
        f.eventInfo ?? '',
        f.tags.join(LIST_SEPARATOR),
        f.tlp ?? '',
        f.firstSeen ?? '',
        f.lastSeen ?? '',
        f.sources.join(LIST_SEPARATOR),
      ]
        .map(csvCell)
        .join(',');
    }

    rows[row] = '';
    return rows.join(EOL);
  },

  entriesOf(content: string): string[] {
    return parseCsv(content)
      .slice(1)
      .map((record) => unneutralize(record[0] ?? ''))
      .filter((value) => value !== '');
  },
};

/**
 * One cell: formula-neutralized, then quoted when RFC 4180 requires it.
 *
 * @example
 * csvCell('=1+1'); // "'=1+1"
 * csvCell('a "b", c'); // '"a ""b"", c"'
 */
export function csvCell(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * Records of an RFC 4180 text (quoted fields may hold commas, quotes and line breaks); a
 * final line break does not start a record.
 *
 * @example
 * parseCsv('a,"b\r\nc"\r\n'); // [['a', 'b\r\nc']]
 */
export function parseCsv(content: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;

  while (i < content.length) {
    const char = content[i] as string;

    if (char === '"' && field === '') {
      const end = closingQuote(content, i + 1);
      field = content.slice(i + 1, end).replaceAll('""', '"');
      i = end + 1;
      continue;
    }

    if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (char === '\r' && content[i + 1] === '\n') i++;
    } else {
      field += char;
    }
    i++;
  }

  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

function closingQuote(content: string, from: number): number {
  let i = from;
  while (i < content.length) {
    if (content[i] === '"') {
      if (content[i + 1] !== '"') return i;
      i += 2;
    } else {
      i++;
    }
  }
  return content.length;
}

// Canonical values never start with a quote, so one followed by a formula character was ours.
function unneutralize(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

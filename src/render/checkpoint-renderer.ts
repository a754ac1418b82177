import { createHash } from 'node:crypto';

import type { IndicatorKind } from '../normalize/indicator.js';
import { INDICATOR_KINDS } from '../normalize/indicator.js';
import { bareDomain, ipv4Bounds } from './entry-forms.js';
import { emptyListNote } from './list-text.js';
import type { ListEntry, RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/**
 * The header record of the Check Point CSV format: the first line, prefixed with `#`.
 * https://supportcenter.us.checkpoint.com/supportcenter/portal?eventSubmit_doGoviewsolutiondetails=&solutionid=sk132193
 */
export const CHECKPOINT_HEADER = '# UNIQ-NAME,VALUE,TYPE,CONFIDENCE,SEVERITY,PRODUCT,COMMENT';

/**
 * Check Point Custom Intelligence Feeds (IoC feeds, `ioc_feeds` or SmartConsole) in the Check
 * Point CSV format: a `#` header naming the seven fields, then one observable per record.
 * https://sc1.checkpoint.com/documents/R81.10/WebAdminGuides/EN/CP_R81.10_ThreatPrevention_AdminGuide/Topics-TPG/Supported-Indicator-Files.htm
 *
 * - UNIQ-NAME must be unique: `iocrelay-` and 16 hex digits of the SHA-256 of type and value,
 *   so an observable keeps its name (and its device log name) from one run to the next.
 * - TYPE as Check Point spells it: `IP` (a single IPv4 address), `IP Range` (two IPv4
 *   addresses joined by `-`, which is how a CIDR is written), `Domain`, `URL`, `MD5`, `SHA1`,
 *   `SHA256`. IPv6 is not a documented observable, so IPv6 entries are left out.
 * - A `*.example.com` domain is written as `example.com`: the format has no wildcard.
 * - CONFIDENCE and SEVERITY are `high` (Check Point's default, written out). PRODUCT is `AB`
 *   (Anti-Bot, for network observables) for IPs, domains and URLs and `AV` (Anti-Virus, the
 *   only blade that reads file hashes) for hashes.
 * - COMMENT is the MISP event info of the entry, when it has one.
 * - Fields holding `,` or `"` are quoted, `"` doubled; records end in `\n` and never hold one.
 * - Lines starting with `#` are comments, so an empty list is the header and one `#` line.
 *
 * @example
 * checkpointRenderer.render(
 *   [{ kind: 'ip', value: '192.0.2.0/24' }],
 *   { tenant: 'acme', list: 'ioc.csv', generatedAt: 0 },
 * );
 * // '# UNIQ-NAME,VALUE,TYPE,CONFIDENCE,SEVERITY,PRODUCT,COMMENT\n'
 * // + 'iocrelay-…,192.0.2.0-192.0.2.255,IP Range,high,high,AB,\n'
 */
export const checkpointRenderer: Renderer = {
  format: 'checkpoint',
  contentType: 'text/csv; charset=utf-8',
  kinds: INDICATOR_KINDS,
  // COMMENT carries the MISP event info.
  needsProvenance: true,

  render(entries: ListEntries, context: RenderContext): string {
    const records = [CHECKPOINT_HEADER];
    const written = new Set<string>();

    for (const entry of entries) {
      const observable = observableOf(entry);
      if (observable === null) {
        context.onLeftOut?.(entry.kind === 'ip' ? 'ipv6' : entry.kind, entry);
        continue;
      }

      // Two entries can give one observable (`example.com` and `*.example.com`); write it once.
      const key = `${observable.type}\n${observable.value}`;
      if (written.has(key)) continue;
      written.add(key);

      records.push(formatRecord(observable, entry));
    }

    if (records.length === 1) records.push(emptyListNote(context));
    return `${records.join('\n')}\n`;
  },

  entriesOf(content: string): string[] {
    const values: string[] = [];
    for (const raw of content.split('\n')) {
      const line = raw.replace(/\r$/, '');
      if (line === '' || line.startsWith('#')) continue;

      const value = parseCsvRecord(line)[1];
      if (value !== undefined) values.push(value);
    }
    return values;
  },
};

interface Observable {
  readonly value: string;
  readonly type: string;
  /** `AB` Anti-Bot or `AV` Anti-Virus: the blade that reads it. */
  readonly product: 'AB' | 'AV';
}

const HASH_TYPES: Partial<Record<IndicatorKind, string>> = {
  md5: 'MD5',
  sha1: 'SHA1',
  sha256: 'SHA256',
};

function observableOf(entry: ListEntry): Observable | null {
  if (entry.kind === 'domain') {
    return { value: bareDomain(entry.value), type: 'Domain', product: 'AB' };
  }
  if (entry.kind === 'url') return { value: entry.value, type: 'URL', product: 'AB' };

  if (entry.kind === 'ip') {
    // Null for IPv6: the format documents IPv4 only.
    const bounds = ipv4Bounds(entry.value);
    if (bounds === null) return null;
    return bounds.size === 1
      ? { value: bounds.first, type: 'IP', product: 'AB' }
      : { value: `${bounds.first}-${bounds.last}`, type: 'IP Range', product: 'AB' };
  }

  const type = HASH_TYPES[entry.kind];
  return type === undefined ? null : { value: entry.value, type, product: 'AV' };
}

function formatRecord(observable: Observable, entry: ListEntry): string {
  const name = `iocrelay-${createHash('sha256')
    .update(`${observable.type}\n${observable.value}`)
    .digest('hex')
    .slice(0, 16)}`;

  // A record is one line: Check Point splits records on `\n`, quoted or not.
  const comment = (entry.provenance?.eventInfo ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ');

  return [name, observable.value, observable.type, 'high', 'high', observable.product, comment]
    .map(csvField)
    .join(',');
}

function csvField(value: string): string {
  return /[",]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// RFC 4180 fields of one record: quoted fields may hold `,` and doubled `""`.
function parseCsvRecord(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          field += line[i];
          i++;
        }
      }
      const comma = line.indexOf(',', i);
      fields.push(field);
      if (comma < 0) return fields;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      fields.push(comma < 0 ? line.slice(i) : line.slice(i, comma));
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

import type { IndicatorKind } from '../normalize/indicator.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/**
 * What one Suricata file holds, by indicator kind. Suricata loads one type per file, so a
 * suricata list carries kinds of a single file type only; config must refuse a list whose
 * `types:` map to two of them (see {@link suricataFileType}).
 *
 * - `iprep`: IP reputation (`<ip or CIDR>,<category>,<score>`); datasets of type `ip` take no
 *   CIDR, IP reputation takes both families and CIDRs (Suricata user guide, "IP Reputation
 *   Format").
 * - `string`: dataset of type string, one base64 value per line (user guide, "Datasets", file
 *   formats), matched against `dns.query`.
 * - `md5`, `sha256`: datasets of those types, one lowercase hex hash per line.
 */
export type SuricataFileType = 'iprep' | 'string' | 'md5' | 'sha256';

/** Kinds Suricata can match; url and sha1 have no dataset type or sticky buffer to match. */
export const SURICATA_KINDS: readonly IndicatorKind[] = ['ip', 'domain', 'md5', 'sha256'];

/** IP reputation category every iocrelay entry is put in. */
export const SURICATA_IPREP_CATEGORY = 1;

/**
 * The categories file that goes with an iprep rendering (`reputation-categories-file` in
 * suricata.yaml); rules then read `iprep:dst,iocrelay,>,0`.
 */
export const SURICATA_IPREP_CATEGORIES = `${SURICATA_IPREP_CATEGORY},iocrelay,Indicators published by iocrelay\n`;

// Confidence 1..127 (IP reputation format); every listed entry is a blocklist hit, so the top.
const IPREP_SCORE = 127;

const FILE_TYPES: Readonly<Partial<Record<IndicatorKind, SuricataFileType>>> = {
  ip: 'iprep',
  domain: 'string',
  md5: 'md5',
  sha256: 'sha256',
};

/**
 * Files for Suricata, one type per list: IP reputation for `ip`, datasets for the rest.
 * Neither format allows a comment line (a dataset loader treats any line as data and stops
 * Suricata on one it cannot parse), so there is no header, and an empty list is an empty file.
 * Domain datasets match exact names only; a rule should lowercase first:
 * `dns.query; to_lowercase; dataset:isset,iocrelay-domains, type string, load domains.lst;`.
 * A wildcard entry (`*.evil.example`) is written as its bare name, once: a dataset has no
 * wildcards, and the literal `*.` would never match a query.
 *
 * @example
 * suricataRenderer.render([{ kind: 'ip', value: '198.51.100.0/24' }], context);
 * // '198.51.100.0/24,1,127\n'
 * suricataRenderer.render([{ kind: 'domain', value: 'evil.example' }], context);
 * // 'ZXZpbC5leGFtcGxl\n'
 */
export const suricataRenderer: Renderer = {
  format: 'suricata',
  contentType: 'text/plain; charset=utf-8',
  kinds: SURICATA_KINDS,
  // One file is one Suricata file type: ip reputation, or one dataset type.
  kindsProblem: (types) =>
    new Set(types.filter((kind) => SURICATA_KINDS.includes(kind)).map(suricataFileType)).size > 1
      ? `format suricata writes one file type per list (ip, domain, md5 or sha256), not ${types.join(' + ')}`
      : null,

  render(entries: ListEntries, context: RenderContext): string {
    const [first] = entries;
    if (first === undefined) return '';

    const type = suricataFileType(first.kind);
    const lines: string[] = [];
    const names = type === 'string' ? new Set<string>() : null;

    for (const entry of entries) {
      // Config refuses such lists up front; a mixed file would stop Suricata at load.
      if (suricataFileType(entry.kind) !== type) {
        throw new Error(
          `suricata list ${context.tenant}/${context.list} mixes ${first.kind} and ${entry.kind}; ` +
            'give each Suricata file type its own list',
        );
      }
      if (names !== null) {
        const name = entry.value.startsWith('*.') ? entry.value.slice(2) : entry.value;
        if (names.has(name)) continue;
        names.add(name);
        lines.push(suricataLine(type, name));
      } else {
        lines.push(suricataLine(type, entry.value));
      }
    }

    lines.push('');
    return lines.join('\n');
  },

  entriesOf(content: string): string[] {
    return content
      .split('\n')
      .filter((line) => line !== '')
      .map(valueOfLine);
  },
};

/**
 * The Suricata file type an indicator kind is written as; throws for kinds Suricata cannot
 * match, which `kinds` already keeps out.
 *
 * @example
 * suricataFileType('domain'); // 'string'
 */
export function suricataFileType(kind: IndicatorKind): SuricataFileType {
  const type = FILE_TYPES[kind];
  if (type === undefined) throw new Error(`suricata: ${kind} has no Suricata file type`);
  return type;
}

function suricataLine(type: SuricataFileType, value: string): string {
  if (type === 'iprep') return `${value},${SURICATA_IPREP_CATEGORY},${IPREP_SCORE}`;
  if (type === 'string') return Buffer.from(value, 'utf8').toString('base64');
  return value;
}

// A file holds one type, but the lines do not say which. A line with a comma is iprep, one of
// 32 or 64 lowercase hex characters a hash, anything else base64. A 24- or 48-byte domain
// whose base64 form happens to be all lowercase hex would be misread; each of its 32 or more
// characters would have to fall in 16 of 64 symbols, a chance far below 1e-18.
function valueOfLine(line: string): string {
  const comma = line.indexOf(',');
  if (comma >= 0) return line.slice(0, comma);
  if (/^(?:[0-9a-f]{32}|[0-9a-f]{64})$/.test(line)) return line;
  return Buffer.from(line, 'base64').toString('utf8');
}

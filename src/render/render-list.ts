import { normalizeIp } from '../normalize/normalize-ip.js';
import type { ListEntries } from './list-entries.js';
import type { ListEntry, RenderContext, Renderer } from './renderer.js';

/** A rendered list: the bytes a device loads and what they hold. */
export interface RenderedList {
  /** The file's bytes (UTF-8). */
  readonly content: Buffer;
  /**
   * Entries the file holds, counted by the format's own rules (`entriesOf`): the count the
   * feed server sends as `X-Entry-Count` and the run summary shows. It differs from the list's
   * entries where a format writes one entry as two lines (`x` and `*.x` in PAN-OS), several as
   * one (http and https forms of a URL) or leaves some out.
   */
  readonly entries: number;
  /** List entries the format could not carry, by reason; empty when none. */
  readonly leftOut: Readonly<Record<string, number>>;
}

/**
 * Renders a list and counts what the file holds. The count is read back from the content with
 * the same `entriesOf` that counts a file already on disk when `iocrelay serve` starts, so the
 * two agree; a format that writes every entry once (`isOneToOne`) is counted without reading.
 *
 * @example
 * renderList(paloaltoRenderer, entries, { tenant: 'acme', list: 'urls.txt', generatedAt: 0 });
 * // { content: 'evil.example/login\n', entries: 1, leftOut: {} }
 */
export function renderList(
  renderer: Renderer,
  entries: ListEntries,
  context: RenderContext,
): RenderedList {
  const leftOut: Record<string, number> = {};
  const listed = unmappedEntries(entries);
  const withLeftOut: RenderContext = {
    ...context,
    onLeftOut: (reason) => {
      leftOut[reason] = (leftOut[reason] ?? 0) + 1;
    },
  };
  if (renderer.renderBytes !== undefined && renderer.isOneToOne === true) {
    return { content: renderer.renderBytes(listed, withLeftOut), entries: listed.length, leftOut };
  }
  // The text lives only in here: a big list is not held as text and as bytes at once.
  const text = renderer.render(listed, withLeftOut);
  const count = renderer.isOneToOne === true ? listed.length : renderer.entriesOf(text).length;
  return { content: Buffer.from(text, 'utf8'), entries: count, leftOut };
}

// IPv4-mapped addresses are normalized to IPv4, but an indicator stored before that keeps its
// `::ffff:` value until MISP changes the attribute (an unchanged attribute is not normalized
// again). It is written as IPv4 too, once when the IPv4 value is listed as well: `ipset
// restore` fails on an address added twice.
function unmappedEntries(entries: ListEntries): ListEntries {
  if (!hasMappedIp(entries)) return entries;

  const seen = new Set<string>();
  const out: ListEntry[] = [];
  for (const entry of entries) {
    let value = entry.value;
    if (isMappedIp(entry)) {
      const ip = normalizeIp(value, true);
      if ('kind' in ip) value = ip.value;
    }
    if (entry.kind === 'ip') {
      if (seen.has(value)) continue;
      seen.add(value);
    }
    out.push(value === entry.value ? entry : { ...entry, value });
  }
  return out;
}

function hasMappedIp(entries: ListEntries): boolean {
  for (const entry of entries) if (isMappedIp(entry)) return true;
  return false;
}

function isMappedIp(entry: ListEntry): boolean {
  return entry.kind === 'ip' && entry.value.startsWith('::ffff:') && entry.value.includes('.');
}

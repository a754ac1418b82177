import { splitCanonicalUrl } from '../policy/split-canonical-url.js';
import { bareDomain } from './entry-forms.js';
import { emptyListNote, joinLines, readListLines } from './list-text.js';
import type { ListEntry, RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/**
 * PAN-OS rejects a domain or URL entry longer than this; it skips the line as invalid.
 * https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-admin/policy/use-an-external-dynamic-list-in-policy/formatting-guidelines-for-an-external-dynamic-list/domain-list
 * https://docs.paloaltonetworks.com/advanced-url-filtering/administration/configuring-url-filtering/url-category-exceptions/guidelines-for-url-category-exceptions
 */
export const PANOS_MAX_ENTRY_LENGTH = 255;

/**
 * PAN-OS external dynamic lists (EDL) of type IP address, Domain and URL: one entry per line.
 *
 * - IP: addresses, CIDRs and IPv6 as they are; PAN-OS reads all of them.
 * - Domain: a `*.example.com` entry matches subdomains only, never `example.com` itself, so
 *   the bare domain is written first (once) and the wildcard after it.
 * - URL: PAN-OS URL entries carry no scheme ("Omit http and https from URL entries"), so
 *   `http://` and `https://` forms of one URL become one line. The port is dropped too: PAN-OS
 *   matches URLs by host and path, and Palo Alto's own EDL service strips ports for PAN-OS
 *   (https://github.com/demisto/content/blob/master/Packs/EDL/Integrations/EDL/README.md).
 *   A fragment never reaches the firewall, so it is dropped.
 * - An entry longer than 255 characters is left out: PAN-OS would skip it as invalid on every
 *   refresh, and cutting it short would block a different, broader URL. So is a URL holding
 *   `*` or `^`, which PAN-OS reads as wildcard tokens that would widen the entry.
 * - An EDL has one type; the firewall skips entries of another type (a URL EDL skips IPs), so a
 *   list mixing kinds is written per kind but only the kind of the EDL is enforced.
 * - An empty list is one `#` line: Palo Alto's EDL service serves `# Empty EDL` for the same
 *   case, and the firewall then holds no entries.
 *
 * @example
 * paloaltoRenderer.render(
 *   [{ kind: 'url', value: 'https://evil.example:8443/login' }],
 *   { tenant: 'acme', list: 'urls.txt', generatedAt: 0 },
 * );
 * // 'evil.example/login\n'
 */
export const paloaltoRenderer: Renderer = {
  format: 'paloalto',
  contentType: 'text/plain; charset=utf-8',
  kinds: ['ip', 'domain', 'url'],
  // An EDL has one type (IP, domain or URL) and the firewall skips entries of the others.
  kindsProblem: (types) =>
    types.length > 1
      ? `a PAN-OS external dynamic list has one type: give ${types.join(', ')} a list each`
      : null,

  render(entries: ListEntries, context: RenderContext): string {
    // A Set keeps first-seen order and writes a line once (http and https forms of one URL).
    const lines = new Set<string>();
    for (const entry of entries) {
      const reason = addEntry(lines, entry);
      if (reason !== null) context.onLeftOut?.(reason, entry);
    }

    return lines.size === 0 ? `${emptyListNote(context)}\n` : joinLines(lines);
  },

  entriesOf(content: string): string[] {
    return readListLines(content);
  },
};

// Adds an entry's lines; returns why it was left out, or null.
function addEntry(lines: Set<string>, entry: ListEntry): string | null {
  if (entry.kind === 'ip') {
    lines.add(entry.value);
    return null;
  }

  if (entry.kind === 'domain') {
    if (entry.value.length > PANOS_MAX_ENTRY_LENGTH) return 'too long';
    if (entry.value.startsWith('*.')) lines.add(bareDomain(entry.value));
    lines.add(entry.value);
    return null;
  }

  // Hashes cannot be carried (see `kinds`); a config check refuses such a list before this.
  if (entry.kind !== 'url') return entry.kind;

  const url = panosUrl(entry.value);
  if (url.length > PANOS_MAX_ENTRY_LENGTH) return 'too long';
  if (/[*^]/.test(url)) return 'wildcard in url';
  lines.add(url);
  return null;
}

// `evil.example:8443/a?b#c` → `evil.example/a?b`. The authority of a canonical URL is a host
// and an optional `:port`; an IPv6 host keeps its brackets.
function panosUrl(value: string): string {
  const { authority, rest } = splitCanonicalUrl(value);
  const host = authority.replace(/:\d+$/, '');
  const hash = rest.indexOf('#');
  return host + (hash < 0 ? rest : rest.slice(0, hash));
}

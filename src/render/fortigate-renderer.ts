import { INDICATOR_KINDS } from '../normalize/indicator.js';
import { bareDomain } from './entry-forms.js';
import { emptyListNote, joinLines, readListLines } from './list-text.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/**
 * FortiGate external threat feeds (Security Fabric > External Connectors): IP Address, Domain
 * Name, FortiGuard Category (URLs) and Malware Hash feeds, one entry per line.
 * https://docs.fortinet.com/document/fortigate/7.0.11/administration-guide/9463
 *
 * - IP: addresses, CIDRs and IPv6 as they are (the IP feed takes IP, range or subnet per line).
 * - Domain: simple `*` wildcards are supported, and `*.example.com` needs at least one label
 *   before `example.com`, so the bare domain is written first (once), then the wildcard.
 * - URL: written whole, scheme and port included, as Fortinet's examples show
 *   (`http://example.com:8080/url`); an IPv6 host stays in brackets. A URL holding `*` is left
 *   out: in a URL feed `*` is a wildcard ("Wildcards (*) at the start or end are supported",
 *   Fortinet's threat-feed file formats, link below) and no escape for a literal `*` is
 *   documented, so `http://evil.example/*` would block the whole site. `^` has no documented
 *   meaning in a URL feed and is written as it is.
 * - Hashes: MD5, SHA1 and SHA256 one per line (Malware Hash feed). Fortinet advises one hash
 *   type per feed for speed; that is the list's `types:` choice, not the renderer's.
 * - A feed is read as one type; entries of another kind count as error lines on the device.
 * - Limits: a line is at most 4K characters (canonical URLs stop at 2048), the file 10 MB or
 *   128K entries before FortiOS 7.4.4, a per-model total after; past it FortiOS truncates.
 *   https://community.fortinet.com/t5/FortiGate/Technical-Tip-External-threat-list-resource-entry-limits/ta-p/378964
 * - An empty list is one `#` comment line. Fortinet documents `#` comments for the shared
 *   threat-feed file format (FortiMail); FortiGate loads an emptied feed as no entries.
 *   https://docs.fortinet.com/document/fortimail/latest/administration-guide/239145/types-and-file-formats-of-threat-feeds
 *   https://community.fortinet.com/t5/FortiGate/Technical-Tip-FortiGate-behavior-when-external-threat-feed-list/ta-p/421802
 *
 * @example
 * fortigateRenderer.render(
 *   [{ kind: 'domain', value: '*.evil.example' }],
 *   { tenant: 'acme', list: 'domains.txt', generatedAt: 0 },
 * );
 * // 'evil.example\n*.evil.example\n'
 */
export const fortigateRenderer: Renderer = {
  format: 'fortigate',
  contentType: 'text/plain; charset=utf-8',
  kinds: INDICATOR_KINDS,

  render(entries: ListEntries, context: RenderContext): string {
    // A Set keeps first-seen order and writes the bare domain of a wildcard once.
    const lines = new Set<string>();
    for (const entry of entries) {
      if (entry.kind === 'url' && entry.value.includes('*')) {
        context.onLeftOut?.('wildcard in url', entry);
        continue;
      }
      if (entry.kind === 'domain' && entry.value.startsWith('*.')) {
        lines.add(bareDomain(entry.value));
      }
      lines.add(entry.value);
    }
    return lines.size === 0 ? `${emptyListNote(context)}\n` : joinLines(lines);
  },

  entriesOf(content: string): string[] {
    return readListLines(content);
  },
};

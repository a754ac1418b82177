import { bareDomain, ipv4Addresses, ipv4Bounds, isIPv6Entry } from './entry-forms.js';
import { joinLines } from './list-text.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/**
 * The largest IPv4 network written out address by address. Aggregated networks and small
 * CIDRs from MISP stay blocked this way; a larger one would be thousands of lines for a feed
 * meant for single indicators.
 */
export const SOPHOS_MAX_EXPANDED_ADDRESSES = 256;

/**
 * Sophos Firewall third-party threat feeds (Active threat response): a plain text file with one
 * indicator per line and nothing else, "Don't add any comments or other information".
 * https://docs.sophos.com/nsg/sophos-firewall/21.0/Help/en-us/webhelp/onlinehelp/AdministratorHelp/ActiveThreatResponse/ConfigureFeeds/ThirdPartyThreatFeeds/Requirements/index.html
 *
 * - Supported: IPv4 addresses, domains, URLs. Not supported: IPv4 ranges, network addresses
 *   (CIDRs), IPv6, wildcard domains, regular expressions.
 * - IP: a CIDR of at most 256 addresses is written as its addresses; a larger one and every
 *   IPv6 entry are left out, since the firewall would not read them.
 * - Domain: `*.example.com` is written as `example.com`, wildcards not being read.
 * - URL: written whole, as iocrelay holds it.
 * - A feed is configured per indicator type and the firewall evaluates only that type.
 * - An empty list is an empty file (zero bytes): a comment line is not allowed.
 *
 * @example
 * sophosRenderer.render(
 *   [{ kind: 'ip', value: '192.0.2.0/31' }],
 *   { tenant: 'acme', list: 'ip.txt', generatedAt: 0 },
 * );
 * // '192.0.2.0\n192.0.2.1\n'
 */
export const sophosRenderer: Renderer = {
  format: 'sophos',
  contentType: 'text/plain; charset=utf-8',
  kinds: ['ip', 'domain', 'url'],

  render(entries: ListEntries, context: RenderContext): string {
    // A Set keeps first-seen order and writes an address once when networks overlap.
    const lines = new Set<string>();
    for (const entry of entries) {
      if (entry.kind === 'url') lines.add(entry.value);
      else if (entry.kind === 'domain') lines.add(bareDomain(entry.value));
      else if (entry.kind === 'ip' && !addIPv4(lines, entry.value)) {
        context.onLeftOut?.(isIPv6Entry(entry.value) ? 'ipv6' : 'network too large', entry);
      }
    }
    return joinLines(lines);
  },

  entriesOf(content: string): string[] {
    return content
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  },
};

// Whether the entry could be written.
function addIPv4(lines: Set<string>, value: string): boolean {
  // Null for IPv6, which Sophos threat feeds do not read.
  const bounds = ipv4Bounds(value);
  if (bounds === null || bounds.size > SOPHOS_MAX_EXPANDED_ADDRESSES) return false;

  for (const address of ipv4Addresses(bounds)) lines.add(address);
  return true;
}

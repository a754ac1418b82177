import { bareDomain } from './entry-forms.js';
import { emptyListNote, joinLines, readListLines } from './list-text.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/**
 * Cisco Secure Firewall Management Center (FMC) Security Intelligence lists and feeds: Network
 * (IP), URL and DNS lists, one entry per line in a plain text file.
 * https://docs.defenseorchestrator.com/cdfmc/c_custom_security_intelligence_lists_2.html
 * https://docs.defenseorchestrator.com/cdfmc/r_custom-list-and-feed-requirements_2.html
 *
 * - IP: addresses and address blocks of both families (netmask 0-32 / 0-128; a /0 is refused
 *   by the FMC and never reaches a list, the normalizer refuses it first).
 * - Domain: a listed domain also matches its sub-level domains, so `*.example.com` is written
 *   as `example.com`: the FMC's `*` stands for one label and would miss deeper subdomains.
 *   Domains are punycode and compared without case, as iocrelay writes them.
 * - URL: written whole with its scheme, as the FMC's own examples show (`http://192.168.0.2`).
 * - Lines starting with `#` are comments, so an empty list is one `#` line.
 *   Known limit: the FMC keeps the previous feed data when a download holds no recognizable
 *   entry (unless it is the first download), so an emptied feed does not clear the device.
 *   https://manualsbrain.com/en/manuals/1704097/?page=149
 * - The file may be up to 500 MB. For update intervals of 30 minutes or less the FMC wants an
 *   MD5 URL next to the feed; that is for the server side to offer.
 *
 * @example
 * ciscoRenderer.render(
 *   [{ kind: 'domain', value: '*.evil.example' }],
 *   { tenant: 'acme', list: 'dns.txt', generatedAt: 0 },
 * );
 * // 'evil.example\n'
 */
export const ciscoRenderer: Renderer = {
  format: 'cisco',
  contentType: 'text/plain; charset=utf-8',
  kinds: ['ip', 'domain', 'url'],

  render(entries: ListEntries, context: RenderContext): string {
    // A Set keeps first-seen order and writes `example.com` once when both it and
    // `*.example.com` are listed.
    const lines = new Set<string>();
    for (const entry of entries) {
      // Hashes cannot be carried (see `kinds`); a config check refuses such a list before this.
      if (entry.kind === 'ip' || entry.kind === 'url') lines.add(entry.value);
      else if (entry.kind === 'domain') lines.add(bareDomain(entry.value));
    }

    return lines.size === 0 ? `${emptyListNote(context)}\n` : joinLines(lines);
  },

  entriesOf(content: string): string[] {
    return readListLines(content);
  },
};

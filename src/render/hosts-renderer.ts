import { bareDomain } from './entry-forms.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

/**
 * A hosts file: each domain as `0.0.0.0 name` and `:: name`. The IPv6 line is there because
 * a hosts lookup answers per address family: glibc's files backend, asked for IPv6 only, finds
 * no `::` line, reports "not found" and lets the lookup go on to DNS, which returns the real
 * address. `0.0.0.0` rather than `127.0.0.1`: a connection fails at once instead of reaching
 * a local service. Hosts files match exact names only, so subdomains are not blocked (use the
 * rpz format for that). A hosts file has no wildcards either (hosts(5): a line holds an
 * address and host names), so a `*.example.com` entry is written as `example.com`, once when
 * both are listed, as the checkpoint and sophos formats do. One `#` header line with the list
 * name and the count of names written, no timestamp.
 *
 * @example
 * hostsRenderer.render([{ kind: 'domain', value: '*.evil.example' }], context);
 * // '# iocrelay: acme/ads.hosts, 1 names\n0.0.0.0 evil.example\n:: evil.example\n'
 */
export const hostsRenderer: Renderer = {
  format: 'hosts',
  contentType: 'text/plain; charset=utf-8',
  kinds: ['domain'],

  render(entries: ListEntries, context: RenderContext): string {
    // A Set keeps first-seen order and writes `example.com` once for it and `*.example.com`.
    const names = new Set<string>();
    for (const entry of entries) names.add(bareDomain(entry.value));

    const lines = new Array<string>(names.size * 2 + 2);
    lines[0] = `# iocrelay: ${context.tenant}/${context.list}, ${names.size} names`;

    let i = 1;
    for (const name of names) {
      lines[i++] = `0.0.0.0 ${name}`;
      lines[i++] = `:: ${name}`;
    }

    lines[i] = '';
    return lines.join('\n');
  },

  entriesOf(content: string): string[] {
    return content
      .split('\n')
      .filter((line) => line.startsWith('0.0.0.0 '))
      .map((line) => line.slice('0.0.0.0 '.length));
  },
};

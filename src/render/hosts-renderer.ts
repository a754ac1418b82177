import type { ListEntry, RenderContext, Renderer } from './renderer.js';

/**
 * A hosts file: each domain as `0.0.0.0 name` and `:: name`. The IPv6 line is there because
 * a hosts lookup answers per address family: glibc's files backend, asked for IPv6 only, finds
 * no `::` line, reports "not found" and lets the lookup go on to DNS, which returns the real
 * address. `0.0.0.0` rather than `127.0.0.1`: a connection fails at once instead of reaching
 * a local service. Hosts files match exact names only, so subdomains are not blocked (use the
 * rpz format for that). One `#` header line with the list name and count, no timestamp.
 *
 * @example
 * hostsRenderer.render([{ kind: 'domain', value: 'evil.example' }], context);
 * // '# iocrelay: acme/ads.hosts, 1 names\n0.0.0.0 evil.example\n:: evil.example\n'
 */
export const hostsRenderer: Renderer = {
  format: 'hosts',
  contentType: 'text/plain; charset=utf-8',
  kinds: ['domain'],

  render(entries: readonly ListEntry[], context: RenderContext): string {
    const lines = new Array<string>(entries.length * 2 + 2);
    lines[0] = `# iocrelay: ${context.tenant}/${context.list}, ${entries.length} names`;

    for (let i = 0; i < entries.length; i++) {
      const name = (entries[i] as ListEntry).value;
      lines[i * 2 + 1] = `0.0.0.0 ${name}`;
      lines[i * 2 + 2] = `:: ${name}`;
    }

    lines[entries.length * 2 + 1] = '';
    return lines.join('\n');
  },

  entriesOf(content: string): string[] {
    return content
      .split('\n')
      .filter((line) => line.startsWith('0.0.0.0 '))
      .map((line) => line.slice('0.0.0.0 '.length));
  },
};

import { deviceName } from './device-name.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';
import { splitIpFamilies } from './split-ip-families.js';

// iptables refuses chain names of 29 characters or more ("must be under 29 chars").
const CHAIN_MAX = 28;

/**
 * An `iptables-restore --noflush` file for the IPv4 entries of a list: chain
 * `iocrelay_<tenant>_<list>` in table filter, declared (created on a fresh system), flushed
 * and refilled with a DROP rule per entry for each direction (`-s` for scanners and senders,
 * `-d` for command-and-control destinations). The restore commits the table in one step, so
 * the chain is never seen empty. The operator jumps to the chain once from INPUT, FORWARD or
 * OUTPUT; a jump in this file would be added again on every load under `--noflush`.
 *
 * IPv6 entries are left out, with a comment saying how many: `iptables-restore` parses IPv4
 * only, so one file cannot carry both families. `ip6tablesRenderer` renders them. One linear
 * rule per entry and direction gets slow past a few thousand entries; the ipset or nftables
 * format is the one to use for large lists.
 *
 * @example
 * iptablesRenderer.render([{ kind: 'ip', value: '192.0.2.1' }], { tenant: 'acme', list: 'ip.txt', generatedAt: 0 });
 * // '…*filter\n:iocrelay_acme_ip_txt - [0:0]\n-F iocrelay_acme_ip_txt\n-A iocrelay_acme_ip_txt -s 192.0.2.1 -j DROP\n…COMMIT\n'
 */
export const iptablesRenderer: Renderer = chainRenderer('iptables', 4);

/**
 * The `ip6tables-restore --noflush` counterpart of `iptablesRenderer`: the same chain name and
 * layout for the IPv6 entries of a list; IPv4 entries are left out, with a comment.
 *
 * @example
 * ip6tablesRenderer.render([{ kind: 'ip', value: '2001:db8::1' }], { tenant: 'acme', list: 'ip.txt', generatedAt: 0 });
 * // '…-A iocrelay_acme_ip_txt -s 2001:db8::1 -j DROP\n…'
 */
export const ip6tablesRenderer: Renderer = chainRenderer('ip6tables', 6);

/**
 * The chain a list's rules live in, the same for iptables and ip6tables.
 *
 * @example
 * iptablesChainName({ tenant: 'acme', list: 'ip.txt', generatedAt: 0 }); // 'iocrelay_acme_ip_txt'
 */
export function iptablesChainName(context: RenderContext): string {
  return deviceName(context, CHAIN_MAX);
}

function chainRenderer(tool: 'iptables' | 'ip6tables', family: 4 | 6): Renderer {
  const other = family === 4 ? 'IPv6' : 'IPv4';
  const otherTool = family === 4 ? 'ip6tables' : 'iptables';

  return {
    format: tool,
    contentType: 'text/plain; charset=utf-8',
    kinds: ['ip'],

    render(entries: ListEntries, context: RenderContext): string {
      const families = splitIpFamilies(entries);
      const [values, skipped] =
        family === 4 ? [families.ipv4, families.ipv6] : [families.ipv6, families.ipv4];
      const chain = iptablesChainName(context);

      const lines = [
        `# iocrelay ${context.tenant}/${context.list}: ${values.length} IPv${family}`,
        `# load with \`${tool}-restore --noflush FILE\`; jump to ${chain} from your own rules`,
      ];
      if (skipped.length > 0) {
        lines.push(`# left out: ${skipped.length} ${other}, see the ${otherTool} format`);
      }
      lines.push('*filter', `:${chain} - [0:0]`, `-F ${chain}`);
      for (const value of values) {
        lines.push(`-A ${chain} -s ${value} -j DROP`, `-A ${chain} -d ${value} -j DROP`);
      }
      lines.push('COMMIT', '');
      return lines.join('\n');
    },

    entriesOf(content: string): string[] {
      const values: string[] = [];
      for (const line of content.split('\n')) {
        const match = /^-A \S+ -s (\S+) -j DROP$/.exec(line);
        if (match?.[1] !== undefined) values.push(match[1]);
      }
      return values;
    },
  };
}

import { deviceName } from './device-name.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';
import { splitIpFamilies } from './split-ip-families.js';

/** The table every iocrelay set lives in; rules that use the sets must sit in it too. */
export const NFTABLES_TABLE = 'inet iocrelay';

// nft itself takes 255 characters (kernel 4.14+); 60 keeps names readable and leaves room for
// the `_v4`/`_v6` suffix.
const NAME_MAX = 60;

/**
 * An `nft -f` file that replaces a list's two sets (IPv4 and IPv6) in one transaction. The
 * idiom is `add table` / `add set` (no-ops when they exist, so a fresh system loads it too),
 * then `flush set` and `add element`: nft sends the whole file as one netlink batch, so the
 * kernel never shows a set emptied between flush and re-add (wiki.nftables.org, "Atomic rule
 * replacement"). `destroy` would need nft 1.0.8 and Linux 6.3, which Debian 12 lacks. Sets
 * carry `flags interval` for CIDRs and `auto-merge` so that overlapping entries (a /24 and an
 * address inside it) merge instead of failing with "conflicting intervals".
 *
 * The file holds sets only: rules that match them (`ip saddr @<set> drop`) are the operator's
 * and must be in table `inet iocrelay`, since nftables sets are table-scoped.
 *
 * @example
 * nftablesRenderer.render([{ kind: 'ip', value: '192.0.2.1' }], { tenant: 'acme', list: 'ip.txt', generatedAt: 0 });
 * // '# iocrelay acme/ip.txt …\nadd table inet iocrelay\n…add element inet iocrelay iocrelay_acme_ip_txt_v4 {\n\t192.0.2.1\n}\n'
 */
export const nftablesRenderer: Renderer = {
  format: 'nftables',
  contentType: 'text/plain; charset=utf-8',
  kinds: ['ip'],
  isOneToOne: true,

  render(entries: ListEntries, context: RenderContext): string {
    const { ipv4, ipv6 } = splitIpFamilies(entries);
    const { v4, v6 } = nftablesSetNames(context);

    const lines = [
      `# iocrelay ${context.tenant}/${context.list}: ${ipv4.length} IPv4, ${ipv6.length} IPv6`,
      '# load with `nft -f FILE`; replaces both sets in one transaction',
      `add table ${NFTABLES_TABLE}`,
      `add set ${NFTABLES_TABLE} ${v4} { type ipv4_addr; flags interval; auto-merge; }`,
      `add set ${NFTABLES_TABLE} ${v6} { type ipv6_addr; flags interval; auto-merge; }`,
      `flush set ${NFTABLES_TABLE} ${v4}`,
      `flush set ${NFTABLES_TABLE} ${v6}`,
      ...elementBlock(v4, ipv4),
      ...elementBlock(v6, ipv6),
      '',
    ];
    return lines.join('\n');
  },

  entriesOf(content: string): string[] {
    const values: string[] = [];
    for (const line of content.split('\n')) {
      if (line.startsWith('\t')) values.push(line.slice(1).replace(/,$/, ''));
    }
    return values;
  },
};

/**
 * The IPv4 and IPv6 set names of a list.
 *
 * @example
 * nftablesSetNames({ tenant: 'acme', list: 'ip.txt', generatedAt: 0 });
 * // { v4: 'iocrelay_acme_ip_txt_v4', v6: 'iocrelay_acme_ip_txt_v6' }
 */
export function nftablesSetNames(context: RenderContext): { v4: string; v6: string } {
  const base = deviceName(context, NAME_MAX);
  return { v4: `${base}_v4`, v6: `${base}_v6` };
}

// An empty `{ }` is a syntax error, so an empty family gets no `add element` at all: the flush
// above already left its set empty.
function elementBlock(set: string, values: readonly string[]): string[] {
  if (values.length === 0) return [];
  return [`add element ${NFTABLES_TABLE} ${set} {`, `\t${values.join(',\n\t')}`, '}'];
}

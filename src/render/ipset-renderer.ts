import { deviceName } from './device-name.js';
import type { RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';
import { splitIpFamilies } from './split-ip-families.js';

// ipset names hold at most 31 characters (IPSET_MAXNAMELEN 32 with the NUL); the base leaves
// room for `_v4` and the `-new` of the staging set.
const NAME_MAX = 24;

/**
 * The same maxelem on every run. `create … -exist` only passes when the existing set has the
 * same type and maxelem, and `swap` hands the staging set's maxelem to the live set, so a
 * maxelem that followed the list size would make the next load fail. A hash:net set allocates
 * per element, not per maxelem, so a high ceiling costs nothing. A list above it fails at its
 * `add` line with "Hash is full", before `swap`: the live set keeps its last good content.
 */
export const IPSET_MAXELEM = 16_777_216;

/**
 * An `ipset restore` file that fills a staging set per family and swaps it in, so the live set
 * is never empty or half-filled: `create <set>-new … -exist` and `flush` (a load that failed
 * before may have left it), `add` each entry, `create <set> … -exist` (a fresh system),
 * `swap`, `destroy <set>-new`. One hash:net set per family (`family inet` and `inet6`).
 * `ipset restore` is not one transaction: a failing line stops the load, but only lines before
 * `swap` can fail on entries, and those touch the staging set alone.
 *
 * @example
 * ipsetRenderer.render([{ kind: 'ip', value: '192.0.2.1' }], { tenant: 'acme', list: 'ip.txt', generatedAt: 0 });
 * // '…create iocrelay_acme_ip_txt_v4-new hash:net family inet maxelem 16777216 -exist\n…'
 */
export const ipsetRenderer: Renderer = {
  format: 'ipset',
  contentType: 'text/plain; charset=utf-8',
  kinds: ['ip'],
  isOneToOne: true,

  render(entries: ListEntries, context: RenderContext): string {
    const { ipv4, ipv6 } = splitIpFamilies(entries);
    const { v4, v6 } = ipsetNames(context);

    const lines = [
      `# iocrelay ${context.tenant}/${context.list}: ${ipv4.length} IPv4, ${ipv6.length} IPv6`,
      '# load with `ipset restore < FILE`; swaps in freshly filled sets',
      ...swapBlock(v4, 'inet', ipv4),
      ...swapBlock(v6, 'inet6', ipv6),
      '',
    ];
    return lines.join('\n');
  },

  entriesOf(content: string): string[] {
    const values: string[] = [];
    for (const line of content.split('\n')) {
      const match = /^add \S+ (\S+)$/.exec(line);
      if (match?.[1] !== undefined) values.push(match[1]);
    }
    return values;
  },
};

/**
 * The IPv4 and IPv6 set names of a list.
 *
 * @example
 * ipsetNames({ tenant: 'acme', list: 'ip.txt', generatedAt: 0 });
 * // { v4: 'iocrelay_acme_ip_txt_v4', v6: 'iocrelay_acme_ip_txt_v6' }
 */
export function ipsetNames(context: RenderContext): { v4: string; v6: string } {
  const base = deviceName(context, NAME_MAX);
  return { v4: `${base}_v4`, v6: `${base}_v6` };
}

function swapBlock(set: string, family: 'inet' | 'inet6', values: readonly string[]): string[] {
  const staging = `${set}-new`;
  const create = `hash:net family ${family} maxelem ${IPSET_MAXELEM} -exist`;

  const lines = [`create ${staging} ${create}`, `flush ${staging}`];
  for (const value of values) lines.push(`add ${staging} ${value}`);
  lines.push(`create ${set} ${create}`, `swap ${staging} ${set}`, `destroy ${staging}`);
  return lines;
}

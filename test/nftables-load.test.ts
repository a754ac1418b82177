import { afterAll, describe, expect, it } from 'vitest';
import { nftablesRenderer } from '../src/render/nftables-renderer.js';
import type { ListEntry } from '../src/render/renderer.js';
import { inNamespace, probe, run, titled, writeTempFiles } from './support/firewall-tools.js';

// Real nft on rendered files: check mode on the host (needs root), and two loads in a row in
// a user+network namespace to see the second replace the first.

const context = { tenant: 'acme', list: 'ip.txt', generatedAt: 0 };
const ip = (value: string): ListEntry => ({ kind: 'ip', value });

const FIRST = [
  ip('192.0.2.1'),
  ip('198.51.100.0/24'),
  ip('203.0.113.0/24'),
  // Inside the /24 above: auto-merge folds it in instead of failing the load.
  ip('203.0.113.7'),
  ip('2001:db8::/48'),
  ip('2001:db8:1::1'),
];
const SECOND = [ip('198.51.100.0/25'), ip('198.51.100.200'), ip('2001:db8::1')];

const files = writeTempFiles({
  'first.nft': nftablesRenderer.render(FIRST, context),
  'second.nft': nftablesRenderer.render(SECOND, context),
  'empty.nft': nftablesRenderer.render([], context),
});
afterAll(files.remove);

const checkMode = probe('nft', ['nft', '-c', '-f', files.paths['empty.nft'] ?? '']);
const namespace = probe('nft', ['unshare', '-rn', 'nft', 'list', 'ruleset']);

describe('nftables files under the real nft', () => {
  it.skipIf(!checkMode.ok)(titled('pass `nft -c -f` (check mode)', checkMode), () => {
    for (const name of ['first.nft', 'second.nft', 'empty.nft']) {
      const result = run(['nft', '-c', '-f', files.paths[name] ?? '']);
      expect(result.stderr).toBe('');
      expect(result.ok).toBe(true);
    }
  });

  it.skipIf(!namespace.ok)(
    titled('load on a fresh system, then replace the sets on each later load', namespace),
    () => {
      const { first, second, empty } = {
        first: files.paths['first.nft'] ?? '',
        second: files.paths['second.nft'] ?? '',
        empty: files.paths['empty.nft'] ?? '',
      };
      const result = inNamespace(
        [
          'nft -f "$1" && nft -j list table inet iocrelay',
          'nft -f "$2" && nft -j list table inet iocrelay',
          'nft -f "$3" && nft -j list table inet iocrelay',
        ].join(' && '),
        [first, second, empty],
      );
      expect(result.stderr).toBe('');

      // `nft -j` prints one JSON document per line.
      const [afterFirst, afterSecond, afterEmpty] = result.stdout.trim().split('\n');
      expect(result.stdout.trim().split('\n')).toHaveLength(3);
      expect(setContents(afterFirst)).toEqual({
        iocrelay_acme_ip_txt_v4: ['192.0.2.1', '198.51.100.0/24', '203.0.113.0/24'],
        iocrelay_acme_ip_txt_v6: ['2001:db8::/48', '2001:db8:1::1'],
      });
      expect(setContents(afterSecond)).toEqual({
        iocrelay_acme_ip_txt_v4: ['198.51.100.0/25', '198.51.100.200'],
        iocrelay_acme_ip_txt_v6: ['2001:db8::1'],
      });
      expect(setContents(afterEmpty)).toEqual({
        iocrelay_acme_ip_txt_v4: [],
        iocrelay_acme_ip_txt_v6: [],
      });
    },
  );
});

interface NftJson {
  readonly nftables: readonly {
    readonly set?: { readonly name: string; readonly elem?: readonly NftElement[] };
  }[];
}
type NftElement = string | { readonly prefix: { readonly addr: string; readonly len: number } };

/** Each set's elements from `nft -j list table`, as the text a list carries. */
function setContents(json: string | undefined): Record<string, string[]> {
  const parsed = JSON.parse(json ?? '{}') as NftJson;
  const sets: Record<string, string[]> = {};
  for (const item of parsed.nftables) {
    if (item.set === undefined) continue;
    sets[item.set.name] = (item.set.elem ?? []).map((element) =>
      typeof element === 'string' ? element : `${element.prefix.addr}/${element.prefix.len}`,
    );
  }
  return sets;
}

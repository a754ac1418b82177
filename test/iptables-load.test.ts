import { afterAll, describe, expect, it } from 'vitest';
import { ip6tablesRenderer, iptablesRenderer } from '../src/render/iptables-renderer.js';
import type { ListEntry } from '../src/render/renderer.js';
import { inNamespace, probe, run, titled, writeTempFiles } from './support/firewall-tools.js';

// Real iptables-restore and ip6tables-restore on rendered files, in a user+network namespace:
// `--test` on each file, then two `--noflush` loads in a row to see the second replace the
// chain's rules, then an empty list.

const context = { tenant: 'acme', list: 'ip.txt', generatedAt: 0 };
const ip = (value: string): ListEntry => ({ kind: 'ip', value });
const CHAIN = 'iocrelay_acme_ip_txt';

const FIRST = [ip('192.0.2.1'), ip('198.51.100.0/24'), ip('2001:db8::/32')];
const SECOND = [ip('203.0.113.7'), ip('2001:db8::1')];

const files = writeTempFiles({
  'first.v4': iptablesRenderer.render(FIRST, context),
  'second.v4': iptablesRenderer.render(SECOND, context),
  'empty.v4': iptablesRenderer.render([], context),
  'first.v6': ip6tablesRenderer.render(FIRST, context),
  'second.v6': ip6tablesRenderer.render(SECOND, context),
  'empty.v6': ip6tablesRenderer.render([], context),
});
afterAll(files.remove);

const path = (name: string): string => files.paths[name] ?? '';

const CASES = [
  {
    tool: 'iptables',
    suffix: 'v4',
    first: [`-A ${CHAIN} -s 192.0.2.1/32 -j DROP`, `-A ${CHAIN} -d 192.0.2.1/32 -j DROP`].concat([
      `-A ${CHAIN} -s 198.51.100.0/24 -j DROP`,
      `-A ${CHAIN} -d 198.51.100.0/24 -j DROP`,
    ]),
    second: [`-A ${CHAIN} -s 203.0.113.7/32 -j DROP`, `-A ${CHAIN} -d 203.0.113.7/32 -j DROP`],
  },
  {
    tool: 'ip6tables',
    suffix: 'v6',
    first: [`-A ${CHAIN} -s 2001:db8::/32 -j DROP`, `-A ${CHAIN} -d 2001:db8::/32 -j DROP`],
    second: [`-A ${CHAIN} -s 2001:db8::1/128 -j DROP`, `-A ${CHAIN} -d 2001:db8::1/128 -j DROP`],
  },
];

for (const { tool, suffix, first, second } of CASES) {
  describe(`${tool} files under the real ${tool}-restore`, () => {
    const namespace = probe(tool, [
      'unshare',
      '-rn',
      `${tool}-restore`,
      '--test',
      path(`empty.${suffix}`),
    ]);

    it.skipIf(!namespace.ok)(titled(`pass \`${tool}-restore --test\``, namespace), () => {
      for (const name of ['first', 'second', 'empty']) {
        const result = run([
          'unshare',
          '-rn',
          `${tool}-restore`,
          '--test',
          path(`${name}.${suffix}`),
        ]);
        expect(result.stderr).toBe('');
        expect(result.ok).toBe(true);
      }
    });

    it.skipIf(!namespace.ok)(
      titled('create the chain, then replace its rules on each later --noflush load', namespace),
      () => {
        const list = `${tool} -S ${CHAIN} && echo ---`;
        const result = inNamespace(
          [
            `${tool}-restore --noflush "$1"`,
            list,
            `${tool}-restore --noflush "$2"`,
            list,
            `${tool}-restore --noflush "$3"`,
            list,
          ].join(' && '),
          [path(`first.${suffix}`), path(`second.${suffix}`), path(`empty.${suffix}`)],
        );
        expect(result.stderr).toBe('');

        const declare = `-N ${CHAIN}`;
        expect(result.stdout).toBe(
          [declare, ...first, '---', declare, ...second, '---', declare, '---', ''].join('\n'),
        );
      },
    );
  });
}

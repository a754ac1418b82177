import { afterAll, describe, expect, it } from 'vitest';
import { ipsetRenderer } from '../src/render/ipset-renderer.js';
import type { ListEntry } from '../src/render/renderer.js';
import { inNamespace, probe, titled, writeTempFiles } from './support/firewall-tools.js';

// Real `ipset restore` on rendered files in a user+network namespace: a fresh load, a second
// load over the live sets with a staging set left behind by a failed load, then an empty list.

const context = { tenant: 'acme', list: 'ip.txt', generatedAt: 0 };
const ip = (value: string): ListEntry => ({ kind: 'ip', value });

const V4 = 'iocrelay_acme_ip_txt_v4';
const V6 = 'iocrelay_acme_ip_txt_v6';

const files = writeTempFiles({
  'first.ipset': ipsetRenderer.render(
    [ip('192.0.2.1'), ip('198.51.100.0/24'), ip('2001:db8::/32')],
    context,
  ),
  'second.ipset': ipsetRenderer.render(
    [ip('203.0.113.0/24'), ip('203.0.113.7'), ip('2001:db8:1::1')],
    context,
  ),
  'empty.ipset': ipsetRenderer.render([], context),
});
afterAll(files.remove);

const namespace = probe('ipset', ['unshare', '-rn', 'ipset', 'list']);

describe('ipset files under the real ipset restore', () => {
  it.skipIf(!namespace.ok)(
    titled('build the sets, then swap in new content on each later load', namespace),
    () => {
      const result = inNamespace(
        [
          'ipset restore < "$1"',
          'ipset save',
          'echo ---',
          // What a load that failed halfway leaves: a filled staging set.
          `ipset create ${V4}-new hash:net family inet maxelem 16777216`,
          `ipset add ${V4}-new 192.0.2.99`,
          'ipset restore < "$2"',
          'ipset save',
          'echo ---',
          'ipset restore < "$3"',
          'ipset save',
        ].join(' && '),
        [
          files.paths['first.ipset'] ?? '',
          files.paths['second.ipset'] ?? '',
          files.paths['empty.ipset'] ?? '',
        ],
      );
      expect(result.stderr).toBe('');

      const [first, second, empty] = result.stdout.split('---\n').map(members);
      expect(first).toEqual({ [V4]: ['192.0.2.1', '198.51.100.0/24'], [V6]: ['2001:db8::/32'] });
      expect(second).toEqual({ [V4]: ['203.0.113.0/24', '203.0.113.7'], [V6]: ['2001:db8:1::1'] });
      expect(empty).toEqual({ [V4]: [], [V6]: [] });
    },
  );
});

/**
 * Each set's members from `ipset save`, sorted (a hash set lists in bucket order). Only the
 * live sets may remain: a staging set left over would show up here and fail the comparison.
 */
function members(save: string): Record<string, string[]> {
  const sets: Record<string, string[]> = {};
  for (const line of save.split('\n')) {
    const [command, name, value] = line.split(' ');
    if (command === 'create' && name !== undefined) sets[name] = [];
    if (command === 'add' && name !== undefined && value !== undefined) {
      sets[name]?.push(value);
    }
  }
  for (const values of Object.values(sets)) values.sort();
  return sets;
}

import { describe, expect, it } from 'vitest';
import type { ListEntry } from './renderer.js';
import { ipsetNames, ipsetRenderer } from './ipset-renderer.js';

const context = { tenant: 'acme', list: 'ip.txt', generatedAt: 0 };
const LOAD = '# load with `ipset restore < FILE`; swaps in freshly filled sets';

const ip = (value: string): ListEntry => ({ kind: 'ip', value });

function swap(set: string, family: string, values: string[]): string[] {
  const create = `hash:net family ${family} maxelem 16777216 -exist`;
  return [
    `create ${set}-new ${create}`,
    `flush ${set}-new`,
    ...values.map((value) => `add ${set}-new ${value}`),
    `create ${set} ${create}`,
    `swap ${set}-new ${set}`,
    `destroy ${set}-new`,
  ];
}

describe('ipsetRenderer', () => {
  it.each<[string, ListEntry[], string[]]>([
    [
      'an empty list: both sets swapped for empty ones',
      [],
      [
        '# iocrelay acme/ip.txt: 0 IPv4, 0 IPv6',
        LOAD,
        ...swap('iocrelay_acme_ip_txt_v4', 'inet', []),
        ...swap('iocrelay_acme_ip_txt_v6', 'inet6', []),
      ],
    ],
    [
      'both families, each in list order',
      [ip('192.0.2.1'), ip('198.51.100.0/24'), ip('2001:db8::/32')],
      [
        '# iocrelay acme/ip.txt: 2 IPv4, 1 IPv6',
        LOAD,
        'create iocrelay_acme_ip_txt_v4-new hash:net family inet maxelem 16777216 -exist',
        'flush iocrelay_acme_ip_txt_v4-new',
        'add iocrelay_acme_ip_txt_v4-new 192.0.2.1',
        'add iocrelay_acme_ip_txt_v4-new 198.51.100.0/24',
        'create iocrelay_acme_ip_txt_v4 hash:net family inet maxelem 16777216 -exist',
        'swap iocrelay_acme_ip_txt_v4-new iocrelay_acme_ip_txt_v4',
        'destroy iocrelay_acme_ip_txt_v4-new',
        'create iocrelay_acme_ip_txt_v6-new hash:net family inet6 maxelem 16777216 -exist',
        'flush iocrelay_acme_ip_txt_v6-new',
        'add iocrelay_acme_ip_txt_v6-new 2001:db8::/32',
        'create iocrelay_acme_ip_txt_v6 hash:net family inet6 maxelem 16777216 -exist',
        'swap iocrelay_acme_ip_txt_v6-new iocrelay_acme_ip_txt_v6',
        'destroy iocrelay_acme_ip_txt_v6-new',
      ],
    ],
  ])('renders %s', (_name, entries, lines) => {
    const text = ipsetRenderer.render(entries, context);
    expect(text).toBe(`${lines.join('\n')}\n`);
    expect(ipsetRenderer.entriesOf(text)).toEqual(entries.map((entry) => entry.value));
  });

  it.each([
    ['acme', 'ip.txt', 'iocrelay_acme_ip_txt_v4'],
    // 31 characters with `-new` is the ipset limit: long names end in a hash.
    ['contoso', 'blocklist-ip.txt', 'iocrelay_contos_4ebad5ca_v4'],
  ])('names the sets of %s/%s within 31 characters with -new', (tenant, list, v4) => {
    const names = ipsetNames({ tenant, list, generatedAt: 0 });
    expect(names.v4).toBe(v4);
    expect(`${names.v6}-new`.length).toBeLessThanOrEqual(31);
  });
});

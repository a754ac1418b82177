import { describe, expect, it } from 'vitest';
import type { ListEntry } from './renderer.js';
import { nftablesRenderer, nftablesSetNames } from './nftables-renderer.js';

const context = { tenant: 'acme', list: 'ip.txt', generatedAt: 0 };

const HEAD = [
  'add table inet iocrelay',
  'add set inet iocrelay iocrelay_acme_ip_txt_v4 { type ipv4_addr; flags interval; auto-merge; }',
  'add set inet iocrelay iocrelay_acme_ip_txt_v6 { type ipv6_addr; flags interval; auto-merge; }',
  'flush set inet iocrelay iocrelay_acme_ip_txt_v4',
  'flush set inet iocrelay iocrelay_acme_ip_txt_v6',
];
const LOAD = '# load with `nft -f FILE`; replaces both sets in one transaction';

const ip = (value: string): ListEntry => ({ kind: 'ip', value });

describe('nftablesRenderer', () => {
  it.each<[string, ListEntry[], string[]]>([
    [
      'an empty list: both sets flushed, no element block',
      [],
      ['# iocrelay acme/ip.txt: 0 IPv4, 0 IPv6', LOAD, ...HEAD],
    ],
    [
      'IPv4 only: no IPv6 element block',
      [ip('192.0.2.1'), ip('198.51.100.0/24')],
      [
        '# iocrelay acme/ip.txt: 2 IPv4, 0 IPv6',
        LOAD,
        ...HEAD,
        'add element inet iocrelay iocrelay_acme_ip_txt_v4 {',
        '\t192.0.2.1,',
        '\t198.51.100.0/24',
        '}',
      ],
    ],
    [
      'both families, each in list order; other kinds left out',
      [
        ip('192.0.2.1'),
        ip('203.0.113.0/24'),
        { kind: 'domain', value: 'bad.example' },
        ip('2001:db8::1'),
        ip('2001:db8:1::/48'),
      ],
      [
        '# iocrelay acme/ip.txt: 2 IPv4, 2 IPv6',
        LOAD,
        ...HEAD,
        'add element inet iocrelay iocrelay_acme_ip_txt_v4 {',
        '\t192.0.2.1,',
        '\t203.0.113.0/24',
        '}',
        'add element inet iocrelay iocrelay_acme_ip_txt_v6 {',
        '\t2001:db8::1,',
        '\t2001:db8:1::/48',
        '}',
      ],
    ],
  ])('renders %s', (_name, entries, lines) => {
    const text = nftablesRenderer.render(entries, context);
    expect(text).toBe(`${lines.join('\n')}\n`);
    expect(nftablesRenderer.entriesOf(text)).toEqual(
      entries.filter((entry) => entry.kind === 'ip').map((entry) => entry.value),
    );
  });

  it('names both sets after tenant and list', () => {
    expect(nftablesSetNames({ tenant: 'acme-eu', list: 'C2.txt', generatedAt: 0 })).toEqual({
      v4: 'iocrelay_acme_eu_c2_txt_v4',
      v6: 'iocrelay_acme_eu_c2_txt_v6',
    });
  });

  it('carries IP entries only', () => {
    expect(nftablesRenderer.kinds).toEqual(['ip']);
  });
});

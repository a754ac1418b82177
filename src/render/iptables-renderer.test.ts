import { describe, expect, it } from 'vitest';
import type { ListEntry, Renderer } from './renderer.js';
import { iptablesChainName, iptablesRenderer, ip6tablesRenderer } from './iptables-renderer.js';

const context = { tenant: 'acme', list: 'ip.txt', generatedAt: 0 };
const CHAIN = 'iocrelay_acme_ip_txt';

const ip = (value: string): ListEntry => ({ kind: 'ip', value });
const both = [ip('192.0.2.1'), ip('198.51.100.0/24'), ip('2001:db8::/32')];

describe('iptablesRenderer and ip6tablesRenderer', () => {
  it.each<[string, Renderer, ListEntry[], string[], string[]]>([
    [
      'IPv4 rules, IPv6 left out with a count',
      iptablesRenderer,
      both,
      [
        '# iocrelay acme/ip.txt: 2 IPv4',
        `# load with \`iptables-restore --noflush FILE\`; jump to ${CHAIN} from your own rules`,
        '# left out: 1 IPv6, see the ip6tables format',
        '*filter',
        `:${CHAIN} - [0:0]`,
        `-F ${CHAIN}`,
        `-A ${CHAIN} -s 192.0.2.1 -j DROP`,
        `-A ${CHAIN} -d 192.0.2.1 -j DROP`,
        `-A ${CHAIN} -s 198.51.100.0/24 -j DROP`,
        `-A ${CHAIN} -d 198.51.100.0/24 -j DROP`,
        'COMMIT',
      ],
      ['192.0.2.1', '198.51.100.0/24'],
    ],
    [
      'IPv6 rules, IPv4 left out with a count',
      ip6tablesRenderer,
      both,
      [
        '# iocrelay acme/ip.txt: 1 IPv6',
        `# load with \`ip6tables-restore --noflush FILE\`; jump to ${CHAIN} from your own rules`,
        '# left out: 2 IPv4, see the iptables format',
        '*filter',
        `:${CHAIN} - [0:0]`,
        `-F ${CHAIN}`,
        `-A ${CHAIN} -s 2001:db8::/32 -j DROP`,
        `-A ${CHAIN} -d 2001:db8::/32 -j DROP`,
        'COMMIT',
      ],
      ['2001:db8::/32'],
    ],
    [
      'an empty list: the chain flushed and left empty',
      iptablesRenderer,
      [],
      [
        '# iocrelay acme/ip.txt: 0 IPv4',
        `# load with \`iptables-restore --noflush FILE\`; jump to ${CHAIN} from your own rules`,
        '*filter',
        `:${CHAIN} - [0:0]`,
        `-F ${CHAIN}`,
        'COMMIT',
      ],
      [],
    ],
  ])('renders %s', (_name, renderer, entries, lines, values) => {
    const text = renderer.render(entries, context);
    expect(text).toBe(`${lines.join('\n')}\n`);
    expect(renderer.entriesOf(text)).toEqual(values);
  });

  it.each([
    ['acme', 'ip.txt', 'iocrelay_acme_ip_txt'],
    // iptables refuses chain names of 29 characters or more.
    ['contoso', 'blocklist-ip.txt', 'iocrelay_contoso_bl_4ebad5ca'],
  ])('names the chain of %s/%s within 28 characters', (tenant, list, chain) => {
    expect(iptablesChainName({ tenant, list, generatedAt: 0 })).toBe(chain);
  });
});

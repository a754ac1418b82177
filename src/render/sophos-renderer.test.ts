import { describe, expect, it } from 'vitest';

import type { ListEntry } from './renderer.js';
import { sophosRenderer } from './sophos-renderer.js';

const context = { tenant: 'acme', list: 'feed.txt', generatedAt: 1_700_000_000_000 };

// Every rule below is from the Sophos Firewall third-party threat feed requirements:
// https://docs.sophos.com/nsg/sophos-firewall/21.0/Help/en-us/webhelp/onlinehelp/AdministratorHelp/ActiveThreatResponse/ConfigureFeeds/ThirdPartyThreatFeeds/Requirements/index.html
describe('sophosRenderer', () => {
  it.each<[string, ListEntry[], string]>([
    [
      'IPv4 addresses one per line',
      [
        { kind: 'ip', value: '192.0.2.1' },
        { kind: 'ip', value: '203.0.113.9' },
      ],
      '192.0.2.1\n203.0.113.9\n',
    ],
    // Network addresses are not supported: a small network is written address by address.
    [
      'a CIDR of at most 256 addresses is written as its addresses, once each',
      [
        { kind: 'ip', value: '198.51.100.0/30' },
        { kind: 'ip', value: '198.51.100.2' },
      ],
      '198.51.100.0\n198.51.100.1\n198.51.100.2\n198.51.100.3\n',
    ],
    [
      'a /24 is 256 lines; a /23 is left out',
      [
        { kind: 'ip', value: '198.51.100.0/24' },
        { kind: 'ip', value: '192.0.2.0/23' },
      ],
      `${Array.from({ length: 256 }, (_, i) => `198.51.100.${i}\n`).join('')}`,
    ],
    // IPv6 addresses are not supported.
    [
      'IPv6 entries are left out',
      [
        { kind: 'ip', value: '2001:db8::1' },
        { kind: 'ip', value: '2001:db8::/32' },
        { kind: 'ip', value: '192.0.2.1' },
      ],
      '192.0.2.1\n',
    ],
    // Wildcard domains are not supported.
    [
      'a wildcard domain is written as its bare domain, once',
      [
        { kind: 'domain', value: '*.evil.example' },
        { kind: 'domain', value: 'evil.example' },
      ],
      'evil.example\n',
    ],
    [
      'URLs written whole',
      [{ kind: 'url', value: 'https://evil.example:8443/login' }],
      'https://evil.example:8443/login\n',
    ],
    ['hashes are never written', [{ kind: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }], ''],
    // "Don't add any comments or other information": an empty list is zero bytes.
    ['an empty list is an empty file', [], ''],
  ])('%s', (_rule, entries, expected) => {
    expect(sophosRenderer.render(entries, context)).toBe(expected);
  });

  it('is deterministic: the same entries give the same bytes at another time', () => {
    const entries: ListEntry[] = [{ kind: 'ip', value: '192.0.2.0/31' }];
    expect(sophosRenderer.render(entries, { ...context, generatedAt: 0 })).toBe(
      sophosRenderer.render(entries, context),
    );
  });

  it.each<[string, string[]]>([
    ['192.0.2.1\nevil.example\r\n\n', ['192.0.2.1', 'evil.example']],
    ['', []],
  ])('reads back the entries of %j', (content, expected) => {
    expect(sophosRenderer.entriesOf(content)).toEqual(expected);
  });

  it('declares what it carries', () => {
    expect([sophosRenderer.format, sophosRenderer.contentType, sophosRenderer.kinds]).toEqual([
      'sophos',
      'text/plain; charset=utf-8',
      ['ip', 'domain', 'url'],
    ]);
  });
});

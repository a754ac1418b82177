import { describe, expect, it } from 'vitest';

import { paloaltoRenderer } from './paloalto-renderer.js';
import type { ListEntry } from './renderer.js';

const context = { tenant: 'acme', list: 'edl.txt', generatedAt: 1_700_000_000_000 };
const long = `https://evil.example/${'a'.repeat(300)}`;
// 255 characters once the scheme is gone: 'evil.example/' is 13.
const longest = `https://evil.example/${'a'.repeat(242)}`;

describe('paloaltoRenderer', () => {
  it.each<[string, ListEntry[], string]>([
    // https://docs.paloaltonetworks.com/content/techdocs/en_US/network-security/security-policy/administration/objects/external-dynamic-lists/formatting-guidelines-for-an-external-dynamic-list.html
    [
      'IP list: addresses, subnets and IPv6 one per line',
      [
        { kind: 'ip', value: '192.0.2.1' },
        { kind: 'ip', value: '198.51.100.0/24' },
        { kind: 'ip', value: '2001:db8::1' },
        { kind: 'ip', value: '2001:db8:1::/48' },
      ],
      '192.0.2.1\n198.51.100.0/24\n2001:db8::1\n2001:db8:1::/48\n',
    ],
    // https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-admin/policy/use-an-external-dynamic-list-in-policy/formatting-guidelines-for-an-external-dynamic-list/domain-list
    [
      '*.example matches subdomains only, so the bare domain comes first, once',
      [
        { kind: 'domain', value: '*.evil.example' },
        { kind: 'domain', value: 'evil.example' },
        { kind: 'domain', value: 'c2.test' },
      ],
      'evil.example\n*.evil.example\nc2.test\n',
    ],
    // https://docs.paloaltonetworks.com/advanced-url-filtering/administration/configuring-url-filtering/url-category-exceptions/guidelines-for-url-category-exceptions
    [
      'URL entries omit http and https; both forms give one line',
      [
        { kind: 'url', value: 'http://evil.example/login.php?id=1' },
        { kind: 'url', value: 'https://evil.example/login.php?id=1' },
      ],
      'evil.example/login.php?id=1\n',
    ],
    // The port is stripped as Palo Alto's EDL service does for PAN-OS (url_port_stripping):
    // https://github.com/demisto/content/blob/master/Packs/EDL/Integrations/EDL/README.md
    [
      'URL ports are dropped, IPv6 hosts keep their brackets, fragments are dropped',
      [
        { kind: 'url', value: 'https://evil.example:8443/a#top' },
        { kind: 'url', value: 'http://[2001:db8::5]:8080/x' },
        { kind: 'url', value: 'http://192.0.2.7/' },
      ],
      'evil.example/a\n[2001:db8::5]/x\n192.0.2.7/\n',
    ],
    // Each URL entry can be up to 255 characters (guidelines-for-url-category-exceptions).
    [
      'a URL over 255 characters is left out, one of exactly 255 is kept',
      [
        { kind: 'url', value: long },
        { kind: 'url', value: longest },
      ],
      `evil.example/${'a'.repeat(242)}\n`,
    ],
    // Wildcard characters * and ^ are tokens in PAN-OS URL entries (guidelines above).
    [
      'a URL holding * or ^ is left out, not widened',
      [
        { kind: 'url', value: 'http://evil.example/*/x' },
        { kind: 'url', value: 'http://evil.example/^a' },
        { kind: 'url', value: 'http://evil.example/ok' },
      ],
      'evil.example/ok\n',
    ],
    [
      'a mixed list is written per kind; hashes are never written',
      [
        { kind: 'ip', value: '203.0.113.9' },
        { kind: 'domain', value: 'evil.example' },
        { kind: 'url', value: 'https://evil.test/p' },
        { kind: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
      ],
      '203.0.113.9\nevil.example\nevil.test/p\n',
    ],
    // Palo Alto's EDL service serves "# Empty EDL" for an empty list:
    // https://github.com/demisto/content/blob/master/Packs/EDL/Integrations/EDL/README.md
    ['an empty list is one comment line', [], '# iocrelay: acme/edl.txt has no entries\n'],
    [
      'a list whose every entry is left out is written as empty',
      [{ kind: 'url', value: long }],
      '# iocrelay: acme/edl.txt has no entries\n',
    ],
  ])('%s', (_rule, entries, expected) => {
    expect(paloaltoRenderer.render(entries, context)).toBe(expected);
  });

  it('is deterministic: the same entries give the same bytes at another time', () => {
    const entries: ListEntry[] = [{ kind: 'domain', value: '*.evil.example' }];
    expect(paloaltoRenderer.render(entries, { ...context, generatedAt: 0 })).toBe(
      paloaltoRenderer.render(entries, context),
    );
  });

  it.each<[string, string[]]>([
    ['evil.example/a\n*.evil.example\n', ['evil.example/a', '*.evil.example']],
    ['192.0.2.1 #C2\n\n# iocrelay note\r\n198.51.100.0/24\r\n', ['192.0.2.1', '198.51.100.0/24']],
    ['# iocrelay: acme/edl.txt has no entries\n', []],
  ])('reads back the entries of %j', (content, expected) => {
    expect(paloaltoRenderer.entriesOf(content)).toEqual(expected);
  });

  it('declares what it carries', () => {
    expect([paloaltoRenderer.format, paloaltoRenderer.contentType, paloaltoRenderer.kinds]).toEqual(
      ['paloalto', 'text/plain; charset=utf-8', ['ip', 'domain', 'url']],
    );
  });
});

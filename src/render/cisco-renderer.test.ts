import { describe, expect, it } from 'vitest';

import { ciscoRenderer } from './cisco-renderer.js';
import type { ListEntry } from './renderer.js';

const context = { tenant: 'acme', list: 'si.txt', generatedAt: 1_700_000_000_000 };

describe('ciscoRenderer', () => {
  it.each<[string, ListEntry[], string]>([
    // "Netmasks for address blocks can be integers from 0 to 32 or 0 to 128"
    // https://docs.defenseorchestrator.com/cdfmc/c_custom_security_intelligence_lists_2.html
    [
      'Network list: addresses and blocks of both families',
      [
        { kind: 'ip', value: '192.0.2.1' },
        { kind: 'ip', value: '198.51.100.0/24' },
        { kind: 'ip', value: '2001:db8::1' },
        { kind: 'ip', value: '2001:db8::/32' },
      ],
      '192.0.2.1\n198.51.100.0/24\n2001:db8::1\n2001:db8::/32\n',
    ],
    // "The system matches sub-level domains if a higher-level domain exists in a URL or DNS
    // list" (page above), so *.example is written as the domain itself, once.
    [
      'DNS list: a wildcard domain is written as its bare domain',
      [
        { kind: 'domain', value: '*.evil.example' },
        { kind: 'domain', value: 'evil.example' },
        { kind: 'domain', value: 'c2.test' },
      ],
      'evil.example\nc2.test\n',
    ],
    // The FMC's URL list example keeps the scheme: http://192.168.0.2 (page above).
    [
      'URL list: URLs written whole',
      [
        { kind: 'url', value: 'http://192.0.2.7/' },
        { kind: 'url', value: 'https://evil.example:8443/Login' },
      ],
      'http://192.0.2.7/\nhttps://evil.example:8443/Login\n',
    ],
    [
      'hashes are never written',
      [
        {
          kind: 'sha256',
          value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        },
        { kind: 'ip', value: '203.0.113.5' },
      ],
      '203.0.113.5\n',
    ],
    // "List entries that start with the pound sign (#) are treated as comments" (page above).
    ['an empty list is one comment line', [], '# iocrelay: acme/si.txt has no entries\n'],
  ])('%s', (_rule, entries, expected) => {
    expect(ciscoRenderer.render(entries, context)).toBe(expected);
  });

  it('is deterministic: the same entries give the same bytes at another time', () => {
    const entries: ListEntry[] = [{ kind: 'domain', value: '*.evil.example' }];
    expect(ciscoRenderer.render(entries, { ...context, generatedAt: 0 })).toBe(
      ciscoRenderer.render(entries, context),
    );
  });

  it.each<[string, string[]]>([
    ['192.0.2.1\n# note\n\nhttp://evil.example/a\n', ['192.0.2.1', 'http://evil.example/a']],
    ['# iocrelay: acme/si.txt has no entries\n', []],
  ])('reads back the entries of %j', (content, expected) => {
    expect(ciscoRenderer.entriesOf(content)).toEqual(expected);
  });

  it('declares what it carries', () => {
    expect([ciscoRenderer.format, ciscoRenderer.contentType, ciscoRenderer.kinds]).toEqual([
      'cisco',
      'text/plain; charset=utf-8',
      ['ip', 'domain', 'url'],
    ]);
  });
});

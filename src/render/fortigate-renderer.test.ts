import { describe, expect, it } from 'vitest';

import { fortigateRenderer } from './fortigate-renderer.js';
import { renderList } from './render-list.js';
import type { ListEntry } from './renderer.js';

const context = { tenant: 'acme', list: 'feed.txt', generatedAt: 1_700_000_000_000 };

describe('fortigateRenderer', () => {
  it.each<[string, ListEntry[], string]>([
    // IP Address feed: one IP / IP range / subnet per line, IPv6 included.
    // https://docs.fortinet.com/document/fortimail/latest/administration-guide/239145/types-and-file-formats-of-threat-feeds
    [
      'IP feed: addresses, subnets and IPv6 as they are',
      [
        { kind: 'ip', value: '192.0.2.1' },
        { kind: 'ip', value: '198.51.100.0/24' },
        { kind: 'ip', value: '2001:db8::/32' },
      ],
      '192.0.2.1\n198.51.100.0/24\n2001:db8::/32\n',
    ],
    // Domain Name feed: one domain per line, simple wildcards supported.
    // https://docs.fortinet.com/document/fortigate/7.0.11/administration-guide/9463
    [
      '*.example keeps its wildcard and gets the bare domain before it, once',
      [
        { kind: 'domain', value: '*.evil.example' },
        { kind: 'domain', value: 'evil.example' },
        { kind: 'domain', value: 'xn--80ak6aa92e.test' },
      ],
      'evil.example\n*.evil.example\nxn--80ak6aa92e.test\n',
    ],
    // FortiGuard Category feed examples keep scheme and port: http://example.com:8080/url
    // https://docs.fortinet.com/document/fortigate/7.4.1/administration-guide/995517/fortiguard-category-threat-feed
    [
      'URL feed: scheme, port and path kept, IPv6 host in brackets',
      [
        { kind: 'url', value: 'http://evil.example:8080/url' },
        { kind: 'url', value: 'https://evil.example/url' },
        { kind: 'url', value: 'http://[2001:db8::5]/x' },
      ],
      'http://evil.example:8080/url\nhttps://evil.example/url\nhttp://[2001:db8::5]/x\n',
    ],
    // Malware Hash feed: one MD5, SHA1 or SHA256 per line (FortiMail page above).
    [
      'hash feed: one hash per line',
      [
        { kind: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
        { kind: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
        {
          kind: 'sha256',
          value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        },
      ],
      'd41d8cd98f00b204e9800998ecf8427e\nda39a3ee5e6b4b0d3255bfef95601890afd80709\n' +
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n',
    ],
    // "Comments are supported. For example: # Comment about the URI below." (FortiMail page
    // above); FortiGate loads an emptied feed as no entries:
    // https://community.fortinet.com/t5/FortiGate/Technical-Tip-FortiGate-behavior-when-external-threat-feed-list/ta-p/421802
    ['an empty list is one comment line', [], '# iocrelay: acme/feed.txt has no entries\n'],
  ])('%s', (_rule, entries, expected) => {
    expect(fortigateRenderer.render(entries, context)).toBe(expected);
  });

  // URL feed: "Wildcards (*) at the start or end are supported"; no escape for a literal `*`
  // is documented, so a MISP URL holding one would widen the entry: it is left out, counted.
  // https://docs.fortinet.com/document/fortimail/latest/administration-guide/239145/types-and-file-formats-of-threat-feeds
  it('leaves out a URL holding `*` and counts it; `^` has no meaning there and stays', () => {
    const entries: ListEntry[] = [
      { kind: 'url', value: 'http://evil.example/a*b' },
      { kind: 'url', value: 'http://evil.example/*' },
      { kind: 'url', value: 'http://evil.example/a^b' },
      { kind: 'domain', value: '*.evil.example' },
    ];
    expect(renderList(fortigateRenderer, entries, context)).toEqual({
      content: Buffer.from('http://evil.example/a^b\nevil.example\n*.evil.example\n'),
      entries: 3,
      leftOut: { 'wildcard in url': 2 },
    });
  });

  it('writes the comment line when every entry was left out', () => {
    expect(
      fortigateRenderer.render([{ kind: 'url', value: 'https://evil.example/*.php' }], context),
    ).toBe('# iocrelay: acme/feed.txt has no entries\n');
  });

  it('is deterministic: the same entries give the same bytes at another time', () => {
    const entries: ListEntry[] = [{ kind: 'ip', value: '203.0.113.0/25' }];
    expect(fortigateRenderer.render(entries, { ...context, generatedAt: 0 })).toBe(
      fortigateRenderer.render(entries, context),
    );
  });

  it.each<[string, string[]]>([
    ['evil.example\n*.evil.example\n', ['evil.example', '*.evil.example']],
    // A hash line may carry a description after a space (FortiMail page above).
    [
      '# note\nd41d8cd98f00b204e9800998ecf8427e Trojan.Sample\r\n\n',
      ['d41d8cd98f00b204e9800998ecf8427e'],
    ],
    ['# iocrelay: acme/feed.txt has no entries\n', []],
  ])('reads back the entries of %j', (content, expected) => {
    expect(fortigateRenderer.entriesOf(content)).toEqual(expected);
  });

  it('declares what it carries', () => {
    expect([
      fortigateRenderer.format,
      fortigateRenderer.contentType,
      fortigateRenderer.kinds,
    ]).toEqual([
      'fortigate',
      'text/plain; charset=utf-8',
      ['ip', 'domain', 'url', 'md5', 'sha1', 'sha256'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';

import type { IndicatorKind } from '../normalize/indicator.js';
import { paloaltoRenderer } from './paloalto-renderer.js';
import { renderList } from './render-list.js';
import type { ListEntry } from './renderer.js';
import { RENDERERS } from './renderers.js';

const context = { tenant: 'acme', list: 'list.out', generatedAt: 0 };

// What a tester's feed event gives once normalized: a wildcard domain with its bare name and a
// deeper one, an IPv4-mapped address (normalized to IPv4), an IPv6 address and a small CIDR,
// two forms of one URL and a URL holding `*`.
const ENTRIES: readonly ListEntry[] = [
  { kind: 'ip', value: '192.0.2.0/30' },
  { kind: 'ip', value: '198.51.100.7' },
  { kind: 'ip', value: '203.0.113.9' },
  { kind: 'ip', value: '2001:db8::7' },
  { kind: 'domain', value: '*.wild.example' },
  { kind: 'domain', value: 'deep.sub.wild.example' },
  { kind: 'domain', value: 'wild.example' },
  { kind: 'url', value: 'http://evil.example/a*b' },
  { kind: 'url', value: 'http://evil.example/login' },
  { kind: 'url', value: 'https://evil.example/login' },
  {
    kind: 'sha256',
    value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
];

const ALL: readonly IndicatorKind[] = ['ip', 'domain', 'url', 'sha256'];

// The entries a device finds in each file, counted by hand from the format's rules.
const CASES: [string, readonly IndicatorKind[], number, Record<string, number>][] = [
  ['plain', ALL, 11, {}],
  // `*.x` adds `x` (once); the two URL forms are one line without scheme; `*` left out.
  ['paloalto', ['ip'], 4, {}],
  ['paloalto', ['domain'], 3, {}],
  ['paloalto', ['url'], 1, { 'wildcard in url': 1 }],
  ['fortigate', ALL, 10, { 'wildcard in url': 1 }],
  // IPv6 left out; the /30 is one IP Range; `*.x` and `x` are one Domain.
  ['checkpoint', ALL, 9, { ipv6: 1 }],
  ['cisco', ['ip', 'domain', 'url'], 9, {}],
  // The /30 written as its 4 addresses; IPv6 left out.
  ['sophos', ['ip', 'domain', 'url'], 11, { ipv6: 1 }],
  ['mikrotik', ['ip'], 4, {}],
  ['nftables', ['ip'], 4, {}],
  ['ipset', ['ip'], 4, {}],
  // One family per file; the other family's format carries the rest.
  ['iptables', ['ip'], 3, {}],
  ['ip6tables', ['ip'], 1, {}],
  ['suricata', ['ip'], 4, {}],
  ['rpz', ['domain'], 2, {}],
  ['hosts', ['domain'], 2, {}],
  ['csv', ALL, 11, {}],
  ['json', ALL, 11, {}],
  ['stix2', ALL, 11, {}],
];

describe('renderList', () => {
  it.each(CASES)(
    'counts what a %s file of %j holds: %i entries',
    (format, kinds, count, leftOut) => {
      const renderer = RENDERERS.get(format);
      if (renderer === undefined) throw new Error(`no renderer ${format}`);
      const entries = ENTRIES.filter((entry) => kinds.includes(entry.kind));

      const rendered = renderList(renderer, entries, context);
      expect(rendered.entries).toBe(count);
      expect(renderer.entriesOf(rendered.content.toString('utf8'))).toHaveLength(count);
      expect(rendered.leftOut).toEqual(leftOut);
    },
  );

  it.each([...RENDERERS.keys()])('counts an empty %s list as 0 entries', (format) => {
    const renderer = RENDERERS.get(format);
    if (renderer === undefined) throw new Error(`no renderer ${format}`);
    const rendered = renderList(renderer, [], context);
    expect([
      rendered.entries,
      renderer.entriesOf(rendered.content.toString('utf8')).length,
    ]).toEqual([0, 0]);
  });

  it('marks the formats that write each list entry as one file entry', () => {
    const oneToOne = [...RENDERERS.values()].filter((renderer) => renderer.isOneToOne === true);
    expect(oneToOne.map((renderer) => renderer.format)).toEqual([
      'plain',
      'mikrotik',
      'nftables',
      'ipset',
      'csv',
      'json',
      'stix2',
    ]);
  });

  it('covers every format', () => {
    expect(new Set(CASES.map(([format]) => format))).toEqual(new Set(RENDERERS.keys()));
  });

  it('writes an IPv4-mapped value stored before normalization as IPv4, once', () => {
    const entries: ListEntry[] = [
      { kind: 'ip', value: '203.0.113.9' },
      { kind: 'ip', value: '::ffff:192.0.2.0/120' },
      { kind: 'ip', value: '::ffff:203.0.113.9' },
      { kind: 'ip', value: '64:ff9b::c000:201' },
    ];
    const ipset = RENDERERS.get('ipset');
    if (ipset === undefined) throw new Error('no ipset renderer');

    const rendered = renderList(ipset, entries, context);
    expect(ipset.entriesOf(rendered.content.toString('utf8'))).toEqual([
      '203.0.113.9',
      '192.0.2.0/24',
      '64:ff9b::c000:201',
    ]);
    expect(rendered.entries).toBe(3);
  });

  it('counts 9 lines, not 11 entries, in a PAN-OS URL list', () => {
    const urls = [
      'http://evil.example/login',
      'https://evil.example/login',
      'http://evil.example/a*b',
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `https://bad${n}.example/p`),
    ].map((value): ListEntry => ({ kind: 'url', value }));
    expect(urls).toHaveLength(11);

    const rendered = renderList(paloaltoRenderer, urls, context);
    expect(
      rendered.content
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== ''),
    ).toHaveLength(9);
    expect([rendered.entries, rendered.leftOut]).toEqual([9, { 'wildcard in url': 1 }]);
  });
});

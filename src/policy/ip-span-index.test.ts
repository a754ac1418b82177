import { describe, expect, it } from 'vitest';

import { ipSpan } from '../normalize/ip-span.js';
import { IpSpanIndex, spansCover } from './ip-span-index.js';

const NETWORKS = [
  '198.51.100.0/24',
  '198.51.100.7',
  '192.0.2.0/25',
  '192.0.2.128/25',
  '2001:db8::/48',
  '2001:db8::1',
];
const index = new IpSpanIndex(
  NETWORKS.map((network) => ({ span: ipSpan(network)!, item: network })),
  { ipv4EmbeddingBases: [0xffffn << 32n] },
);

function itemsOf(network: string): string[] {
  const span = ipSpan(network)!;
  const hits =
    span.family === 4
      ? index.overlappingIPv4(Number(span.start), Number(span.end))
      : index.overlappingIPv6(span.start, span.end);
  return hits.map((hit) => hit.item);
}

describe('IpSpanIndex', () => {
  it('keeps the outermost spans only, IPv4 ones also under each embedding base', () => {
    // 198.51.100.0/24 and two /25 in IPv4 and again under ::ffff:0:0/96; 2001:db8::/48.
    expect(index.size).toBe(7);
  });

  it.each([
    [['2001:db8::/48'], false, true],
    [['192.0.2.0/24'], true, true],
    [['192.0.2.0/24'], false, false],
    [[], true, false],
  ])('%j, IPv4-mapped bases %s: has IPv6 spans %s', (networks, isEmbedded, hasIPv6) => {
    const hits = networks.map((network) => ({ span: ipSpan(network)!, item: network }));
    const options = isEmbedded ? { ipv4EmbeddingBases: [0xffffn << 32n] } : {};
    expect(new IpSpanIndex(hits, options).hasIPv6).toBe(hasIPv6);
  });

  it.each([
    ['198.51.100.7', ['198.51.100.0/24']],
    ['198.51.0.0/16', ['198.51.100.0/24']],
    ['192.0.2.0/24', ['192.0.2.0/25', '192.0.2.128/25']],
    ['192.0.2.127', ['192.0.2.0/25']],
    ['192.0.2.128', ['192.0.2.128/25']],
    ['192.0.3.0', []],
    ['0.0.0.0/1', []],
    ['128.0.0.0/1', ['192.0.2.0/25', '192.0.2.128/25', '198.51.100.0/24']],
    ['2001:db8::1', ['2001:db8::/48']],
    ['2001:db8:1::1', []],
    ['::ffff:192.0.2.200', ['192.0.2.128/25']],
    ['::ffff:0:0/96', ['192.0.2.0/25', '192.0.2.128/25', '198.51.100.0/24']],
    ['::192.0.2.200', []],
  ])('%s overlaps %j', (network, items) => {
    expect(itemsOf(network)).toEqual(items);
  });
});

describe('spansCover', () => {
  it.each([
    [['192.0.2.0/25', '192.0.2.128/25'], '192.0.2.0/24', true],
    [['192.0.2.0/25'], '192.0.2.0/24', false],
    [['192.0.2.128/25'], '192.0.2.0/24', false],
    [['192.0.2.0/26', '192.0.2.128/25'], '192.0.2.0/24', false],
    [['192.0.2.0/24'], '192.0.2.7', true],
    [[], '192.0.2.7', false],
  ])('%j cover %s: %s', (networks, network, expected) => {
    const hits = networks.map((n) => ({ span: ipSpan(n)!, item: n }));
    const span = ipSpan(network)!;
    expect(spansCover(hits, span.start, span.end)).toBe(expected);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv4 } from '../../normalize/ipv4.js';
import { ipSpan } from '../../normalize/ip-span.js';
import type { IpSpan } from '../../normalize/ip-span.js';
import {
  blockArbitrary,
  blockText,
  markRange,
  minimalCover,
  universeArbitrary,
} from '../../../test/support/ip-set-reference.js';
import type { Block, Universe } from '../../../test/support/ip-set-reference.js';
import { aggregateIps } from './aggregate-ips.js';

describe('aggregateIps', () => {
  it.each([
    ['nothing', [], []],
    ['one address', ['192.0.2.1'], ['192.0.2.1']],
    ['duplicates', ['192.0.2.1', '192.0.2.1', '192.0.2.1'], ['192.0.2.1']],
    ['unsorted input', ['203.0.113.9', '192.0.2.1'], ['192.0.2.1', '203.0.113.9']],
    ['two addresses into a /31', ['192.0.2.1', '192.0.2.0'], ['192.0.2.0/31']],
    ['adjacent, not aligned', ['192.0.2.1', '192.0.2.2'], ['192.0.2.1', '192.0.2.2']],
    ['a run of three', ['192.0.2.3', '192.0.2.1', '192.0.2.2'], ['192.0.2.1', '192.0.2.2/31']],
    ['adjacent halves', ['198.51.100.128/25', '198.51.100.0/25'], ['198.51.100.0/24']],
    [
      'adjacent, different sizes',
      ['198.51.100.0/25', '198.51.100.128/26', '198.51.100.192/26'],
      ['198.51.100.0/24'],
    ],
    [
      'adjacent across a larger boundary',
      ['198.51.100.64/26', '198.51.100.128/26'],
      ['198.51.100.64/26', '198.51.100.128/26'],
    ],
    [
      'nested',
      ['203.0.113.7', '203.0.113.128/25', '203.0.113.0/24', '203.0.113.16/28'],
      ['203.0.113.0/24'],
    ],
    [
      'overlap by a shared address',
      ['192.0.2.0/30', '192.0.2.3', '192.0.2.4/30'],
      ['192.0.2.0/29'],
    ],
    ['a /32 written out', ['192.0.2.1/32'], ['192.0.2.1']],
    ['host bits set, masked like the normalizer', ['192.0.2.77/24'], ['192.0.2.0/24']],
    ['0.0.0.0 alone', ['0.0.0.0'], ['0.0.0.0']],
    ['0.0.0.0 and 0.0.0.1', ['0.0.0.1', '0.0.0.0'], ['0.0.0.0/31']],
    [
      'either side of 0.0.0.0/1',
      ['128.0.0.0', '127.255.255.255'],
      ['127.255.255.255', '128.0.0.0'],
    ],
    ['both halves of IPv4', ['128.0.0.0/1', '0.0.0.0/1'], ['0.0.0.0/0']],
    ['0.0.0.0/1 and its top', ['0.0.0.0/1', '127.255.255.255'], ['0.0.0.0/1']],
    ['255.255.255.255 alone', ['255.255.255.255'], ['255.255.255.255']],
    ['the last two addresses', ['255.255.255.255', '255.255.255.254'], ['255.255.255.254/31']],
    ['first and last, no wrap', ['255.255.255.255', '0.0.0.0'], ['0.0.0.0', '255.255.255.255']],
    [
      // iprange 1.0.4 merges these into one reversed range (uint32 wrap); see the iprange test.
      'last /24 before the first /8',
      ['255.255.255.0/24', '0.0.0.0/8'],
      ['0.0.0.0/8', '255.255.255.0/24'],
    ],
    ['two /8 into a /7', ['1.0.0.0/8', '0.0.0.0/8'], ['0.0.0.0/7']],
    ['IPv6 pair', ['2001:db8::1', '2001:db8::'], ['2001:db8::/127']],
    ['IPv6 halves of a /32', ['2001:db8:8000::/33', '2001:db8::/33'], ['2001:db8::/32']],
    ['IPv6 /128 written out', ['2001:db8::1/128'], ['2001:db8::1']],
    ['IPv6 nested', ['2001:db8::/48', '2001:db8::5', '2001:db8:0:1::/64'], ['2001:db8::/48']],
    ['IPv6 :: and ::1', ['::1', '::'], ['::/127']],
    [
      'either side of ::/1',
      ['8000::', '7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
      ['7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '8000::'],
    ],
    ['both halves of IPv6', ['8000::/1', '::/1'], ['::/0']],
    [
      'the last IPv6 address',
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127'],
    ],
    [
      'mixed families, IPv4 first',
      ['2001:db8::1', '::ffff:192.0.2.1', '192.0.2.1', '192.0.2.0/31'],
      ['192.0.2.0/31', '::ffff:192.0.2.1', '2001:db8::1'],
    ],
  ])('%s', (_name, values, expected) => {
    expect(aggregateIps(values)).toEqual(expected);
  });

  it.each([
    ['evil.example', 'invalid_ipv4'],
    ['2001:db8::g', 'invalid_ipv6'],
    ['', 'invalid_ipv4'],
    ['192.0.2.01', 'ipv4_leading_zero'],
    ['192.0.2.1/33', 'prefix_out_of_range'],
    ['192.0.2.0/024', 'invalid_cidr'],
    ['192.0.2.0/', 'invalid_cidr'],
    ['0.0.0.0/0', 'whole_address_space'],
    ['::/0', 'whole_address_space'],
    ['2001:db8::/129', 'prefix_out_of_range'],
  ])('throws on %j (%s)', (value, reason) => {
    expect(() => aggregateIps(['192.0.2.1', value])).toThrow(
      new TypeError(`aggregateIps: ${value} is not an IP or CIDR (${reason})`),
    );
  });

  it('reads any iterable, growing past its first buffers', () => {
    function* values(): Generator<string> {
      for (let round = 0; round < 12; round++) {
        for (let i = 0; i < 256; i++) yield formatIPv4(3325256704 + ((i * 97 + round) % 256));
      }
      for (let i = 1499; i >= 0; i--) yield `2001:db8::${i.toString(16)}`;
    }
    expect(aggregateIps(values())).toEqual([
      '198.51.100.0/24',
      '2001:db8::/118',
      '2001:db8::400/120',
      '2001:db8::500/121',
      '2001:db8::580/122',
      '2001:db8::5c0/124',
      '2001:db8::5d0/125',
      '2001:db8::5d8/126',
    ]);
  });
});

describe('aggregateIps, against a model of the address set', () => {
  const setOf = (universe: Universe, blocks: readonly Block[]): Uint8Array => {
    const members = new Uint8Array(2 ** universe.bits);
    for (const { offset, hostBits } of blocks) {
      markRange(members, offset, offset + 2 ** hostBits - 1, 1);
    }
    return members;
  };
  const cases = (family: 4 | 6, bits: number) =>
    fc.tuple(universeArbitrary(family, bits), fc.array(blockArbitrary(bits), { maxLength: 40 }));

  it.each([
    ['IPv4 in a /20', 4, 12],
    ['IPv4 in a /26, dense', 4, 6],
    ['IPv6 in a /116', 6, 12],
    ['IPv6 in a /122, dense', 6, 6],
  ] as const)('%s: exactly the same addresses, fewest CIDRs', (_name, family, bits) => {
    fc.assert(
      fc.property(cases(family, bits), ([universe, blocks]) => {
        const values = blocks.map((block) => blockText(universe, block));
        expect(aggregateIps(values)).toEqual(minimalCover(universe, setOf(universe, blocks)));
      }),
    );
  });

  it('IPv4 and IPv6 mixed and shuffled: IPv4 cover, then IPv6 cover', () => {
    fc.assert(
      fc.property(cases(4, 8), cases(6, 8), fc.nat(), ([u4, b4], [u6, b6], seed) => {
        const values = [...b4.map((b) => blockText(u4, b)), ...b6.map((b) => blockText(u6, b))];
        const shuffled = values
          .map((value, i) => ({ value, key: (i * 7919 + seed) % 1009 }))
          .sort((a, b) => a.key - b.key)
          .map(({ value }) => value);
        expect(aggregateIps(shuffled)).toEqual([
          ...minimalCover(u4, setOf(u4, b4)),
          ...minimalCover(u6, setOf(u6, b6)),
        ]);
      }),
    );
  });

  it('anywhere in IPv4: same merged ranges, sorted, disjoint, no two CIDRs mergeable', () => {
    const cidr = fc
      .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 32 }))
      .map(([address, prefix]) => `${formatIPv4(address)}/${prefix}`);
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 60 }), (values) => {
        const output = aggregateIps(values);
        const spans = output.map(spanOf);

        expect(mergeSpans(spans)).toEqual(mergeSpans(values.map((value) => ipSpan(value)!)));
        for (let i = 1; i < spans.length; i++) {
          const [previous, next] = [spans[i - 1]!, spans[i]!];
          expect(previous.end).toBeLessThan(next.start);
          expect(areSiblings(previous, next)).toBe(false);
        }
        expect(output.every((value) => !value.endsWith('/32'))).toBe(true);
      }),
    );
  });
});

// ipSpan refuses a /0 as an indicator, yet merged halves of IPv4 give exactly that.
function spanOf(value: string): IpSpan {
  return value === '0.0.0.0/0' ? { family: 4, start: 0n, end: 0xffffffffn } : ipSpan(value)!;
}

// The plain reference merge: sort by start, join overlapping or adjacent spans.
function mergeSpans(spans: readonly IpSpan[]): Array<[bigint, bigint]> {
  const sorted = [...spans].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: Array<[bigint, bigint]> = [];
  for (const { start, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1] + 1n) last[1] = end > last[1] ? end : last[1];
    else merged.push([start, end]);
  }
  return merged;
}

// Two CIDRs of one size, side by side, that together form the aligned CIDR one bit shorter.
function areSiblings(a: IpSpan, b: IpSpan): boolean {
  const size = a.end - a.start + 1n;
  return size === b.end - b.start + 1n && b.start === a.end + 1n && a.start % (2n * size) === 0n;
}

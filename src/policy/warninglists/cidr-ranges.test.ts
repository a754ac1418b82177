import { describe, expect, it } from 'vitest';

import { ipv4NetworkEnd, ipv6NetworkEnd, ipv6NetworkStart } from '../../normalize/cidr.js';
import { ipv6ToBigInt } from '../../normalize/ipv6.js';
import { CidrRanges, parseCidrEntry } from './cidr-ranges.js';

// The listed range a value overlaps, searched the way the matcher does.
function find(ranges: CidrRanges, value: string): string | null {
  const parsed = parseCidrEntry(value);
  if (typeof parsed === 'string') throw new Error(parsed);
  if (parsed.family === 4) {
    return ranges.findIPv4(parsed.address, ipv4NetworkEnd(parsed.address, parsed.prefix));
  }
  const bits = ipv6ToBigInt(parsed.groups);
  return ranges.findIPv6(
    ipv6NetworkStart(bits, parsed.prefix),
    ipv6NetworkEnd(bits, parsed.prefix),
  );
}

describe('parseCidrEntry', () => {
  it.each([
    ['192.0.2.1', { family: 4, address: 0xc0000201, prefix: 32 }],
    [' 192.0.2.1 ', { family: 4, address: 0xc0000201, prefix: 32 }],
    ['192.0.2.0/24', { family: 4, address: 0xc0000200, prefix: 24 }],
    ['192.0.2.77/24', { family: 4, address: 0xc0000200, prefix: 24 }],
  ])('reads %j', (entry, expected) => {
    expect(parseCidrEntry(entry)).toEqual(expected);
  });

  it('reads IPv6 in either case, host bits cleared', () => {
    const parsed = parseCidrEntry('2001:DB8::1/32');
    expect(parsed).toMatchObject({ family: 6, prefix: 32 });
    expect(typeof parsed !== 'string' && parsed.family === 6 && [...parsed.groups]).toEqual([
      0x2001, 0xdb8, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it.each([
    ['0.0.0.0/0', 'a /0 entry would keep every address off the lists'],
    ['::/0', 'a /0 entry would keep every address off the lists'],
    ['192.0.2.300', 'not an IP address or CIDR (not a dotted quad of octets 0-255)'],
    ['192.0.2.0/33', 'not an IP address or CIDR (the prefix must be 0-32)'],
    ['example.test', 'not an IP address or CIDR (not a dotted quad of octets 0-255)'],
    ['2001:db8::g', 'not an IP address or CIDR (not an IPv6 address)'],
  ])('refuses %j', (entry, problem) => {
    expect(parseCidrEntry(entry)).toBe(problem);
  });
});

describe('CidrRanges', () => {
  const ranges = CidrRanges.fromEntries([
    '198.51.100.0/24',
    '198.51.100.128/25',
    '192.0.2.7',
    '203.0.113.64/26',
    '2001:db8:1::/48',
    '2001:db8:2::5',
    '',
  ]);

  it.each([
    // inside a listed range, the outer of two nested ranges first
    ['198.51.100.200', '198.51.100.0/24'],
    ['198.51.100.0', '198.51.100.0/24'],
    ['198.51.100.255', '198.51.100.0/24'],
    ['192.0.2.7', '192.0.2.7'],
    ['203.0.113.127', '203.0.113.64/26'],
    // a query that holds a listed range overlaps it: a blocklist entry must not swallow it
    ['192.0.2.0/24', '192.0.2.7'],
    ['203.0.113.0/24', '203.0.113.64/26'],
    ['198.51.0.0/16', '198.51.100.0/24'],
    ['198.51.100.0/28', '198.51.100.0/24'],
    ['2001:db8:1:2::1', '2001:db8:1::/48'],
    ['2001:db8::/32', '2001:db8:1::/48'],
    ['2001:db8:2::5', '2001:db8:2::5'],
    ['2001:db8:2::/64', '2001:db8:2::5'],
  ])('%s overlaps %s', (value, entry) => {
    expect(find(ranges, value)).toBe(entry);
  });

  it.each([
    '192.0.2.6',
    '192.0.2.8',
    '203.0.113.63',
    '203.0.113.128',
    '203.0.113.0/26',
    '198.51.101.0',
    '198.51.99.255',
    '2001:db8:3::1',
    '2001:db8:2::4',
    '2001:db8:2::6',
    '2001:db8:0:ffff::/64',
  ])('%s overlaps nothing', (value) => {
    expect(find(ranges, value)).toBeNull();
  });

  it('finds a range that ends after a later, shorter one', () => {
    // The first range starts earliest and ends last: only the running maximum end finds it.
    const nested = CidrRanges.fromEntries([
      '198.51.100.0/24',
      '198.51.100.0/30',
      '198.51.100.8/30',
    ]);
    expect(find(nested, '198.51.100.200')).toBe('198.51.100.0/24');
    expect(
      find(CidrRanges.fromEntries(['198.51.100.8/30', '198.51.100.0/24']), '198.51.100.9'),
    ).toBe('198.51.100.0/24');
  });

  it('skips refused entries and reports them with their position', () => {
    const refused: [number, string][] = [];
    const partial = CidrRanges.fromEntries(['nope', '192.0.2.0/24', '0.0.0.0/0'], (i, reason) =>
      refused.push([i, reason]),
    );
    expect(refused).toEqual([
      [0, 'not an IP address or CIDR (not a dotted quad of octets 0-255)'],
      [2, 'a /0 entry would keep every address off the lists'],
    ]);
    expect(find(partial, '192.0.2.1')).toBe('192.0.2.0/24');
    expect(find(partial, '198.51.100.1')).toBeNull();
  });

  it('unites the ranges of several lists', () => {
    const union = CidrRanges.union([
      CidrRanges.fromEntries(['192.0.2.0/24']),
      CidrRanges.fromEntries(['2001:db8::/32', '203.0.113.0/24']),
    ]);
    expect(
      ['192.0.2.9', '203.0.113.9', '2001:db8::9', '198.51.100.9'].map((v) => find(union, v)),
    ).toEqual(['192.0.2.0/24', '203.0.113.0/24', '2001:db8::/32', null]);
  });

  it('finds nothing in an empty list', () => {
    const empty = CidrRanges.fromEntries([]);
    expect([find(empty, '192.0.2.1'), find(empty, '2001:db8::1')]).toEqual([null, null]);
  });
});

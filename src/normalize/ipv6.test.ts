import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { formatIPv6, ipv6FromBigInt, ipv6ToBigInt, parseIPv6, parseIPv6Into } from './ipv6.js';

describe('parseIPv6 and formatIPv6 (RFC 5952)', () => {
  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8::0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['::1:2:3:4:5:6:7', '0:1:2:3:4:5:6:7'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['a:b:c:d:e:f:0:0', 'a:b:c:d:e:f::'],
    ['0001:0002::', '1:2::'],
    ['FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::FFFF:c000:0201', '::ffff:192.0.2.1'],
    ['0:0:0:0:0:ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::ffff:0:0', '::ffff:0.0.0.0'],
    ['::192.0.2.1', '::c000:201'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    ['2001:db8:1:2:3:4:192.0.2.1', '2001:db8:1:2:3:4:c000:201'],
    ['2001:db8::ffff:192.0.2.1', '2001:db8::ffff:c000:201'],
  ])('writes %j as %j', (text, expected) => {
    const groups = parseIPv6(text);
    expect(groups).not.toBeNull();
    expect(formatIPv6(groups!)).toBe(expected);
  });

  it.each([
    [''],
    [':'],
    [':::'],
    ['1:2'],
    ['1:2:3:4:5:6:7'],
    ['1:2:3:4:5:6:7:8:9'],
    ['1:2:3:4:5:6:7:8::'],
    ['::1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7::8'],
    ['1::2::3'],
    [':1::'],
    ['1::2:'],
    ['12345::'],
    ['g::1'],
    ['2001:db8::1%eth0'],
    ['2001:db8::1%1'],
    ['[2001:db8::1]'],
    ['2001:db8::1/64'],
    [' ::1'],
    ['::1 '],
    ['::ffff:192.0.2'],
    ['::ffff:192.0.2.256'],
    ['::ffff:010.0.2.1'],
    ['::ffff:1.2.3.4.5'],
    ['1:2:3:4:5:6:7:192.0.2.1'],
    ['::192.0.2.1:1'],
    ['::192.0.2.1::'],
    ['192.0.2.1'],
  ])('refuses %j', (text) => {
    expect(parseIPv6(text)).toBeNull();
  });

  it('gives the groups', () => {
    expect(Array.from(parseIPv6('2001:DB8::0:1')!)).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  });

  it('reads a range of a longer string into the given array', () => {
    const groups = new Uint16Array(8);
    expect(parseIPv6Into('[2001:db8::1]:443', groups, 1, 12)).toBe(true);
    expect(Array.from(groups)).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  });

  // A zero-heavy generator so that runs of zero groups, and their ties, come up often.
  const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
  const address = fc.array(group, { minLength: 8, maxLength: 8 });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(address, (groups) => {
        expect(Array.from(parseIPv6(formatIPv6(groups))!)).toEqual(groups);
      }),
    );
  });

  it('writes what the WHATWG URL serializer writes, IPv4-mapped addresses aside', () => {
    fc.assert(
      fc.property(address, (groups) => {
        fc.pre(!(groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff));
        const full = groups.map((g) => g.toString(16)).join(':');
        expect(`[${formatIPv6(groups)}]`).toBe(new URL(`http://[${full}]/`).hostname);
      }),
    );
  });
});

describe('ipv6ToBigInt and ipv6FromBigInt', () => {
  it.each([
    ['::', 0n],
    ['::1', 1n],
    ['2001:db8::', 0x20010db8n << 96n],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', (1n << 128n) - 1n],
  ])('converts %j and %d both ways', (text, value) => {
    expect(ipv6ToBigInt(parseIPv6(text)!)).toBe(value);
    expect(formatIPv6(ipv6FromBigInt(value))).toBe(text);
  });

  it('ignores bits above 128', () => {
    expect(formatIPv6(ipv6FromBigInt((1n << 128n) | 5n))).toBe('::5');
  });
});

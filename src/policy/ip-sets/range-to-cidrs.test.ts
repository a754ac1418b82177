import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IpSpan } from '../../normalize/ip-span.js';
import {
  markRange,
  minimalCover,
  universeArbitrary,
} from '../../../test/support/ip-set-reference.js';
import { rangeToCidrs } from './range-to-cidrs.js';

const V4_LAST = 0xffffffffn;
const V6_LAST = (1n << 128n) - 1n;
const DOC_V4 = 3221225984n; // 192.0.2.0
const DOC_V6 = 0x20010db8n << 96n; // 2001:db8::

const v4 = (start: bigint, end: bigint): IpSpan => ({ family: 4, start, end });
const v6 = (start: bigint, end: bigint): IpSpan => ({ family: 6, start, end });

describe('rangeToCidrs', () => {
  it.each([
    ['one address', v4(DOC_V4 + 1n, DOC_V4 + 1n), ['192.0.2.1']],
    ['an aligned /24', v4(DOC_V4, DOC_V4 + 255n), ['192.0.2.0/24']],
    [
      'an unaligned run',
      v4(DOC_V4 + 1n, DOC_V4 + 6n),
      ['192.0.2.1', '192.0.2.2/31', '192.0.2.4/31', '192.0.2.6'],
    ],
    [
      'a /24 but its last address',
      v4(DOC_V4, DOC_V4 + 254n),
      [
        '192.0.2.0/25',
        '192.0.2.128/26',
        '192.0.2.192/27',
        '192.0.2.224/28',
        '192.0.2.240/29',
        '192.0.2.248/30',
        '192.0.2.252/31',
        '192.0.2.254',
      ],
    ],
    ['empty (start after end)', v4(DOC_V4 + 1n, DOC_V4), []],
    ['all of IPv4', v4(0n, V4_LAST), ['0.0.0.0/0']],
    [
      'all of IPv4 but 0.0.0.0',
      v4(1n, V4_LAST),
      ['0.0.0.1', ...Array.from({ length: 31 }, (_, i) => `${formatBlockStart(i)}/${31 - i}`)],
    ],
    ['the lower half', v4(0n, 0x7fffffffn), ['0.0.0.0/1']],
    ['across the middle', v4(0x7fffffffn, 0x80000000n), ['127.255.255.255', '128.0.0.0']],
    ['the last address', v4(V4_LAST, V4_LAST), ['255.255.255.255']],
    ['the last two', v4(V4_LAST - 1n, V4_LAST), ['255.255.255.254/31']],
    ['IPv6 one address', v6(DOC_V6 + 1n, DOC_V6 + 1n), ['2001:db8::1']],
    ['IPv6 an unaligned run', v6(DOC_V6, DOC_V6 + 2n), ['2001:db8::/127', '2001:db8::2']],
    ['IPv6 a /32', v6(DOC_V6, DOC_V6 + (1n << 96n) - 1n), ['2001:db8::/32']],
    ['IPv6 all', v6(0n, V6_LAST), ['::/0']],
    ['IPv6 the lower half', v6(0n, V6_LAST >> 1n), ['::/1']],
    [
      'IPv6 across the middle',
      v6(V6_LAST >> 1n, (V6_LAST >> 1n) + 1n),
      ['7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '8000::'],
    ],
    ['IPv6 the last address', v6(V6_LAST, V6_LAST), ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']],
    ['IPv6 :: and ::1', v6(0n, 1n), ['::/127']],
  ])('%s', (_name, span, expected) => {
    expect(rangeToCidrs(span)).toEqual(expected);
  });

  it.each([
    ['past IPv4', v4(0n, V4_LAST + 1n)],
    ['past IPv6', v6(0n, V6_LAST + 1n)],
    ['negative', v4(-1n, 5n)],
  ])('throws on a range %s', (_name, span) => {
    expect(() => rangeToCidrs(span)).toThrow(RangeError);
  });

  it.each([4, 6] as const)('IPv%i: the fewest CIDRs of any range in a /20 or /116', (family) => {
    const cases = fc.tuple(
      universeArbitrary(family, 12),
      fc.integer({ min: 0, max: 4095 }),
      fc.integer({ min: 0, max: 4095 }),
    );
    fc.assert(
      fc.property(cases, ([universe, a, b]) => {
        const [first, last] = a <= b ? [a, b] : [b, a];
        const members = new Uint8Array(4096);
        markRange(members, first, last, 1);
        const span = {
          family,
          start: universe.base + BigInt(first),
          end: universe.base + BigInt(last),
        };
        expect(rangeToCidrs(span)).toEqual(minimalCover(universe, members));
      }),
    );
  });
});

// 0.0.0.2/31, 0.0.0.4/30, … 128.0.0.0/1: the blocks after 0.0.0.1 up to the end of IPv4.
function formatBlockStart(i: number): string {
  const start = 2 ** (i + 1);
  return [start >>> 24, (start >>> 16) & 255, (start >>> 8) & 255, start & 255].join('.');
}

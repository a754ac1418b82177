import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipSpan } from '../../normalize/ip-span.js';
import type { IpSpan } from '../../normalize/ip-span.js';
import { PROTECTED_RANGES } from '../protected-ranges.js';
import {
  blockArbitrary,
  blockText,
  markRange,
  minimalCover,
  universeArbitrary,
} from '../../../test/support/ip-set-reference.js';
import { subtractSpans } from './subtract-spans.js';

const spans = (...values: string[]): IpSpan[] => values.map((value) => ipSpan(value)!);
const PROTECTED = spans(...PROTECTED_RANGES);

describe('subtractSpans', () => {
  it.each([
    ['no holes', '192.0.2.0/24', [], ['192.0.2.0/24']],
    ['a hole elsewhere', '192.0.2.0/24', spans('198.51.100.0/24'), ['192.0.2.0/24']],
    ['a hole of the other family', '192.0.2.0/24', spans('::ffff:192.0.2.0/120'), ['192.0.2.0/24']],
    ['a hole just before', '192.0.2.128/25', spans('192.0.2.127'), ['192.0.2.128/25']],
    ['a hole just after', '192.0.2.0/25', spans('192.0.2.128'), ['192.0.2.0/25']],
    ['the lower half', '192.0.2.0/24', spans('192.0.2.0/25'), ['192.0.2.128/25']],
    ['the upper half', '192.0.2.0/24', spans('192.0.2.128/25'), ['192.0.2.0/25']],
    [
      'one address in the middle',
      '192.0.2.0/29',
      spans('192.0.2.5'),
      ['192.0.2.0/30', '192.0.2.4', '192.0.2.6/31'],
    ],
    ['all of it', '192.0.2.0/24', spans('192.0.2.0/24'), []],
    ['a larger hole', '192.0.2.7', spans('192.0.2.0/24'), []],
    ['holes that add up to it', '192.0.2.0/30', spans('192.0.2.2/31', '192.0.2.0/31'), []],
    [
      'overlapping holes, any order',
      '192.0.2.0/28',
      spans('192.0.2.6/31', '192.0.2.4/30', '192.0.2.5'),
      ['192.0.2.0/30', '192.0.2.8/29'],
    ],
    [
      'a range that is not a CIDR',
      '192.0.2.0/29',
      [{ family: 4, start: 3221225985n, end: 3221225989n }] as IpSpan[],
      ['192.0.2.0', '192.0.2.6/31'],
    ],
    [
      '8.0.0.0/5 around 10.0.0.0/8',
      '8.0.0.0/5',
      PROTECTED,
      ['8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6'],
    ],
    [
      'the protected ranges out of 0.0.0.0/1',
      '0.0.0.0/1',
      PROTECTED,
      [
        '1.0.0.0/8',
        '2.0.0.0/7',
        '4.0.0.0/6',
        '8.0.0.0/7',
        '11.0.0.0/8',
        '12.0.0.0/6',
        '16.0.0.0/4',
        '32.0.0.0/3',
        '64.0.0.0/3',
        '96.0.0.0/6',
        '100.0.0.0/10',
        '100.128.0.0/9',
        '101.0.0.0/8',
        '102.0.0.0/7',
        '104.0.0.0/5',
        '112.0.0.0/5',
        '120.0.0.0/6',
        '124.0.0.0/7',
        '126.0.0.0/8',
      ],
    ],
    [
      'the protected ranges out of 128.0.0.0/1',
      '128.0.0.0/1',
      PROTECTED,
      [
        '128.0.0.0/3',
        '160.0.0.0/5',
        '168.0.0.0/8',
        '169.0.0.0/9',
        '169.128.0.0/10',
        '169.192.0.0/11',
        '169.224.0.0/12',
        '169.240.0.0/13',
        '169.248.0.0/14',
        '169.252.0.0/15',
        '169.255.0.0/16',
        '170.0.0.0/7',
        '172.0.0.0/12',
        '172.32.0.0/11',
        '172.64.0.0/10',
        '172.128.0.0/9',
        '173.0.0.0/8',
        '174.0.0.0/7',
        '176.0.0.0/4',
        '192.0.0.0/9',
        '192.128.0.0/11',
        '192.160.0.0/13',
        '192.169.0.0/16',
        '192.170.0.0/15',
        '192.172.0.0/14',
        '192.176.0.0/12',
        '192.192.0.0/10',
        '193.0.0.0/8',
        '194.0.0.0/7',
        '196.0.0.0/6',
        '200.0.0.0/5',
        '208.0.0.0/4',
      ],
    ],
    ['255.255.255.255 in 240.0.0.0/4', '255.255.255.255', PROTECTED, []],
    [
      'the last address out of the last /30',
      '255.255.255.252/30',
      spans('255.255.255.255'),
      ['255.255.255.252/31', '255.255.255.254'],
    ],
    ['IPv6 untouched', '2001:db8::/32', PROTECTED, ['2001:db8::/32']],
    ['IPv6 loopback out of ::/126', '::/126', spans('::1'), ['::', '::2/127']],
    [
      'IPv6 fc00::/7, fe80::/10 and ff00::/8 out of f000::/4',
      'f000::/4',
      PROTECTED,
      ['f000::/5', 'f800::/6', 'fe00::/9', 'fec0::/10'],
    ],
    [
      'IPv6 either side of ::/1',
      '7fff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127',
      spans('8000::/1'),
      ['7fff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127'],
    ],
    [
      'IPv6 the last address',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126',
      spans('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'),
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/127', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'],
    ],
  ])('%s', (_name, value, holes, expected) => {
    expect(subtractSpans(value, holes)).toEqual(expected);
  });

  it('returns the value string itself when untouched', () => {
    expect(subtractSpans('192.0.2.77/24', PROTECTED)).toEqual(['192.0.2.77/24']);
  });

  it.each(['evil.example', '0.0.0.0/0', '192.0.2.1/33'])('throws on %j', (value) => {
    expect(() => subtractSpans(value, PROTECTED)).toThrow(
      new TypeError(`subtractSpans: ${value} is not an IP or CIDR`),
    );
  });

  it.each([
    ['IPv4 in a /20', 4, 12],
    ['IPv4 in a /26, dense', 4, 6],
    ['IPv6 in a /116', 6, 12],
  ] as const)('%s: exactly the value minus the holes, fewest CIDRs', (_name, family, bits) => {
    const size = 2 ** bits;
    // Holes are any ranges, reaching up to a universe beyond either side.
    const hole = fc
      .tuple(fc.integer({ min: -size, max: 2 * size - 1 }), fc.integer({ min: 1, max: size }))
      .map(([first, length]) => [first, first + length - 1] as const);
    const cases = fc.tuple(
      universeArbitrary(family, bits),
      blockArbitrary(bits),
      fc.array(hole, { maxLength: 8 }),
    );

    fc.assert(
      fc.property(cases, ([universe, block, holeOffsets]) => {
        const last = (1n << (family === 4 ? 32n : 128n)) - 1n;
        const holes: IpSpan[] = [];
        for (const [first, end] of holeOffsets) {
          const start = universe.base + BigInt(first);
          const stop = universe.base + BigInt(end);
          if (stop < 0n || start > last) continue;
          holes.push({ family, start: start < 0n ? 0n : start, end: stop > last ? last : stop });
        }

        const members = new Uint8Array(size);
        markRange(members, block.offset, block.offset + 2 ** block.hostBits - 1, 1);
        for (const [first, end] of holeOffsets) markRange(members, first, end, 0);

        const value = blockText(universe, block);
        expect(subtractSpans(value, holes)).toEqual(minimalCover(universe, members));
      }),
    );
  });
});

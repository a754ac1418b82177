import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { formatIPv4, IPV4_INVALID, IPV4_LEADING_ZERO, parseIPv4, scanIPv4 } from './ipv4.js';

describe('scanIPv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['255.255.255.255', 4294967295],
    ['192.0.2.1', 3221225985],
    ['198.51.100.6', 3325256710],
    ['203.0.113.255', 3405804031],
  ])('reads %j as %d', (text, expected) => {
    expect(scanIPv4(text)).toBe(expected);
  });

  it.each([['010.1.1.1'], ['192.0.2.01'], ['00.0.0.0'], ['192.000.2.1']])(
    'reports the leading zero in %j',
    (text) => {
      expect(scanIPv4(text)).toBe(IPV4_LEADING_ZERO);
    },
  );

  it.each([
    [''],
    ['1'],
    ['192.0.2'],
    ['192.0.2.1.5'],
    ['192.0.2.'],
    ['.192.0.2'],
    ['192..2.1'],
    ['256.0.0.0'],
    ['192.0.2.256'],
    ['192.0.2.999'],
    ['192.0.2.1000'],
    ['0400.1.1.1'],
    ['010.1.1.256'],
    ['010.1.1'],
    ['192.0.2.1/24'],
    [' 192.0.2.1'],
    ['192.0.2.1 '],
    ['+192.0.2.1'],
    ['-192.0.2.1'],
    ['0x7f.0.0.1'],
    ['192.0.2.a'],
    ['１92.0.2.1'],
    ['::ffff:192.0.2.1'],
  ])('refuses %j', (text) => {
    expect(scanIPv4(text)).toBe(IPV4_INVALID);
  });

  it('reads a range of a longer string', () => {
    expect(scanIPv4('[192.0.2.1]', 1, 10)).toBe(3221225985);
    expect(scanIPv4('192.0.2.1|443', 0, 9)).toBe(3221225985);
  });

  it('reads back every address it formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (address) => {
        expect(scanIPv4(formatIPv4(address))).toBe(address);
      }),
    );
  });
});

describe('parseIPv4', () => {
  it.each([
    ['198.51.100.6', 3325256710],
    ['198.51.100.06', null],
    ['198.51.100', null],
  ])('parses %j as %j', (text, expected) => {
    expect(parseIPv4(text)).toBe(expected);
  });
});

describe('formatIPv4', () => {
  it.each([
    [0, '0.0.0.0'],
    [4294967295, '255.255.255.255'],
    [3221225985, '192.0.2.1'],
    [3405804031, '203.0.113.255'],
  ])('writes %d as %j', (address, expected) => {
    expect(formatIPv4(address)).toBe(expected);
  });
});

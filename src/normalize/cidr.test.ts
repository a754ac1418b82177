import { describe, expect, it } from 'vitest';

import {
  ipv4Mask,
  ipv4NetworkEnd,
  ipv4NetworkStart,
  ipv6NetworkEnd,
  ipv6NetworkStart,
  ipv6Rejection,
  parseIpOrCidr,
} from './cidr.js';
import { formatIPv4, parseIPv4 } from './ipv4.js';
import { formatIPv6, ipv6FromBigInt, ipv6ToBigInt, parseIPv6 } from './ipv6.js';

// Plain arrays instead of Uint16Array so that toEqual compares them with the table.
function plain(result: ReturnType<typeof parseIpOrCidr>): unknown {
  return 'groups' in result ? { ...result, groups: Array.from(result.groups) } : result;
}

describe('parseIpOrCidr', () => {
  it.each([
    ['192.0.2.1', { family: 4, address: 3221225985, prefix: 32 }],
    ['192.0.2.1/32', { family: 4, address: 3221225985, prefix: 32 }],
    ['192.0.2.5/24', { family: 4, address: 3221225984, prefix: 24 }],
    ['198.51.100.7/31', { family: 4, address: 3325256710, prefix: 31 }],
    ['203.0.113.200/25', { family: 4, address: 3405803904, prefix: 25 }],
    ['192.0.2.1/1', { family: 4, address: 2147483648, prefix: 1 }],
    ['2001:db8::1', { family: 6, groups: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], prefix: 128 }],
    ['2001:db8::1/128', { family: 6, groups: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], prefix: 128 }],
    ['2001:db8::1/127', { family: 6, groups: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], prefix: 127 }],
    ['2001:db8::1/32', { family: 6, groups: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], prefix: 32 }],
    [
      '2001:db8:abcd:12ff::1/60',
      { family: 6, groups: [0x2001, 0xdb8, 0xabcd, 0x12f0, 0, 0, 0, 0], prefix: 60 },
    ],
    ['2001:db8::/1', { family: 6, groups: [0, 0, 0, 0, 0, 0, 0, 0], prefix: 1 }],
  ])('reads %j', (text, expected) => {
    expect(plain(parseIpOrCidr(text))).toEqual(expected);
  });

  const v4Range = 'the prefix must be 0-32';
  const notNumber = 'the prefix is not a number';
  it.each([
    ['0.0.0.0/0', 'whole_address_space', 'a /0 matches every IPv4 address'],
    ['192.0.2.1/0', 'whole_address_space', 'a /0 matches every IPv4 address'],
    ['::/0', 'whole_address_space', 'a /0 matches every IPv6 address'],
    ['2001:db8::1/0', 'whole_address_space', 'a /0 matches every IPv6 address'],
    ['192.0.2.0/33', 'prefix_out_of_range', v4Range],
    ['192.0.2.0/-1', 'prefix_out_of_range', v4Range],
    ['192.0.2.0/99999999999999999999', 'prefix_out_of_range', v4Range],
    ['2001:db8::/129', 'prefix_out_of_range', 'the prefix must be 0-128'],
    ['192.0.2.0/08', 'invalid_cidr', 'the prefix has a leading zero'],
    ['192.0.2.0/00', 'invalid_cidr', 'the prefix has a leading zero'],
    ['2001:db8::/032', 'invalid_cidr', 'the prefix has a leading zero'],
    ['192.0.2.0/+8', 'invalid_cidr', notNumber],
    ['192.0.2.0/-', 'invalid_cidr', notNumber],
    ['192.0.2.0/2a', 'invalid_cidr', notNumber],
    ['192.0.2.0/ 24', 'invalid_cidr', notNumber],
    ['192.0.2.0/24/24', 'invalid_cidr', notNumber],
    ['192.0.2.0/', 'invalid_cidr', 'nothing after the /'],
    ['192.0.2/24', 'invalid_ipv4', 'not a dotted quad of octets 0-255'],
    ['192.0.2/33', 'invalid_ipv4', 'not a dotted quad of octets 0-255'],
    ['/24', 'invalid_ipv4', 'not a dotted quad of octets 0-255'],
    [
      '192.0.2.010/24',
      'ipv4_leading_zero',
      'an octet has a leading zero (octal or decimal is ambiguous)',
    ],
    [
      '2001:db8::1%eth0/64',
      'invalid_ipv6',
      'zone ids (%eth0) name a local interface and are not allowed',
    ],
    ['2001:db8:::/48', 'invalid_ipv6', 'not an IPv6 address'],
  ])('refuses %j as %s', (text, reason, detail) => {
    expect(parseIpOrCidr(text)).toEqual({ ok: false, reason, detail });
  });
});

describe('ipv6Rejection', () => {
  it('names a zone id only when it is inside the address part', () => {
    expect(ipv6Rejection('[2001:db8::1]%x', 13).detail).toBe('not an IPv6 address');
    expect(ipv6Rejection('2001:db8::1%x').detail).toBe(
      'zone ids (%eth0) name a local interface and are not allowed',
    );
  });
});

describe('IPv4 network math', () => {
  it.each([
    [0, 0],
    [1, 0x80000000],
    [24, 0xffffff00],
    [31, 0xfffffffe],
    [32, 0xffffffff],
  ])('/%d has mask %d', (prefix, mask) => {
    expect(ipv4Mask(prefix)).toBe(mask);
  });

  it.each([
    ['192.0.2.77', 24, '192.0.2.0', '192.0.2.255'],
    ['192.0.2.77', 32, '192.0.2.77', '192.0.2.77'],
    ['198.51.100.7', 31, '198.51.100.6', '198.51.100.7'],
    ['203.0.113.200', 1, '128.0.0.0', '255.255.255.255'],
    ['203.0.113.200', 0, '0.0.0.0', '255.255.255.255'],
  ])('%s/%d spans %s to %s', (address, prefix, start, end) => {
    const value = parseIPv4(address)!;
    expect(formatIPv4(ipv4NetworkStart(value, prefix))).toBe(start);
    expect(formatIPv4(ipv4NetworkEnd(value, prefix))).toBe(end);
    expect(ipv4NetworkEnd(value, prefix)).toBeGreaterThanOrEqual(0);
  });
});

describe('IPv6 network math', () => {
  it.each([
    ['2001:db8::1', 32, '2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2001:db8::1', 128, '2001:db8::1', '2001:db8::1'],
    ['2001:db8::1', 126, '2001:db8::', '2001:db8::3'],
    ['2001:db8::1', 0, '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('%s/%d spans %s to %s', (address, prefix, start, end) => {
    const value = ipv6ToBigInt(parseIPv6(address)!);
    expect(formatIPv6(ipv6FromBigInt(ipv6NetworkStart(value, prefix)))).toBe(start);
    expect(formatIPv6(ipv6FromBigInt(ipv6NetworkEnd(value, prefix)))).toBe(end);
  });
});

import { describe, expect, it } from 'vitest';

import { normalizeIp } from './normalize-ip.js';

const zeros = (count: number): string => '0'.repeat(count);

describe('normalizeIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1', '4c000020132'],
    ['0.0.0.0', '0.0.0.0', `4${zeros(8)}32`],
    ['255.255.255.255', '255.255.255.255', '4ffffffff32'],
    ['192.0.2.5/24', '192.0.2.0/24', '4c000020024'],
    ['192.0.2.1/32', '192.0.2.1', '4c000020132'],
    ['192.0.2.8/29', '192.0.2.8/29', '4c000020829'],
    ['192.0.2.1/1', '128.0.0.0/1', '48000000001'],
    ['2001:DB8::1', '2001:db8::1', `620010db8${zeros(20)}0001128`],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', `620010db8${zeros(8)}0001${zeros(8)}0001128`],
    ['2001:db8::/32', '2001:db8::/32', `620010db8${zeros(24)}032`],
    ['2001:db8::1/128', '2001:db8::1', `620010db8${zeros(20)}0001128`],
    ['2001:db8::1/64', '2001:db8::/64', `620010db8${zeros(24)}064`],
    // IPv4-mapped: the IPv4 address or network it stands for (RFC 4291 §2.5.5.2).
    ['::ffff:192.0.2.1', '192.0.2.1', '4c000020132'],
    ['::FFFF:c000:0201', '192.0.2.1', '4c000020132'],
    ['0:0:0:0:0:ffff:203.0.113.9', '203.0.113.9', '4cb00710932'],
    ['::ffff:203.0.113.9/128', '203.0.113.9', '4cb00710932'],
    ['::ffff:192.0.2.77/120', '192.0.2.0/24', '4c000020024'],
    ['::ffff:128.0.0.0/97', '128.0.0.0/1', '48000000001'],
    // Wider than the mapped block, IPv4-compatible, IPv4-translated and NAT64 stay IPv6.
    ['::ffff:0:0/95', '::fffe:0:0/95', `6${zeros(20)}fffe00000000095`],
    ['::192.0.2.1', '::c000:201', `6${zeros(24)}c0000201128`],
    ['::ffff:0:192.0.2.1', '::ffff:0:c000:201', `6${zeros(16)}ffff0000c0000201128`],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201', `60064ff9b${zeros(16)}c0000201128`],
    ['2001:db8::/1', '::/1', `6${zeros(32)}001`],
  ])('turns %j into %j', (text, value, sortKey) => {
    expect(normalizeIp(text, true)).toEqual({ kind: 'ip', value, sortKey });
  });

  const cidrRefused = 'an address is expected here, not a CIDR';
  it.each([
    ['192.0.2.0/24', false, 'invalid_cidr', cidrRefused],
    ['192.0.2.1/32', false, 'invalid_cidr', cidrRefused],
    ['2001:db8::/32', false, 'invalid_cidr', cidrRefused],
    ['192.0.2.256', true, 'invalid_ipv4', 'not a dotted quad of octets 0-255'],
    ['example.test', true, 'invalid_ipv4', 'not a dotted quad of octets 0-255'],
    [
      '192.0.2.01',
      true,
      'ipv4_leading_zero',
      'an octet has a leading zero (octal or decimal is ambiguous)',
    ],
    [
      '2001:db8::1%eth0',
      true,
      'invalid_ipv6',
      'zone ids (%eth0) name a local interface and are not allowed',
    ],
    ['::ffff:0:0/96', true, 'whole_address_space', 'a /0 matches every IPv4 address'],
    ['::ffff:192.0.2.0/120', false, 'invalid_cidr', cidrRefused],
  ])('refuses %j (allowCidr %s) as %s', (text, allowCidr, reason, detail) => {
    expect(normalizeIp(text, allowCidr)).toEqual({ ok: false, reason, detail });
  });

  it('accepts an address where a CIDR is refused', () => {
    expect(normalizeIp('2001:db8::1', false)).toEqual({
      kind: 'ip',
      value: '2001:db8::1',
      sortKey: `620010db8${zeros(20)}0001128`,
    });
  });

  it('gives sort keys in family, address, prefix order', () => {
    const ordered = [
      '128.0.0.0/1',
      '192.0.2.0/24',
      '192.0.2.0/25',
      '192.0.2.0',
      '192.0.2.1',
      '198.51.100.0/24',
      '::/1',
      '::ffff:0:c000:201',
      '2001:db8::/32',
      '2001:db8::',
      '2001:db8::1',
    ];
    const keys = new Map<string, string>();
    for (const text of [...ordered].reverse()) {
      const indicator = normalizeIp(text, true);
      if ('ok' in indicator) throw new Error(`${text}: ${indicator.detail}`);
      keys.set(indicator.sortKey, indicator.value);
    }
    const sorted = [...keys.keys()].sort().map((key) => keys.get(key));
    expect(sorted).toEqual(ordered);
  });
});

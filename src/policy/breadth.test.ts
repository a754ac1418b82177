import { describe, expect, it } from 'vitest';

import { checkBreadth, DEFAULT_BREADTH_LIMITS, intendedNetworkProblems } from './breadth.js';
import type { BreadthLimits } from './breadth.js';

const STRICT: BreadthLimits = { maxIpv4Prefix: 24, maxIpv6Prefix: 48 };
const INTENDED: BreadthLimits = {
  ...DEFAULT_BREADTH_LIMITS,
  intendedNetworks: ['198.0.0.0/8', '2001:db8::/31'],
};

describe('checkBreadth', () => {
  it.each<[string, BreadthLimits, string | null]>([
    ['198.51.0.0/16', DEFAULT_BREADTH_LIMITS, null],
    ['198.51.100.0/24', DEFAULT_BREADTH_LIMITS, null],
    ['198.51.100.7', DEFAULT_BREADTH_LIMITS, null],
    ['198.50.0.0/15', DEFAULT_BREADTH_LIMITS, '198.50.0.0/15 is wider than the IPv4 limit of /16'],
    ['198.0.0.0/8', DEFAULT_BREADTH_LIMITS, '198.0.0.0/8 is wider than the IPv4 limit of /16'],
    ['2001:db8::/32', DEFAULT_BREADTH_LIMITS, null],
    ['2001:db8::/31', DEFAULT_BREADTH_LIMITS, '2001:db8::/31 is wider than the IPv6 limit of /32'],
    ['2001:db8::1', DEFAULT_BREADTH_LIMITS, null],
    [
      '::ffff:198.0.0.0/104',
      DEFAULT_BREADTH_LIMITS,
      '::ffff:198.0.0.0/104 (a /8 of IPv4 inside ::ffff:0.0.0.0/96) is wider than the IPv4 limit of /16',
    ],
    ['::ffff:198.51.0.0/112', DEFAULT_BREADTH_LIMITS, null],
    [
      '64:ff9b::c600:0/104',
      DEFAULT_BREADTH_LIMITS,
      '64:ff9b::c600:0/104 (a /8 of IPv4 inside 64:ff9b::/96) is wider than the IPv4 limit of /16',
    ],
    ['198.51.100.0/24', STRICT, null],
    ['198.51.100.0/23', STRICT, '198.51.100.0/23 is wider than the IPv4 limit of /24'],
    ['2001:db8::/47', STRICT, '2001:db8::/47 is wider than the IPv6 limit of /48'],
    ['198.0.0.0/8', INTENDED, null],
    ['198.16.0.0/12', INTENDED, null],
    ['203.0.0.0/8', INTENDED, '203.0.0.0/8 is wider than the IPv4 limit of /16'],
    ['2001:db8::/31', INTENDED, null],
    ['2001:db8::/30', INTENDED, '2001:db8::/30 is wider than the IPv6 limit of /32'],
    ['evil.example', DEFAULT_BREADTH_LIMITS, null],
    ['http://198.51.100.7/a/b', DEFAULT_BREADTH_LIMITS, null],
  ])('%s → %s', (value, limits, detail) => {
    expect(checkBreadth(value, limits)).toEqual(
      detail === null ? null : { rule: 'breadth', detail },
    );
  });

  it('uses the defaults when no limits are given', () => {
    expect(checkBreadth('198.0.0.0/15')).toEqual({
      rule: 'breadth',
      detail: '198.0.0.0/15 is wider than the IPv4 limit of /16',
    });
  });
});

describe('intendedNetworkProblems', () => {
  it('reports each entry that is not an IP network, with its index and reason', () => {
    expect(
      intendedNetworkProblems(
        ['198.0.0.0/8', 'wide.example', '2001:db8::/33', '198.51.100.0/40'],
        'breadth.intended',
      ),
    ).toEqual([
      { path: 'breadth.intended.1', message: '"wide.example": not a dotted quad of octets 0-255' },
      { path: 'breadth.intended.3', message: '"198.51.100.0/40": the prefix must be 0-32' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { ipSpan, spanCovers } from './ip-span.js';

describe('ipSpan and spanCovers', () => {
  it.each([
    ['198.51.100.0/28', '198.51.100.5', true],
    ['198.51.100.0/28', '198.51.100.16', false],
    ['198.51.100.0/24', '198.51.100.128/25', true],
    ['198.51.100.128/25', '198.51.100.0/24', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['198.51.100.0/24', '::ffff:198.51.100.5', false],
    ['192.0.2.1', '192.0.2.1', true],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    expect(spanCovers(ipSpan(outer)!, ipSpan(inner)!)).toBe(expected);
  });

  it('is null for anything but an IP or CIDR', () => {
    expect(ipSpan('evil.example')).toBeNull();
    expect(ipSpan('198.51.100.0/33')).toBeNull();
  });

  it('gives the exact bounds', () => {
    expect(ipSpan('198.51.100.0/28')).toEqual({ family: 4, start: 3325256704n, end: 3325256719n });
  });
});

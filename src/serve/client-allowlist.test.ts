import { describe, expect, it } from 'vitest';
import { createClientAllowlist, unmapIPv4 } from './client-allowlist.js';

describe('createClientAllowlist', () => {
  const isAllowed = createClientAllowlist(['192.0.2.10', '198.51.100.7/24', '2001:db8:1::/48']);

  it.each([
    ['192.0.2.10', true],
    ['192.0.2.11', false],
    ['198.51.100.200', true],
    ['::ffff:198.51.100.1', true],
    ['203.0.113.1', false],
    ['2001:db8:1:ffff::1', true],
    ['2001:db8:2::1', false],
    ['', false],
    ['not-an-ip', false],
  ])('%s → %s', (ip, expected) => {
    expect(isAllowed(ip)).toBe(expected);
  });

  it('allows every client when no list is given', () => {
    expect(createClientAllowlist(undefined)('203.0.113.9')).toBe(true);
  });

  it('allows nobody with an empty list', () => {
    expect(createClientAllowlist([])('127.0.0.1')).toBe(false);
  });

  it.each([
    '192.0.2.0/33',
    '192.0.2.0/',
    '192.0.2.0/24/1',
    'host.example',
    '2001:db8::/129',
    '192.0.2.0/x',
  ])('refuses %s at build time', (entry) => {
    expect(() => createClientAllowlist([entry])).toThrow(
      `feed server: allowed client ${entry} is not an IP or CIDR`,
    );
  });
});

describe('unmapIPv4', () => {
  it.each([
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::FFFF:192.0.2.7', '192.0.2.7'],
    ['192.0.2.7', '192.0.2.7'],
    ['2001:db8::1', '2001:db8::1'],
  ])('%s → %s', (ip, expected) => {
    expect(unmapIPv4(ip)).toBe(expected);
  });
});

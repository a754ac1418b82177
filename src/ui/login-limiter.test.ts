import { describe, expect, it } from 'vitest';

import { createLoginLimiter, limiterKey } from './login-limiter.js';

describe('login limiter', () => {
  it('counts attempts as they start, for the window only, and forgets on success', () => {
    let now = 0;
    const limiter = createLoginLimiter({ maxAttempts: 3, windowMs: 1000, clock: () => now });
    const answers = Array.from({ length: 5 }, () => limiter.tryAttempt('192.0.2.1'));

    expect(answers).toEqual(['allowed', 'allowed', 'allowed', 'throttled', 'throttled']);
    expect(limiter.tryAttempt('192.0.2.2')).toBe('allowed');
    now = 1000;
    expect(limiter.tryAttempt('192.0.2.1')).toBe('allowed');

    limiter.recordSuccess('192.0.2.1');
    expect([1, 2, 3].map(() => limiter.tryAttempt('192.0.2.1'))).toEqual([
      'allowed',
      'allowed',
      'allowed',
    ]);
    expect(limiter.tryAttempt('192.0.2.1')).toBe('throttled');
  });

  it('counts an IPv6 client by its /64', () => {
    const limiter = createLoginLimiter({ maxAttempts: 2 });
    expect(limiter.tryAttempt('2001:db8:1:2::1')).toBe('allowed');
    expect(limiter.tryAttempt('2001:db8:1:2:ffff:ffff:ffff:fffe')).toBe('allowed');
    expect(limiter.tryAttempt('2001:db8:1:2:abcd::9')).toBe('throttled');
    expect(limiter.tryAttempt('2001:db8:1:3::1')).toBe('allowed');
  });

  it('refuses new clients when full instead of evicting a throttled one', () => {
    let now = 0;
    const limiter = createLoginLimiter({
      maxAttempts: 1,
      windowMs: 1000,
      maxClients: 3,
      clock: () => now,
    });
    limiter.tryAttempt('192.0.2.1');
    now = 10;
    limiter.tryAttempt('2001:db8:0:1::1');
    limiter.tryAttempt('2001:db8:0:2::1');

    expect(limiter.tryAttempt('2001:db8:0:3::1')).toBe('table-full');
    expect(limiter.tryAttempt('192.0.2.1')).toBe('throttled');
    now = 1000;
    expect(limiter.tryAttempt('2001:db8:0:3::1')).toBe('allowed');
    expect(limiter.tryAttempt('2001:db8:0:1::1')).toBe('throttled');
  });

  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
  ])('keys %s as %s', (address, key) => {
    expect(limiterKey(address)).toBe(key);
  });
});

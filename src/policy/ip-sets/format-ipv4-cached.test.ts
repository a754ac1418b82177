import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv4 } from '../../normalize/ipv4.js';
import { formatIPv4Cached } from './format-ipv4-cached.js';

describe('formatIPv4Cached', () => {
  it.each([
    [0, '0.0.0.0'],
    [1, '0.0.0.1'],
    [3221225985, '192.0.2.1'],
    [3325256704, '198.51.100.0'],
    [3405804031, '203.0.113.255'],
    [0x7fffffff, '127.255.255.255'],
    [0x80000000, '128.0.0.0'],
    [0xffffffff, '255.255.255.255'],
  ])('%i is %s', (address, text) => {
    expect(formatIPv4Cached(address)).toBe(text);
    // The second call reads both halves from the cache.
    expect(formatIPv4Cached(address)).toBe(text);
  });

  it('writes what formatIPv4 writes, halves shared between addresses', () => {
    const address = fc.oneof(
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 0xffff }).map((low) => 0xc0000000 + low),
    );
    fc.assert(
      fc.property(address, (value) => {
        expect(formatIPv4Cached(value)).toBe(formatIPv4(value));
      }),
      { numRuns: 2000 },
    );
  });
});

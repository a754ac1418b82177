import { describe, expect, it } from 'vitest';
import { protectedNameOf, protectedRangeOf } from './protected-ranges.js';

describe('protectedRangeOf', () => {
  it.each([
    ['127.0.0.1', '127.0.0.0/8'],
    ['::ffff:0:10.0.0.1', '::ffff:0:10.0.0.0/104'],
    ['2002:a00:1::1', '2002:a00::/24'],
    ['2002:c0a8:101::/48', '2002:c0a8::/32'],
    ['0.0.0.0', '0.0.0.0/8'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.20.30.40', '10.0.0.0/8'],
    ['8.0.0.0/5', '10.0.0.0/8'],
    ['100.64.1.1', '100.64.0.0/10'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['172.31.255.255', '172.16.0.0/12'],
    ['192.168.1.1', '192.168.0.0/16'],
    ['224.0.0.251', '224.0.0.0/4'],
    ['255.255.255.255', '240.0.0.0/4'],
    ['::', '::/128'],
    ['::1', '::1/128'],
    ['fd00::1', 'fc00::/7'],
    ['fe80::1', 'fe80::/10'],
    ['ff02::1', 'ff00::/8'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.0/104'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.0/104'],
    ['::a00:1', '::10.0.0.0/104'],
    ['64:ff9b::7f00:1', '64:ff9b::127.0.0.0/104'],
    ['64:ff9b::/96', '64:ff9b::0.0.0.0/104'],
    // Networks wider than /16 reach protected spans through their first 16 bits.
    ['fc00::/6', 'fc00::/7'],
    ['fe00::/7', 'fe80::/10'],
    ['8000::/1', 'fc00::/7'],
    ['2000::/7', '2002::/24'],
    ['2000::/8', '2002::/24'],
    ['2002::/15', '2002::/24'],
    ['::/15', '::/128'],
    ['febf:ffff::1', 'fe80::/10'],
    ['fdff:ffff::1', 'fc00::/7'],
  ])('%s overlaps %s', (value, range) => {
    expect(protectedRangeOf(value)).toBe(range);
  });

  it.each([
    '192.0.2.1',
    '2002:c633:6407::1',
    '::ffff:0:198.51.100.7',
    '198.51.100.0/24',
    '203.0.113.255',
    '2001:db8::1',
    '2001:db8::/32',
    '2001::/16',
    'fec0::1',
    'fe7f:ffff::1',
    '65::1',
    '2003::/16',
    '::ffff:192.0.2.99',
    '11.0.0.0/8',
    '172.32.0.0/16',
    'evil.example',
  ])('%s overlaps nothing', (value) => {
    expect(protectedRangeOf(value)).toBeNull();
  });
});

describe('protectedNameOf', () => {
  it.each([
    ['localhost', 'localhost'],
    ['app.localhost', 'localhost'],
    ['localhost.localdomain', 'localhost.localdomain'],
    ['localhost.example', null],
    ['notlocalhost', null],
  ])('%s → %s', (name, expected) => {
    expect(protectedNameOf(name)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';

import type { IndicatorKind } from './indicator.js';
import { normalizeValue } from './normalize-value.js';

const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const zeros = (count: number): string => '0'.repeat(count);

function one(kind: IndicatorKind, value: string, sortKey = value): unknown {
  return { ok: true, indicators: [{ kind, value, sortKey }] };
}

function no(reason: string, detail: string): unknown {
  return { ok: false, reason, detail };
}

describe('normalizeValue', () => {
  it.each<[string, unknown]>([
    ['192.0.2.1', one('ip', '192.0.2.1', '4c000020132')],
    [' 192[.]0[.]2[.]1 ', one('ip', '192.0.2.1', '4c000020132')],
    ['192.0.2.5/24', one('ip', '192.0.2.0/24', '4c000020024')],
    ['2001:DB8::1', one('ip', '2001:db8::1', `620010db8${zeros(20)}0001128`)],
    ['2001:db8::/32', one('ip', '2001:db8::/32', `620010db8${zeros(24)}032`)],
    ['::ffff:192.0.2.1', one('ip', '192.0.2.1', '4c000020132')],
    ['hxxp://evil[.]test/a', one('url', 'http://evil.test/a')],
    ['evil.test/login.php', one('url', 'http://evil.test/login.php')],
    ['192.0.2.1/admin', one('url', 'http://192.0.2.1/admin')],
    ['https://[2001:db8::1]/', one('url', 'https://[2001:db8::1]/')],
    [md5.toUpperCase(), one('md5', md5)],
    [sha1, one('sha1', sha1)],
    [sha256, one('sha256', sha256)],
    ['12345678901234567890123456789012', one('md5', '12345678901234567890123456789012')],
    ['Example.TEST', one('domain', 'example.test')],
    ['www.example[.]test', one('domain', 'www.example.test')],
    ['*.example.test', one('domain', '*.example.test')],
    ['bücher.example', one('domain', 'xn--bcher-kva.example')],
  ])('reads %j', (text, expected) => {
    expect(normalizeValue(text)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['', no('empty', 'the value is empty')],
    ['a b', no('inner_space', 'whitespace U+0020 at index 1')],
    ['a\nb', no('control_character', 'control character U+000A at index 1')],
    ['x'.repeat(2049), no('too_long', 'longer than 2048 characters')],
    ['x'.repeat(254), no('too_long', 'longer than 253 characters')],
    ['1.'.repeat(40), no('too_long', 'longer than 64 characters')],
    ['192.0.2.256', no('invalid_ipv4', 'not a dotted quad of octets 0-255')],
    ['192.0.2.1/33', no('prefix_out_of_range', 'the prefix must be 0-32')],
    ['0.0.0.0/0', no('whole_address_space', 'a /0 matches every IPv4 address')],
    [
      '2001:db8::1%eth0',
      no('invalid_ipv6', 'zone ids (%eth0) name a local interface and are not allowed'),
    ],
    ['dead:beef', no('invalid_ipv6', 'not an IPv6 address')],
    ['http://evil', no('invalid_domain', 'a domain needs at least two labels')],
    ['deadbeef', no('invalid_domain', 'a domain needs at least two labels')],
    ['123', no('invalid_domain', 'a domain needs at least two labels')],
    ['example.test:8080', no('invalid_domain', 'character ":" is not allowed')],
    ['/x', no('invalid_domain', 'character "/" is not allowed')],
    [`${md5}0`, no('invalid_domain', 'a domain needs at least two labels')],
  ])('refuses %j', (text, expected) => {
    expect(normalizeValue(text)).toEqual(expected);
  });
});

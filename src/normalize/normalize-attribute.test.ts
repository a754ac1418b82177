import { describe, expect, it } from 'vitest';

import type { Indicator, IndicatorKind, NormalizeResult } from './indicator.js';
import { normalizeAttribute, SUPPORTED_ATTRIBUTE_TYPES } from './normalize-attribute.js';

const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const v4Key = '4c000020132';
const v6Key = `620010db8${'0'.repeat(20)}0001128`;

function indicator(kind: IndicatorKind, value: string, sortKey = value): Indicator {
  return { kind, value, sortKey };
}

function ok(...indicators: Indicator[]): NormalizeResult {
  return { ok: true, indicators };
}

function no(reason: string, detail: string): unknown {
  return { ok: false, reason, detail };
}

const ip = (value: string, sortKey: string): NormalizeResult => ok(indicator('ip', value, sortKey));
const domain = (value: string): NormalizeResult => ok(indicator('domain', value));

describe('normalizeAttribute', () => {
  it.each<[string, string, unknown]>([
    ['ip-src', '192.0.2.1', ip('192.0.2.1', v4Key)],
    ['ip-dst', '192.0.2.1', ip('192.0.2.1', v4Key)],
    ['ip-dst', ' 192.0.2.1\n', ip('192.0.2.1', v4Key)],
    ['ip-dst', '192[.]0[.]2[.]1', ip('192.0.2.1', v4Key)],
    ['ip-dst', '192.0.2.5/24', ip('192.0.2.0/24', '4c000020024')],
    ['ip-dst', '192.0.2.1/32', ip('192.0.2.1', v4Key)],
    ['ip-src', '2001:DB8::1', ip('2001:db8::1', v6Key)],
    ['ip-dst', '2001:db8[:]:1', ip('2001:db8::1', v6Key)],
    ['ip-src', '2001:db8::/32', ip('2001:db8::/32', `620010db8${'0'.repeat(24)}032`)],
    ['ip-dst', '0.0.0.0/0', no('whole_address_space', 'a /0 matches every IPv4 address')],
    ['ip-dst', '::/0', no('whole_address_space', 'a /0 matches every IPv6 address')],
    ['ip-dst', '192.0.2.1/33', no('prefix_out_of_range', 'the prefix must be 0-32')],
    ['ip-dst', '192.0.2.1/024', no('invalid_cidr', 'the prefix has a leading zero')],
    ['ip-dst', '192.0.2.1/+24', no('invalid_cidr', 'the prefix is not a number')],
    [
      'ip-dst',
      '192.0.2.010',
      no('ipv4_leading_zero', 'an octet has a leading zero (octal or decimal is ambiguous)'),
    ],
    ['ip-dst', '192.0.2.256', no('invalid_ipv4', 'not a dotted quad of octets 0-255')],
    ['ip-dst', 'example.test', no('invalid_ipv4', 'not a dotted quad of octets 0-255')],
    [
      'ip-dst',
      '2001:db8::1%eth0',
      no('invalid_ipv6', 'zone ids (%eth0) name a local interface and are not allowed'),
    ],
    ['ip-dst', '2001:db8::g', no('invalid_ipv6', 'not an IPv6 address')],
    ['ip-dst', '', no('empty', 'the value is empty')],
    ['ip-dst', '   ', no('empty', 'the value is empty')],
    [
      'ip-dst',
      '192.0.2.1\n192.0.2.2',
      no('control_character', 'control character U+000A at index 9'),
    ],
    ['ip-dst', '192.0.2.1 192.0.2.2', no('inner_space', 'whitespace U+0020 at index 9')],
    ['ip-dst', '1'.repeat(65), no('too_long', 'longer than 64 characters')],

    ['ip-dst|port', '192.0.2.1|443', ip('192.0.2.1', v4Key)],
    ['ip-src|port', '2001:db8::1|8080', ip('2001:db8::1', v6Key)],
    ['ip-dst|port', '192[.]0[.]2[.]1|0', ip('192.0.2.1', v4Key)],
    ['ip-dst|port', '192.0.2.1|65535', ip('192.0.2.1', v4Key)],
    ['ip-dst|port', '192.0.2.1|65536', no('invalid_port', 'a port is 0-65535')],
    ['ip-dst|port', '192.0.2.1|123456', no('invalid_port', 'a port is 0-65535')],
    ['ip-dst|port', '192.0.2.1|http', no('invalid_port', 'a port is decimal digits')],
    ['ip-dst|port', '192.0.2.1|-1', no('invalid_port', 'a port is decimal digits')],
    ['ip-dst|port', '192.0.2.1|', no('missing_part', 'no port after the last | of ip-dst|port')],
    ['ip-dst|port', '|443', no('missing_part', 'no host before the last | of ip-dst|port')],
    ['ip-dst|port', '192.0.2.1', no('missing_part', 'no | in the ip-dst|port value')],
    [
      'ip-dst|port',
      '192.0.2.0/24|443',
      no('invalid_cidr', 'an address is expected here, not a CIDR'),
    ],
    ['ip-dst|port', '192.0.2.1|80|443', no('invalid_ipv4', 'not a dotted quad of octets 0-255')],
    ['ip-dst|port', '192.0.2.256|99999', no('invalid_ipv4', 'not a dotted quad of octets 0-255')],
    ['ip-dst|port', '192.0.2.1 |443', no('inner_space', 'whitespace U+0020 at index 9')],

    ['domain', 'Example.TEST.', domain('example.test')],
    ['hostname', 'www.example[.]test', domain('www.example.test')],
    ['domain', 'bücher.example', domain('xn--bcher-kva.example')],
    ['domain', '*.example.test', domain('*.example.test')],
    ['domain', '_dmarc.example.test', domain('_dmarc.example.test')],
    ['domain', 'localhost', no('invalid_domain', 'a domain needs at least two labels')],
    [
      'hostname',
      '192.0.2.1',
      no('invalid_domain', 'the last label is all digits (an IP address is not a domain)'),
    ],
    ['domain', 'x'.repeat(254), no('too_long', 'longer than 253 characters')],

    [
      'domain|ip',
      'Example[.]test|192.0.2.1',
      ok(indicator('domain', 'example.test'), indicator('ip', '192.0.2.1', v4Key)),
    ],
    [
      'domain|ip',
      'example.test|2001:DB8::1',
      ok(indicator('domain', 'example.test'), indicator('ip', '2001:db8::1', v6Key)),
    ],
    [
      'domain|ip',
      'example.test|192.0.2.0/24',
      no('invalid_cidr', 'an address is expected here, not a CIDR'),
    ],
    ['domain|ip', 'example.test', no('missing_part', 'no | in the domain|ip value')],
    ['domain|ip', '|192.0.2.1', no('missing_part', 'no domain before the last | of domain|ip')],
    ['domain|ip', 'example.test|', no('missing_part', 'no IP after the last | of domain|ip')],
    [
      'domain|ip',
      'localhost|192.0.2.1',
      no('invalid_domain', 'a domain needs at least two labels'),
    ],
    [
      'domain|ip',
      'example.test|192.0.2.300',
      no('invalid_ipv4', 'not a dotted quad of octets 0-255'),
    ],
    ['domain|ip', `${'x'.repeat(254)}|192.0.2.1`, no('too_long', 'longer than 253 characters')],

    ['hostname|port', 'www.example.test|8443', domain('www.example.test')],
    ['hostname|port', 'www.example.test|x', no('invalid_port', 'a port is decimal digits')],
    ['hostname|port', 'www.example.test', no('missing_part', 'no | in the hostname|port value')],

    ['url', 'hxxps[://]evil[.]test/a', ok(indicator('url', 'https://evil.test/a'))],
    ['url', 'evil.test/x', ok(indicator('url', 'http://evil.test/x'))],
    ['url', 'http://evil', no('invalid_domain', 'a domain needs at least two labels')],
    ['url', 'http://evil.test/a b', no('inner_space', 'whitespace U+0020 at index 18')],
    ['url', `http://evil.test/${'a'.repeat(2032)}`, no('too_long', 'longer than 2048 characters')],

    ['md5', md5.toUpperCase(), ok(indicator('md5', md5))],
    ['sha1', sha1, ok(indicator('sha1', sha1))],
    ['sha256', sha256, ok(indicator('sha256', sha256))],
    ['md5', md5.slice(1), no('invalid_hash', 'md5 is 32 hex digits, got 31 characters')],
    ['md5', `${md5}[.]`, no('invalid_hash', 'md5 is 32 hex digits, got 35 characters')],
    ['sha256', 'x'.repeat(65), no('too_long', 'longer than 64 characters')],

    ['filename|md5', `invoice 2024.exe|${md5.toUpperCase()}`, ok(indicator('md5', md5))],
    ['filename|sha1', `a|b.exe|${sha1}`, ok(indicator('sha1', sha1))],
    ['filename|sha256', ` x.exe|${sha256}\n`, ok(indicator('sha256', sha256))],
    ['filename|md5', 'x.exe|', no('missing_part', 'no hash after the last | of filename|md5')],
    [
      'filename|md5',
      `|${md5}`,
      no('missing_part', 'no file name before the last | of filename|md5'),
    ],
    ['filename|md5', md5, no('missing_part', 'no | in the filename|md5 value')],
    ['filename|md5', ' ', no('empty', 'the value is empty')],
    [
      'filename|md5',
      `x.exe|d41d8 ${md5.slice(6)}`,
      no('inner_space', 'whitespace U+0020 at index 5'),
    ],
    [
      'filename|sha1',
      `x.exe|${md5}`,
      no('invalid_hash', 'sha1 is 40 hex digits, got 32 characters'),
    ],

    [
      'email-src',
      'a@example.test',
      no('unsupported_type', 'MISP type "email-src" gives no indicator'),
    ],
    ['uri', 'http://evil.test/', no('unsupported_type', 'MISP type "uri" gives no indicator')],
    ['IP-DST', '192.0.2.1', no('unsupported_type', 'MISP type "IP-DST" gives no indicator')],
    ['__proto__', '192.0.2.1', no('unsupported_type', 'MISP type "__proto__" gives no indicator')],
    ['toString', '192.0.2.1', no('unsupported_type', 'MISP type "toString" gives no indicator')],
    ['', '', no('unsupported_type', 'MISP type "" gives no indicator')],
  ])('%s %j', (type, value, expected) => {
    expect(normalizeAttribute(type, value)).toEqual(expected);
  });

  it.each([['ip-dst'], ['domain|ip'], ['filename|md5']])(
    'refuses a value that is not a string for %s',
    (type) => {
      expect(normalizeAttribute(type, 42 as unknown as string)).toEqual(
        no('empty', 'the value is not a string'),
      );
    },
  );

  it('lists the supported types', () => {
    expect(SUPPORTED_ATTRIBUTE_TYPES).toEqual([
      'ip-src',
      'ip-dst',
      'ip-src|port',
      'ip-dst|port',
      'domain',
      'hostname',
      'domain|ip',
      'hostname|port',
      'url',
      'md5',
      'sha1',
      'sha256',
      'filename|md5',
      'filename|sha1',
      'filename|sha256',
    ]);
  });
});

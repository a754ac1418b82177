import { describe, expect, it } from 'vitest';

import { normalizeUrl } from './url.js';

const longPath = (total: number, prefix: string): string =>
  `${prefix}${'a'.repeat(total - prefix.length)}`;

describe('normalizeUrl', () => {
  it.each([
    ['http://evil.test', 'http://evil.test'],
    ['http://evil.test/', 'http://evil.test/'],
    ['HTTP://EVIL.test/Path', 'http://evil.test/Path'],
    ['HtTpS://evil.test', 'https://evil.test'],
    ['evil.test', 'http://evil.test'],
    ['evil.test/login.php?u=1', 'http://evil.test/login.php?u=1'],
    ['evil.test:8080/x', 'http://evil.test:8080/x'],
    ['_sub.evil.test/x', 'http://_sub.evil.test/x'],
    ['http://evil.test:80/x', 'http://evil.test/x'],
    ['https://evil.test:443/x', 'https://evil.test/x'],
    ['http://evil.test:443/x', 'http://evil.test:443/x'],
    ['https://evil.test:80/', 'https://evil.test:80/'],
    ['ws://evil.test:80/', 'ws://evil.test/'],
    ['wss://evil.test:443', 'wss://evil.test'],
    ['ftp://evil.test:21/f', 'ftp://evil.test/f'],
    ['sftp://evil.test:22/f', 'sftp://evil.test:22/f'],
    ['http://evil.test:0080/', 'http://evil.test/'],
    ['http://evil.test:08080/', 'http://evil.test:8080/'],
    ['http://evil.test:/x', 'http://evil.test/x'],
    ['http://evil.test:0', 'http://evil.test:0'],
    ['http://evil.test:65535', 'http://evil.test:65535'],
    ['http://User:Pass@Evil.test/', 'http://evil.test/'],
    ['http://a@b@evil.test/', 'http://evil.test/'],
    ['http://bank.example@198.51.100.1/login', 'http://198.51.100.1/login'],
    ['evil.test/a@b', 'http://evil.test/a@b'],
    ['http://evil.test/a/../b/./c', 'http://evil.test/a/../b/./c'],
    ['http://evil.test/%7e%7E?q=%zz#Frag', 'http://evil.test/%7e%7E?q=%zz#Frag'],
    ['http://evil.test?q=1', 'http://evil.test?q=1'],
    ['http://evil.test#x', 'http://evil.test#x'],
    ['http://evil.test/a?b=http://c.test:99999/#d', 'http://evil.test/a?b=http://c.test:99999/#d'],
    ['http://bücher.example/ü', 'http://xn--bcher-kva.example/ü'],
    ['http://Example.TEST./', 'http://example.test/'],
    ['http://192.0.2.1/x', 'http://192.0.2.1/x'],
    ['http://192.0.2.1./x', 'http://192.0.2.1/x'],
    ['192.0.2.1:8080', 'http://192.0.2.1:8080'],
    ['http://[2001:DB8::1]/', 'http://[2001:db8::1]/'],
    ['http://[2001:db8:0:0:0:0:0:1]:8080/x', 'http://[2001:db8::1]:8080/x'],
    ['https://[2001:db8::1]:443', 'https://[2001:db8::1]'],
    ['http://[::ffff:192.0.2.1]/', 'http://[::ffff:192.0.2.1]/'],
    ['tcp://192.0.2.1:4444', 'tcp://192.0.2.1:4444'],
    ['svn+ssh://evil.test/r', 'svn+ssh://evil.test/r'],
    [longPath(2048, 'http://evil.test/'), longPath(2048, 'http://evil.test/')],
  ])('turns %j into %j', (text, expected) => {
    expect(normalizeUrl(text)).toBe(expected);
  });

  const noHost = ['invalid_url', 'no host'] as const;
  const tooLong = ['too_long', 'a URL is at most 2048 characters'] as const;
  it.each([
    ['http://', ...noHost],
    ['http:///path', ...noHost],
    ['/path', ...noHost],
    [
      'http://a.example\\@b.example/',
      'invalid_url',
      'a backslash in the host part is read differently by browsers and firewalls',
    ],
    ['http://user@/', ...noHost],
    ['http://:80/', ...noHost],
    ['file:///etc/passwd', ...noHost],
    ['http://[2001:db8::1/', 'invalid_url', 'an IPv6 host has no closing ]'],
    ['http://[2001:db8::1]x/', 'invalid_url', 'unexpected text after the IPv6 host'],
    [
      'http://2001:db8::1/',
      'invalid_url',
      'more than one : in the host (an IPv6 host needs [brackets])',
    ],
    [
      'http://[2001:db8::1%25eth0]/',
      'invalid_ipv6',
      'zone ids (%eth0) name a local interface and are not allowed',
    ],
    ['http://[2001:db8::g]/', 'invalid_ipv6', 'not an IPv6 address'],
    ['http://[192.0.2.1]/', 'invalid_ipv6', 'not an IPv6 address'],
    ['http://*.evil.test/', 'invalid_url', 'a URL host cannot be a wildcard'],
    ['http://evil.test:65536/', 'invalid_port', 'a port is 0-65535'],
    ['http://evil.test:123456/', 'invalid_port', 'a port is 0-65535'],
    ['http://evil.test:8o/', 'invalid_port', 'a port is decimal digits'],
    ['http://evil.test:-1/', 'invalid_port', 'a port is decimal digits'],
    ['http://192.0.2.256/', 'invalid_ipv4', 'the host is not a dotted quad of octets 0-255'],
    ['http://192.0.2/', 'invalid_ipv4', 'the host is not a dotted quad of octets 0-255'],
    ['http://192.0.2.1.5/', 'invalid_ipv4', 'the host is not a dotted quad of octets 0-255'],
    [
      'http://192.0.2.01/',
      'ipv4_leading_zero',
      'an octet has a leading zero (octal or decimal is ambiguous)',
    ],
    ['http://evil/', 'invalid_domain', 'a domain needs at least two labels'],
    ['http://evil.test\\x', 'invalid_domain', 'character "\\\\" is not allowed'],
    ['http://evil..test/', 'invalid_domain', 'empty label'],
    ['javascript:alert(1)', 'invalid_domain', 'a domain needs at least two labels'],
    ['1http://evil.test', 'invalid_domain', 'a domain needs at least two labels'],
    ['http:evil.test', 'invalid_domain', 'a domain needs at least two labels'],
    [longPath(2049, 'http://evil.test/'), ...tooLong],
    [longPath(2045, 'evil.test/'), ...tooLong],
  ])('refuses %j as %s', (text, reason, detail) => {
    expect(normalizeUrl(text)).toEqual({ ok: false, reason, detail });
  });
});

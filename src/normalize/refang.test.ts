import { describe, expect, it } from 'vitest';

import { refang } from './refang.js';

describe('refang', () => {
  it.each([
    ['hxxp://evil.test', 'http://evil.test'],
    ['hXXp://evil.test', 'http://evil.test'],
    ['HXXP://evil.test', 'http://evil.test'],
    ['hxxps://evil.test', 'https://evil.test'],
    ['hXXps://evil.test', 'https://evil.test'],
    ['HXXPS://evil.test', 'https://evil.test'],
    ['hxxp:evil.test', 'http:evil.test'],
    ['fxp://evil.test', 'ftp://evil.test'],
    ['FXP://evil.test', 'ftp://evil.test'],
    ['evil[.]test', 'evil.test'],
    ['evil(.)test', 'evil.test'],
    ['evil{.}test', 'evil.test'],
    ['evil[dot]test', 'evil.test'],
    ['evil[DOT]test', 'evil.test'],
    ['evil(dot)test', 'evil.test'],
    ['evil(Dot)test', 'evil.test'],
    ['http[:]//evil.test', 'http://evil.test'],
    ['http[://]evil.test', 'http://evil.test'],
    ['user[@]evil.test', 'user@evil.test'],
    ['user[at]evil.test', 'user@evil.test'],
    ['user[AT]evil.test', 'user@evil.test'],
    ['hxxp[://]evil[.]test', 'http://evil.test'],
    ['hXXps[:]//198[.]51[.]100[.]7/a(dot)php', 'https://198.51.100.7/a.php'],
    ['192[.]0[.]2[.]1', '192.0.2.1'],
    ['2001:db8[:]:1', '2001:db8::1'],
  ])('refangs %j to %j', (value, expected) => {
    expect(refang(value)).toBe(expected);
  });

  it.each([
    ['fxpro.example'],
    ['hxxpd.example'],
    ['xhxxp://evil.test'],
    ['http://evil.test/hxxp://x'],
    ['evil.test/[x]'],
    ['evil[.test'],
    ['evil.(test)'],
    ['192.0.2.1'],
    ['x'],
    [''],
  ])('leaves %j as it is', (value) => {
    expect(refang(value)).toBe(value);
  });
});

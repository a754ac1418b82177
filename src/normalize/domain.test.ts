import { describe, expect, it } from 'vitest';

import { normalizeDomain } from './domain.js';

const total253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

describe('normalizeDomain', () => {
  it.each([
    ['example.test', 'example.test'],
    ['Example.TEST', 'example.test'],
    ['example.test.', 'example.test'],
    ['www.example.test', 'www.example.test'],
    ['_dmarc.example.test', '_dmarc.example.test'],
    ['my_host.example.test', 'my_host.example.test'],
    ['a-b.example.test', 'a-b.example.test'],
    ['r3---sn-abc.example.test', 'r3---sn-abc.example.test'],
    ['1.example.test', '1.example.test'],
    ['host.test1', 'host.test1'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['XN--BCHER-KVA.example', 'xn--bcher-kva.example'],
    ['xn--29s7inly9ib.example.test', 'xn--29s7inly9ib.example.test'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['BÜCHER.example.', 'xn--bcher-kva.example'],
    ['bücher。example', 'xn--bcher-kva.example'],
    ['請求書.test', 'xn--rovq1j9s5a.test'],
    ['🙂.test', 'xn--938h.test'],
    ['exa\u200bmple.test', 'example.test'],
    ['*.example.test', '*.example.test'],
    ['*.EXAMPLE.test.', '*.example.test'],
    ['*.bücher.example', '*.xn--bcher-kva.example'],
    [`${'a'.repeat(63)}.test`, `${'a'.repeat(63)}.test`],
    [total253, total253],
    [`${total253}.`, total253],
  ])('turns %j into %j', (text, expected) => {
    expect(normalizeDomain(text)).toBe(expected);
  });

  it.each([
    ['localhost', 'a domain needs at least two labels'],
    ['*.test', 'a domain needs at least two labels'],
    ['*', 'a wildcard is only allowed as a whole first label (*.)'],
    ['a.*.example.test', 'a wildcard is only allowed as a whole first label (*.)'],
    ['*example.test', 'a wildcard is only allowed as a whole first label (*.)'],
    ['ex*ample.test', 'a wildcard is only allowed as a whole first label (*.)'],
    ['**.example.test', 'a wildcard is only allowed as a whole first label (*.)'],
    ['*.*.example.test', 'a wildcard is only allowed as a whole first label (*.)'],
    ['example..test', 'empty label'],
    ['.example.test', 'empty label'],
    ['example.test..', 'empty label'],
    ['.', 'empty label'],
    ['-example.test', 'a label starts or ends with a hyphen'],
    ['example-.test', 'a label starts or ends with a hyphen'],
    ['example.-test', 'a label starts or ends with a hyphen'],
    [`${'a'.repeat(64)}.test`, 'a label is longer than 63 characters'],
    [`${total253}d`, 'longer than 253 characters'],
    ['example.123', 'the last label is all digits (an IP address is not a domain)'],
    ['192.0.2.1', 'the last label is all digits (an IP address is not a domain)'],
    ['exa mple.test', 'character " " is not allowed'],
    ['example.test:80', 'character ":" is not allowed'],
    ['example.test/x', 'character "/" is not allowed'],
    ['ex@mple.test', 'character "@" is not allowed'],
    ['example.test%', 'character "%" is not allowed'],
    ['exä!mple.test', 'character "!" is not allowed'],
    ['bücher.123', 'not a valid internationalized domain name'],
    ['ü.exa mple.test', 'not a valid internationalized domain name'],
  ])('refuses %j: %s', (text, detail) => {
    expect(normalizeDomain(text)).toEqual({ ok: false, reason: 'invalid_domain', detail });
  });
});

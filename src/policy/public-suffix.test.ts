import { describe, expect, it } from 'vitest';

import type { IndicatorKind } from '../normalize/indicator.js';
import {
  checkPublicSuffix,
  isPublicSuffix,
  isSafeWildcardBase,
  publicSuffixOf,
} from './public-suffix.js';

describe('publicSuffixOf and isPublicSuffix', () => {
  it.each([
    ['com', 'com', true],
    ['co.uk', 'co.uk', true],
    ['pages.dev', 'pages.dev', true],
    ['github.io', 'github.io', true],
    ['s3.amazonaws.com', 's3.amazonaws.com', true],
    ['*.pages.dev', 'pages.dev', true],
    ['evil.pages.dev', 'pages.dev', false],
    ['shop.example.co.uk', 'co.uk', false],
    ['evil.github.io', 'github.io', false],
    ['intranet.example', 'example', false],
    ['my_host.example.test', 'test', false],
    ['example', 'example', true],
  ])('%s: suffix %s, is one: %s', (domain, suffix, isSuffix) => {
    expect(publicSuffixOf(domain)).toBe(suffix);
    expect(isPublicSuffix(domain)).toBe(isSuffix);
  });
});

describe('isSafeWildcardBase', () => {
  it.each([
    ['evil.pages.dev', true],
    ['intranet.example', true],
    ['example.co.uk', true],
    ['pages.dev', false],
    ['github.io', false],
    ['co.uk', false],
    ['com', false],
    ['test', false],
  ])('*.%s is safe: %s', (domain, isSafe) => {
    expect(isSafeWildcardBase(domain)).toBe(isSafe);
  });
});

describe('checkPublicSuffix', () => {
  it.each<[IndicatorKind, string, string | null]>([
    ['domain', 'co.uk', 'co.uk is a public suffix; blocking it would block every site under it'],
    [
      'domain',
      'pages.dev',
      'pages.dev is a public suffix; blocking it would block every site under it',
    ],
    [
      'domain',
      'github.io',
      'github.io is a public suffix; blocking it would block every site under it',
    ],
    ['domain', '*.pages.dev', '*.pages.dev covers every site under the public suffix pages.dev'],
    ['domain', '*.com', '*.com covers every site under the public suffix com'],
    ['domain', 'evil.pages.dev', null],
    ['domain', '*.evil.pages.dev', null],
    ['domain', 'evil.example', null],
    [
      'url',
      'http://co.uk/',
      'the root URL of the public suffix co.uk; URL lists match by prefix, so it would block every URL of that host',
    ],
    [
      'url',
      'https://s3.amazonaws.com?list-type=2',
      'the root URL of the public suffix s3.amazonaws.com; URL lists match by prefix, so it would block every URL of that host',
    ],
    ['url', 'https://s3.amazonaws.com/bucket/payload.exe', null],
    ['url', 'https://evil.pages.dev/', null],
    ['url', 'http://198.51.100.7/', null],
    ['url', 'http://[2001:db8::1]/', null],
    ['ip', '198.51.100.7', null],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', null],
  ])('%s %s → %s', (kind, value, detail) => {
    expect(checkPublicSuffix({ kind, value })).toEqual(
      detail === null ? null : { rule: 'public_suffix', detail },
    );
  });
});

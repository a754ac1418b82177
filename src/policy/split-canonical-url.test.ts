import { describe, expect, it } from 'vitest';

import { pathOf, splitCanonicalUrl } from './split-canonical-url.js';

describe('splitCanonicalUrl', () => {
  it.each([
    ['https://portal.example/login?x=1', 'portal.example', '/login?x=1'],
    ['https://portal.example:8443', 'portal.example:8443', ''],
    ['http://[2001:db8::1]:8080/a#b', '[2001:db8::1]:8080', '/a#b'],
    ['http://198.51.100.7?q', '198.51.100.7', '?q'],
    ['ftp://files.example#top', 'files.example', '#top'],
  ])('%s → %s + %s', (url, authority, rest) => {
    expect(splitCanonicalUrl(url)).toEqual({ authority, rest });
  });
});

describe('pathOf', () => {
  it.each([
    ['/login?x=1', '/login'],
    ['/a#b?c', '/a'],
    ['?q', ''],
    ['', ''],
    ['/a/b', '/a/b'],
  ])('%j → %j', (rest, path) => {
    expect(pathOf(rest)).toBe(path);
  });
});

import { describe, expect, it } from 'vitest';

import { pcreToRegExp } from './pcre-regex.js';

const PHP_FORM = 'write it as for PHP preg_match, such as /^www\\.example$/i';

describe('pcreToRegExp', () => {
  it.each([
    ['/^www\\.example\\.test$/', /^www\.example\.test$/],
    ['/^www\\.example\\.test$/i', /^www\.example\.test$/i],
    ['#^https?://[a-z]+\\.example/#i', /^https?:\/\/[a-z]+\.example\//i],
    ['{^example\\.(test|example)$}', /^example\.(test|example)$/],
    ['(^a(b)c$)ms', /^a(b)c$/ms],
    ['/a\\/b/D', /a\/b/],
    ['/\\p{L}+/u', /\p{L}+/u],
    ['  /example/S  ', /example/],
    ['/ex/ii', /ex/i],
  ])('%j compiles to %s', (entry, regex) => {
    const compiled = pcreToRegExp(entry);
    expect(compiled).toBeInstanceOf(RegExp);
    expect([(compiled as RegExp).source, (compiled as RegExp).flags]).toEqual([
      regex.source,
      regex.flags,
    ]);
  });

  it.each([
    ['', `no delimiter (${PHP_FORM})`],
    ['example$', `no delimiter (${PHP_FORM})`],
    ['\\example\\', `no delimiter (${PHP_FORM})`],
    ['^example$', `no closing delimiter ^ (${PHP_FORM})`],
    ['/example', `no closing delimiter / (${PHP_FORM})`],
    ['{example', `no closing delimiter } (${PHP_FORM})`],
    ['/example/x', 'modifier x has no JavaScript equivalent'],
    ['/example/U', 'modifier U has no JavaScript equivalent'],
    ['/\\Aexample\\z/', '\\A is PCRE only and has no JavaScript equivalent'],
    ['/example\\Z/', '\\Z is PCRE only and has no JavaScript equivalent'],
    ['/\\h+/', '\\h is PCRE only and has no JavaScript equivalent'],
    ['/\\p{L}/', '\\p is PCRE only and has no JavaScript equivalent'],
    ['/\\x{41}/', '\\x{…} is PCRE only and has no JavaScript equivalent'],
    [
      '/(?>atomic)/',
      'not a valid JavaScript regular expression (Invalid regular expression: /(?>atomic)/: Invalid group)',
    ],
    [
      '/a++/',
      'not a valid JavaScript regular expression (Invalid regular expression: /a++/: Nothing to repeat)',
    ],
  ])('%j is refused: %s', (entry, problem) => {
    expect(pcreToRegExp(entry)).toBe(problem);
  });

  it('reads an escaped backslash before a letter as a backslash, not an escape', () => {
    const compiled = pcreToRegExp('/a\\\\A/') as RegExp;
    expect([compiled.test('a\\A'), compiled.test('aA')]).toEqual([true, false]);
  });
});

import { describe, expect, it } from 'vitest';

import { resolveTlp, tlpOfTags, type Tlp } from './tlp.js';

describe('resolveTlp', () => {
  it.each<[string, readonly string[], readonly string[], Tlp | null]>([
    ['no tags at all', [], [], null],
    ['no TLP tag among others', ['osint:source-type="blog-post"'], ['type:OSINT'], null],
    ['event tag only', [], ['tlp:green'], 'green'],
    ['attribute tag only', ['tlp:amber'], [], 'amber'],
    ['attribute wins over a less restrictive event', ['tlp:red'], ['tlp:green'], 'red'],
    [
      'the stricter wins: a clear attribute in a red event is red',
      ['tlp:clear'],
      ['tlp:red'],
      'red',
    ],
    [
      'non-TLP attribute tags fall back to the event',
      ['kill-chain:Delivery'],
      ['tlp:amber'],
      'amber',
    ],
    ['upper case', ['TLP:RED'], [], 'red'],
    ['mixed case', [], ['Tlp:Amber+Strict'], 'amber+strict'],
    ['white is the old name of clear', [], ['tlp:white'], 'clear'],
    ['TLP:WHITE upper case', ['TLP:WHITE'], [], 'clear'],
    ['amber+strict', ['tlp:amber+strict'], [], 'amber+strict'],
    ['several levels: most restrictive', ['tlp:green', 'tlp:red', 'tlp:amber'], [], 'red'],
    ['amber+strict beats amber', ['tlp:amber+strict', 'tlp:amber'], [], 'amber+strict'],
    ['clear and white together', [], ['tlp:white', 'tlp:clear'], 'clear'],
    ['several event levels', [], ['tlp:clear', 'tlp:green'], 'green'],
    ['not a TLP 2.0 name', ['tlp:ex:chr'], ['tlp:unclear'], null],
    ['prefix only', ['tlp:'], [], null],
    ['no whitespace trimming', [' tlp:red'], ['tlp:green'], 'green'],
    ['taxonomy with quotes is not TLP', ['tlp="red"'], [], null],
  ])('%s', (_name, attributeTags, eventTags, expected) => {
    expect(resolveTlp(attributeTags, eventTags)).toBe(expected);
  });
});

describe('tlpOfTags', () => {
  it.each<[readonly string[], Tlp | null]>([
    [[], null],
    [['tlp:clear'], 'clear'],
    [['tlp:green'], 'green'],
    [['tlp:amber'], 'amber'],
    [['tlp:amber+strict'], 'amber+strict'],
    [['tlp:red'], 'red'],
    [['tlp:red', 'tlp:clear'], 'red'],
  ])('%j gives %s', (tags, expected) => {
    expect(tlpOfTags(tags)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';

import type { IndicatorKind } from '../../normalize/indicator.js';
import { compileWarninglists } from './compile-warninglists.js';
import type { Warninglist, WarninglistType } from './warninglist.js';
import { WarninglistError } from './warninglist-error.js';

function list(
  name: string,
  type: WarninglistType,
  matchingAttributes: readonly string[],
  entries: readonly string[],
): Warninglist {
  const folder = name.toLowerCase().replaceAll(' ', '-');
  return {
    name,
    description: `${name}, made up for tests`,
    version: 1,
    type,
    matchingAttributes,
    entries,
    file: `/lists/${folder}/list.json`,
  };
}

const IP_TYPES = ['ip-src', 'ip-dst', 'domain|ip', 'ip-src|port', 'ip-dst|port'];
const NAME_TYPES = ['hostname', 'domain', 'url', 'domain|ip'];

const LISTS = [
  list('Doc ranges', 'cidr', IP_TYPES, ['192.0.2.0/24', '2001:db8::/48', '198.51.100.7']),
  list('Doc hosts', 'hostname', NAME_TYPES, [
    'example.test',
    'Shop.Example.',
    '*.cdn.example',
    '203.0.113.5',
  ]),
  list(
    'Doc strings',
    'string',
    ['domain', 'hostname', 'url', 'md5'],
    [
      'exact.example',
      '.dotted.example',
      'D41D8CD98F00B204E9800998ECF8427E',
      'https://portal.example/login',
    ],
  ),
  list('Doc substrings', 'substring', [], ['tracking', 'CDN-']),
  list(
    'Doc regex',
    'regex',
    ['url', 'domain'],
    ['/^https?:\\/\\/[a-z]+\\.example\\/download\\//i', '#^mx[0-9]+\\.mail\\.example$#'],
  ),
];

const matcher = compileWarninglists(LISTS);

type Row = [IndicatorKind, string, readonly string[], string | null, string | null];

describe('compileWarninglists', () => {
  it.each<Row>([
    // cidr: a value inside a listed range, or a CIDR overlapping one
    ['ip', '192.0.2.55', ['ip-dst'], 'Doc ranges', '192.0.2.0/24'],
    ['ip', '192.0.0.0/22', ['ip-src'], 'Doc ranges', '192.0.2.0/24'],
    ['ip', '198.51.100.0/24', ['ip-dst'], 'Doc ranges', '198.51.100.7'],
    ['ip', '198.51.100.8', ['ip-dst'], null, null],
    ['ip', '2001:db8::1', ['ip-dst'], 'Doc ranges', '2001:db8::/48'],
    ['ip', '2001:db8::/32', ['ip-dst'], 'Doc ranges', '2001:db8::/48'],
    ['ip', '2001:db8:1::1', ['ip-dst'], null, null],
    ['ip', '::ffff:192.0.2.1', ['ip-dst'], 'Doc ranges', '192.0.2.0/24'],
    ['ip', '192.0.2.1', ['ip-dst|port'], 'Doc ranges', '192.0.2.0/24'],
    // the IP of a domain|ip attribute, and one given by several attributes
    ['ip', '192.0.2.1', ['domain|ip'], 'Doc ranges', '192.0.2.0/24'],
    ['ip', '192.0.2.1', ['email-src', 'ip-src'], 'Doc ranges', '192.0.2.0/24'],
    // hostname: the entry and every name under it, URLs by their host
    ['domain', 'example.test', ['domain'], 'Doc hosts', 'example.test'],
    ['domain', 'www.example.test', ['domain|ip'], 'Doc hosts', 'example.test'],
    ['domain', 'a.b.shop.example', ['hostname'], 'Doc hosts', 'Shop.Example.'],
    ['domain', '*.example.test', ['domain'], 'Doc hosts', 'example.test'],
    ['domain', 'img.cdn.example', ['domain'], 'Doc hosts', '*.cdn.example'],
    ['domain', 'evil-example.test', ['domain'], null, null],
    ['domain', 'example.test.evil.example', ['domain'], null, null],
    ['domain', 'shop2.example', ['domain'], null, null],
    ['url', 'https://www.example.test/path', ['url'], 'Doc hosts', 'example.test'],
    ['url', 'http://shop.example:8080/x', ['url'], 'Doc hosts', 'Shop.Example.'],
    ['url', 'http://evil.example/example.test', ['url'], null, null],
    ['ip', '203.0.113.5', ['domain|ip'], 'Doc hosts', '203.0.113.5'],
    ['ip', '203.0.113.50', ['domain|ip'], null, null],
    ['url', 'http://203.0.113.5/x', ['url'], 'Doc hosts', '203.0.113.5'],
    // string: exact after lowercasing and trimming dots; a URL by itself or by its host
    ['domain', 'exact.example', ['domain'], 'Doc strings', 'exact.example'],
    ['domain', 'www.exact.example', ['domain'], null, null],
    ['domain', 'dotted.example', ['domain'], 'Doc strings', '.dotted.example'],
    ['domain', 'www.dotted.example', ['domain'], null, null],
    ['domain', '*.exact.example', ['domain'], 'Doc strings', 'exact.example'],
    [
      'md5',
      'd41d8cd98f00b204e9800998ecf8427e',
      ['md5'],
      'Doc strings',
      'D41D8CD98F00B204E9800998ECF8427E',
    ],
    ['url', 'https://portal.example/login', ['url'], 'Doc strings', 'https://portal.example/login'],
    ['url', 'https://portal.example/LOGIN', ['url'], null, null],
    ['url', 'https://exact.example/anything', ['url'], 'Doc strings', 'exact.example'],
    // substring: anywhere in the canonical value, regardless of case, for every type
    ['url', 'https://files.example/tracking/p.gif', ['url'], 'Doc substrings', 'tracking'],
    ['domain', 'cdn-edge.example', ['domain'], 'Doc substrings', 'CDN-'],
    ['domain', 'tracking.example', [], 'Doc substrings', 'tracking'],
    ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', ['sha1'], null, null],
    // regex: PHP patterns run on the canonical value
    [
      'url',
      'https://files.example/download/a.exe',
      ['url'],
      'Doc regex',
      '/^https?:\\/\\/[a-z]+\\.example\\/download\\//i',
    ],
    ['url', 'https://files.example/upload/a.exe', ['url'], null, null],
    ['domain', 'mx12.mail.example', ['domain'], 'Doc regex', '#^mx[0-9]+\\.mail\\.example$#'],
    ['domain', 'mx.mail.example', ['domain'], null, null],
  ])('%s %s (%j) → %s %s', (kind, value, types, name, entry) => {
    const hit = matcher.match({ kind, value, types });
    expect(hit).toEqual(name === null ? null : { list: name, entry });
  });

  it.each<Row>([
    // a list applies only to the attribute types it names
    ['ip', '192.0.2.1', ['domain'], null, null],
    ['ip', '192.0.2.1', [], null, null],
    ['domain', 'www.example.test', ['md5'], null, null],
    ['url', 'https://exact.example/', ['hostname|port'], null, null],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', ['filename|md5'], null, null],
    ['url', 'http://192.0.2.9/x', ['url'], null, null],
  ])('%s %s (%j) is not checked against a list for other types', (kind, value, types) => {
    expect(matcher.match({ kind, value, types })).toBeNull();
  });

  it('checks every kind against a list without matching_attributes, a URL by its host too', () => {
    const all = compileWarninglists([list('Any', 'cidr', [], ['2001:db8::/32'])]);
    expect([
      all.match({ kind: 'url', value: 'http://[2001:db8::5]/x', types: ['url'] }),
      all.match({ kind: 'ip', value: '2001:db8::5', types: [] }),
      all.match({ kind: 'domain', value: 'example.test', types: ['domain'] }),
    ]).toEqual([
      { list: 'Any', entry: '2001:db8::/32' },
      { list: 'Any', entry: '2001:db8::/32' },
      null,
    ]);
  });

  it('uses the lists named, in the order named', () => {
    const candidate = { kind: 'domain', value: 'mx1.mail.example', types: ['domain'] } as const;
    const wide = list('Wide', 'hostname', [], ['example']);

    const regexFirst = compileWarninglists([...LISTS, wide], { names: ['Doc regex', 'Wide'] });
    const wideFirst = compileWarninglists([...LISTS, wide], {
      names: ['Wide', 'Doc regex', 'Wide'],
    });

    expect([regexFirst.lists, regexFirst.match(candidate)]).toEqual([
      ['Doc regex', 'Wide'],
      { list: 'Doc regex', entry: '#^mx[0-9]+\\.mail\\.example$#' },
    ]);
    expect([wideFirst.lists, wideFirst.match(candidate)]).toEqual([
      ['Wide', 'Doc regex'],
      { list: 'Wide', entry: 'example' },
    ]);
  });

  it('uses every loaded list when no names are given, and none for an empty selection', () => {
    const none = compileWarninglists(LISTS, { names: [] });
    expect(matcher.lists).toEqual(LISTS.map((l) => l.name));
    expect([none.lists, none.match({ kind: 'ip', value: '192.0.2.1', types: ['ip-dst'] })]).toEqual(
      [[], null],
    );
  });

  it('names every unknown list at once, with the list meant when a folder name was used', () => {
    const error = catchError(() =>
      compileWarninglists(LISTS, {
        names: ['Doc hosts', 'doc-ranges', 'No such list', 'DOC REGEX'],
      }),
    );
    expect(error).toMatchObject({
      code: 'WARNINGLIST_UNKNOWN',
      details: {
        unknown: '"doc-ranges", "No such list", "DOC REGEX"',
        hint: '"doc-ranges" → "Doc ranges", "DOC REGEX" → "Doc regex"',
        loaded: 5,
      },
    });
  });

  it('refuses lists whose entries cannot be used, naming every one', () => {
    const bad = [
      list('Bad ranges', 'cidr', [], ['192.0.2.0/24', '192.0.2.999', '0.0.0.0/0']),
      list('Bad regex', 'regex', [], ['/(?>x)/']),
      list('Fine', 'string', [], ['a.example']),
    ];
    const error = catchError(() => compileWarninglists(bad));
    expect(error).toBeInstanceOf(WarninglistError);
    expect((error as WarninglistError).describe().split('\n')).toEqual([
      '/lists/bad-ranges/list.json: Bad ranges: list.1: "192.0.2.999" is refused: not an IP address or CIDR (not a dotted quad of octets 0-255)',
      '/lists/bad-ranges/list.json: Bad ranges: list.2: "0.0.0.0/0" is refused: a /0 entry would keep every address off the lists',
      '/lists/bad-regex/list.json: Bad regex: list.0: "/(?>x)/" is refused: not a valid JavaScript regular expression (Invalid regular expression: /(?>x)/: Invalid group)',
    ]);
    expect(() => compileWarninglists(bad, { names: ['Fine'] })).not.toThrow();
  });

  it('shares a compiled list between matchers and keeps their selections apart', () => {
    const ranges = compileWarninglists(LISTS, { names: ['Doc ranges'] });
    const hosts = compileWarninglists(LISTS, { names: ['Doc hosts'] });
    const ip = { kind: 'ip', value: '192.0.2.1', types: ['domain|ip'] } as const;
    expect([ranges.match(ip), hosts.match(ip)]).toEqual([
      { list: 'Doc ranges', entry: '192.0.2.0/24' },
      null,
    ]);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

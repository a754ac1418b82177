import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { IndicatorKind } from '../normalize/indicator.js';
import { ipSpan, spanCovers } from '../normalize/ip-span.js';
import type { IpSpan } from '../normalize/ip-span.js';
import { compileAllowlist, compileAllowlists } from './allowlist.js';
import type { AllowMatch } from './allowlist.js';

const ENTRIES = [
  '192.0.2.10',
  '198.51.100.0/28',
  'Intranet.Example',
  'https://portal.example/login',
  'https://203.0.113.9/app',
  '2001:db8:1::/48',
  '198.51.100.64/27',
  '198.51.100.96/27',
];
const { allowlist } = compileAllowlist(ENTRIES, 'allow');

function summary(match: AllowMatch | null): string {
  if (match === null) return 'listed';
  return `${match.isPartial ? 'partial: ' : ''}${match.detail}`;
}

describe('an allowlist without IP entries', () => {
  it.each(['2001:db8::1', '2001:db8::/32', '::ffff:192.0.2.10', '192.0.2.10'])(
    '%s matches nothing',
    (value) => {
      const { allowlist } = compileAllowlist(['intranet.example'], 'allow');
      expect(allowlist.match({ kind: 'ip', value })).toBeNull();
    },
  );
});

describe('compileAllowlist', () => {
  it('reads every good entry in canonical form, with its path', () => {
    const { allowlist: compiled, problems } = compileAllowlist(
      ['192.0.2.5/24', 'hxxps://Portal[.]Example/login', 'bücher.example', '2001:DB8::1'],
      'tenants.0.allow',
    );
    expect(problems).toEqual([]);
    expect(compiled.entries).toEqual([
      { path: 'tenants.0.allow.0', kind: 'ip', value: '192.0.2.0/24' },
      { path: 'tenants.0.allow.1', kind: 'url', value: 'https://portal.example/login' },
      { path: 'tenants.0.allow.2', kind: 'domain', value: 'xn--bcher-kva.example' },
      { path: 'tenants.0.allow.3', kind: 'ip', value: '2001:db8::1' },
    ]);
  });

  it.each([
    ['', '"": the value is empty'],
    ['bad..example', '"bad..example": empty label'],
    ['198.51.100.0/33', '"198.51.100.0/33": the prefix must be 0-32'],
    ['0.0.0.0/0', '"0.0.0.0/0": a /0 matches every IPv4 address'],
    ['192.0.2.010', '"192.0.2.010": an octet has a leading zero (octal or decimal is ambiguous)'],
    ['https://portal.example:99999/', '"https://portal.example:99999/": a port is 0-65535'],
    [
      'd41d8cd98f00b204e9800998ecf8427e',
      '"d41d8cd98f00b204e9800998ecf8427e": an allowlist entry is an IP, a CIDR, a domain or a URL, not an md5 hash',
    ],
    [
      '*.intranet.example',
      '"*.intranet.example": write intranet.example; a domain entry covers the domain and all its subdomains',
    ],
    [
      'pages.dev',
      '"pages.dev": pages.dev is a public suffix; allowing it would let every site under it through',
    ],
    [
      'co.uk',
      '"co.uk": co.uk is a public suffix; allowing it would let every site under it through',
    ],
  ])('reports the bad entry %j with its index and reason', (text, message) => {
    const compiled = compileAllowlist(['192.0.2.10', text, 'intranet.example'], 'allow');
    expect(compiled.problems).toEqual([{ path: 'allow.1', message }]);
    expect(compiled.allowlist.entries.map((entry) => entry.path)).toEqual(['allow.0', 'allow.2']);
  });

  it('compiles several sources into one, each entry with its own path', () => {
    const { allowlist: merged, problems } = compileAllowlists([
      { entries: ['192.0.2.10'], origin: 'allow' },
      { entries: ['nope', 'intranet.example'], origin: 'tenants.1.allow' },
    ]);
    expect(problems).toEqual([
      { path: 'tenants.1.allow.0', message: '"nope": a domain needs at least two labels' },
    ]);
    expect(summary(merged.match({ kind: 'domain', value: 'a.intranet.example' }))).toBe(
      'allowlisted by tenants.1.allow.1 (intranet.example)',
    );
  });
});

describe('Allowlist.match', () => {
  it.each<[IndicatorKind, string, string]>([
    ['ip', '192.0.2.10', 'allowlisted by allow.0 (192.0.2.10)'],
    ['ip', '192.0.2.11', 'listed'],
    ['ip', '192.0.2.0/24', 'partial: overlaps allowlisted allow.0 (192.0.2.10)'],
    ['ip', '198.51.100.5', 'allowlisted by allow.1 (198.51.100.0/28)'],
    ['ip', '198.51.100.8/29', 'allowlisted by allow.1 (198.51.100.0/28)'],
    ['ip', '198.51.100.16', 'listed'],
    [
      'ip',
      '198.51.100.64/26',
      'allowlisted by allow.6 (198.51.100.64/27), allow.7 (198.51.100.96/27)',
    ],
    [
      'ip',
      '198.51.100.0/24',
      'partial: overlaps allowlisted allow.1 (198.51.100.0/28), allow.6 (198.51.100.64/27), allow.7 (198.51.100.96/27)',
    ],
    ['ip', '203.0.113.9', 'overlaps allowlisted allow.4 (https://203.0.113.9/app)'],
    ['ip', '::ffff:192.0.2.10', 'allowlisted by allow.0 (192.0.2.10)'],
    ['ip', '64:ff9b::c000:20a', 'allowlisted by allow.0 (192.0.2.10)'],
    ['ip', '2001:db8:1:2::1', 'allowlisted by allow.5 (2001:db8:1::/48)'],
    ['ip', '2001:db8::/32', 'partial: overlaps allowlisted allow.5 (2001:db8:1::/48)'],
    ['ip', '2001:db8:2::1', 'listed'],
    ['domain', 'intranet.example', 'allowlisted by allow.2 (intranet.example)'],
    ['domain', 'a.b.intranet.example', 'allowlisted by allow.2 (intranet.example)'],
    ['domain', '*.intranet.example', 'allowlisted by allow.2 (intranet.example)'],
    ['domain', 'xintranet.example', 'listed'],
    ['domain', 'intranet.example.test', 'listed'],
    ['domain', 'example', 'blocking it would also block allowlisted allow.2 (intranet.example)'],
    [
      'domain',
      'portal.example',
      'blocking it would also block allowlisted allow.3 (https://portal.example/login)',
    ],
    ['domain', '*.portal.example', 'listed'],
    ['domain', 'a.portal.example', 'listed'],
    [
      'url',
      'https://portal.example/login',
      'allowlisted by allow.3 (https://portal.example/login)',
    ],
    [
      'url',
      'http://portal.example/login?next=%2F',
      'allowlisted by allow.3 (https://portal.example/login)',
    ],
    [
      'url',
      'https://portal.example/',
      'blocking it would also block allowlisted allow.3 (https://portal.example/login)',
    ],
    [
      'url',
      'https://portal.example',
      'blocking it would also block allowlisted allow.3 (https://portal.example/login)',
    ],
    ['url', 'https://portal.example/logout', 'listed'],
    ['url', 'https://portal.example:8443/login', 'listed'],
    ['url', 'https://portal.example.test/login', 'listed'],
    ['url', 'http://a.intranet.example/x', 'allowlisted by allow.2 (intranet.example)'],
    ['url', 'http://192.0.2.10/x', 'allowlisted by allow.0 (192.0.2.10)'],
    ['url', 'http://[2001:db8:1::5]:8080/x', 'allowlisted by allow.5 (2001:db8:1::/48)'],
    ['url', 'http://203.0.113.9/app/x', 'allowlisted by allow.4 (https://203.0.113.9/app)'],
    ['url', 'http://203.0.113.9/other', 'listed'],
    [
      'url',
      'http://203.0.113.9/',
      'blocking it would also block allowlisted allow.4 (https://203.0.113.9/app)',
    ],
    ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'listed'],
  ])('%s %s: %s', (kind, value, expected) => {
    expect(summary(allowlist.match({ kind, value }))).toBe(expected);
  });

  it('gives the spans to split a network around, in its own family', () => {
    const match = allowlist.match({ kind: 'ip', value: '192.0.2.0/24' });
    expect(match).toEqual({
      rule: 'allowlist',
      detail: 'overlaps allowlisted allow.0 (192.0.2.10)',
      entries: [{ path: 'allow.0', kind: 'ip', value: '192.0.2.10' }],
      spans: [{ family: 4, start: 3221225994n, end: 3221225994n }],
      isPartial: true,
    });
    expect(allowlist.match({ kind: 'ip', value: '::ffff:192.0.2.0/120' })?.spans).toEqual([
      { family: 6, start: 0xffffc000020an, end: 0xffffc000020an },
    ]);
  });

  it('names at most three entries', () => {
    const many = compileAllowlist(
      ['192.0.2.1', '192.0.2.3', '192.0.2.5', '192.0.2.7', '192.0.2.9'],
      'allow',
    );
    expect(many.allowlist.match({ kind: 'ip', value: '192.0.2.0/28' })?.detail).toBe(
      'overlaps allowlisted allow.0 (192.0.2.1), allow.1 (192.0.2.3), allow.2 (192.0.2.5) and 2 more',
    );
  });

  it('prefers an IP entry to a URL entry on the same address', () => {
    const both = compileAllowlist(['https://192.0.2.10/app', '192.0.2.10'], 'allow').allowlist;
    expect(summary(both.match({ kind: 'url', value: 'http://192.0.2.10/other' }))).toBe(
      'allowlisted by allow.1 (192.0.2.10)',
    );
  });
});

// Documentation ranges only: random networks of 192.0.2.0/24, 198.51.100.0/24 and 2001:db8::/32.
const ipv4Network = fc
  .record({
    base: fc.constantFrom(0xc0000200, 0xc6336400),
    offset: fc.integer({ min: 0, max: 255 }),
    prefix: fc.integer({ min: 24, max: 32 }),
  })
  .map(({ base, offset, prefix }) => {
    const address = base + offset;
    const text = `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
    return prefix === 32 ? text : `${text}/${prefix}`;
  });
const ipv6Network = fc
  .record({
    group: fc.integer({ min: 0, max: 15 }),
    host: fc.integer({ min: 0, max: 15 }),
    prefix: fc.integer({ min: 32, max: 128 }),
  })
  .map(
    ({ group, host, prefix }) => `2001:db8:${group.toString(16)}::${host.toString(16)}/${prefix}`,
  );
const network = fc.oneof(ipv4Network, ipv6Network);

function overlaps(a: IpSpan, b: IpSpan): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

// Reference coverage: a sweep over every entry, nested ones included, sorted by start.
function isCoveredBruteForce(span: IpSpan, entries: readonly IpSpan[]): boolean {
  let next = span.start;
  const sorted = entries
    .filter((entry) => overlaps(entry, span))
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  for (const entry of sorted) {
    if (entry.start > next) return false;
    if (entry.end >= next) next = entry.end + 1n;
    if (next > span.end) return true;
  }
  return next > span.end;
}

describe('Allowlist.match, against a brute-force reference', () => {
  it('reports an IP as allowlisted exactly when some entry overlaps it, and partial exactly when not covered', () => {
    fc.assert(
      fc.property(fc.array(network, { maxLength: 30 }), network, (entries, value) => {
        const compiled = compileAllowlist(entries, 'allow');
        expect(compiled.problems).toEqual([]);
        const spans = entries.map((entry) => ipSpan(entry)!);
        const span = ipSpan(value)!;

        const match = compiled.allowlist.match({ kind: 'ip', value });
        const overlapping = spans.filter((entry) => overlaps(entry, span));
        expect(match !== null).toBe(overlapping.length > 0);
        if (match === null) return;

        expect(match.isPartial).toBe(!isCoveredBruteForce(span, spans));
        for (const reported of match.spans) expect(overlapping).toContainEqual(reported);
        // Splitting around the reported spans removes every allowlisted address.
        for (const entry of overlapping) {
          expect(match.spans.some((reported) => spanCovers(reported, entry))).toBe(true);
        }
        const reportedCoverage = isCoveredBruteForce(span, match.spans);
        expect(reportedCoverage).toBe(!match.isPartial);
      }),
      { numRuns: 2000 },
    );
  });
});

const label = fc.constantFrom('a', 'b', 'c', 'intranet');
const domainName = fc
  .tuple(fc.array(label, { minLength: 0, maxLength: 3 }), fc.constantFrom('example', 'test'))
  .map(([labels, tld]) => [...labels, 'corp', tld].join('.'));

describe('Allowlist.match for domains, against a brute-force reference', () => {
  it('drops a domain exactly when an entry covers it or lies under it', () => {
    fc.assert(
      fc.property(
        fc.array(domainName, { maxLength: 10 }),
        domainName,
        fc.boolean(),
        (entries, name, isWildcard) => {
          const { allowlist: compiled } = compileAllowlist(entries, 'allow');
          const value = isWildcard ? `*.${name}` : name;
          const isCovered = entries.some((e) => name === e || name.endsWith(`.${e}`));
          const isAbove = entries.some((e) => e.endsWith(`.${name}`));

          const match = compiled.match({ kind: 'domain', value });
          expect(match !== null).toBe(isCovered || isAbove);
          if (match !== null) {
            expect(match.detail.startsWith('allowlisted by')).toBe(isCovered);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from 'vitest';

import { EntryIndex, entryKey } from './entry-index.js';

describe('entryKey', () => {
  it.each([
    ['example.test', 'example.test'],
    ['  Example.TEST  ', 'example.test'],
    ['example.test.', 'example.test'],
    ['.example.test', 'example.test'],
    ['..example.test..', 'example.test'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['*.example.test', '*.example.test'],
    ['EXAMPLE', 'example'],
    ['192.0.2.1', '192.0.2.1'],
    ['192.0.2.9/24', '192.0.2.0/24'],
    ['2001:DB8:0::1', '2001:db8::1'],
    ['HTTPS://WWW.Example.TEST:443/Path', 'https://www.example.test/Path'],
    ['D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['not a name', 'not a name'],
    ['abuse@example.test', 'abuse@example.test'],
  ])('%j is compared as %j', (entry, key) => {
    expect(entryKey(entry)).toBe(key);
  });

  it.each(['', '   ', '.', '...'])('%j is skipped', (entry) => {
    expect(entryKey(entry)).toBeNull();
  });
});

describe('EntryIndex', () => {
  const hostnames = new EntryIndex(
    ['Example.TEST', '*.wild.example', 'deep.sub.example', 'com', '.dot.example'],
    true,
  );

  it.each([
    [['test', 'example.test'], 'Example.TEST'],
    [['test', 'example.test', 'www.example.test'], 'Example.TEST'],
    [['test', 'example.test', 'a.b.example.test'], 'Example.TEST'],
    [['example', 'wild.example'], '*.wild.example'],
    [['example', 'wild.example', 'x.wild.example'], '*.wild.example'],
    [['example', 'sub.example', 'deep.sub.example', 'x.deep.sub.example'], 'deep.sub.example'],
    [['example', 'dot.example', 'x.dot.example'], '.dot.example'],
    // `com` is a public suffix (RFC 2606 names below it): it covers itself only
    [['com'], 'com'],
  ])('%j is covered by %j', (names, entry) => {
    expect(hostnames.findCovering(names)).toBe(entry);
  });

  it.each([
    [['example', 'sub.example']],
    [['test', 'other.test']],
    [['com', 'example.com']],
    [['com', 'example.com', 'www.example.com']],
  ])('%j is not covered', (names) => {
    expect(hostnames.findCovering(names)).toBeNull();
  });

  it('lets a name outside the Public Suffix List cover its subdomains', () => {
    const internal = new EntryIndex(['corp', 'test'], true);
    expect(internal.findCovering(['corp', 'host.corp'])).toBe('corp');
    expect(internal.findCovering(['test', 'example.test'])).toBe('test');
  });

  it('looks string entries up exactly, keeping the first of equal keys', () => {
    const strings = new EntryIndex(['Example.TEST', 'example.test.', '*.wild.example'], false);
    expect([
      strings.get('example.test'),
      strings.get('www.example.test'),
      strings.get('*.wild.example'),
      strings.get('wild.example'),
      [...strings.keys()],
    ]).toEqual(['Example.TEST', null, '*.wild.example', null, ['example.test', '*.wild.example']]);
  });
});

import { describe, expect, it } from 'vitest';
import type { EntryProvenance, ListEntry } from './renderer.js';
import { escapeRouterOs, mikrotikListName, mikrotikRenderer } from './mikrotik-renderer.js';

const context = { tenant: 'acme', list: 'ip.txt', generatedAt: 0 };
const LIST = 'iocrelay_acme_ip_txt';
const UUID = '5f0c2d1e-0000-4000-8000-000000000001';

function provenance(eventInfo: string): EntryProvenance {
  return {
    eventUuid: UUID,
    eventId: '12',
    eventInfo,
    tags: ['tlp:green'],
    tlp: 'green',
    firstSeen: 0,
    lastSeen: 0,
    sources: ['misp'],
  };
}

const ip = (value: string, info?: string): ListEntry =>
  info === undefined ? { kind: 'ip', value } : { kind: 'ip', value, provenance: provenance(info) };

const HEAD = [
  '# iocrelay acme/ip.txt: 2 IPv4, 1 IPv6',
  '# import with `/import file-name=FILE`; replaces both address lists',
];

describe('mikrotikRenderer', () => {
  it('stages each family, then swaps the live list in, comments from provenance', () => {
    const entries = [
      ip('192.0.2.1', 'Phishing wave'),
      ip('198.51.100.0/24'),
      ip('2001:db8::/32', 'C2 "beacon"'),
    ];
    const text = mikrotikRenderer.render(entries, context);

    expect(text).toBe(
      [
        ...HEAD,
        '/ip firewall address-list',
        `remove [find where list="${LIST}_new"]`,
        `add list="${LIST}_new" address=192.0.2.1 comment="${UUID} Phishing wave"`,
        `add list="${LIST}_new" address=198.51.100.0/24`,
        `remove [find where list="${LIST}"]`,
        `set [find where list="${LIST}_new"] list="${LIST}"`,
        '/ipv6 firewall address-list',
        `remove [find where list="${LIST}_new"]`,
        `add list="${LIST}_new" address=2001:db8::/32 comment="${UUID} C2 \\"beacon\\""`,
        `remove [find where list="${LIST}"]`,
        `set [find where list="${LIST}_new"] list="${LIST}"`,
        '',
      ].join('\n'),
    );
    expect(mikrotikRenderer.entriesOf(text)).toEqual([
      '192.0.2.1',
      '198.51.100.0/24',
      '2001:db8::/32',
    ]);
  });

  it('empties both lists for an empty list, with nothing staged to move', () => {
    expect(mikrotikRenderer.render([], context)).toBe(
      [
        '# iocrelay acme/ip.txt: 0 IPv4, 0 IPv6',
        HEAD[1],
        '/ip firewall address-list',
        `remove [find where list="${LIST}_new"]`,
        `remove [find where list="${LIST}"]`,
        '/ipv6 firewall address-list',
        `remove [find where list="${LIST}_new"]`,
        `remove [find where list="${LIST}"]`,
        '',
      ].join('\n'),
    );
  });

  it('cuts long event info to 100 characters', () => {
    const text = mikrotikRenderer.render([ip('192.0.2.1', 'x'.repeat(150))], context);
    expect(text).toContain(`comment="${UUID} ${'x'.repeat(97)}..."\n`);
  });

  it.each([
    ['plain text', 'Emotet wave 3', 'Emotet wave 3'],
    ['double quote', 'say "hi"', 'say \\"hi\\"'],
    ['backslash', 'C:\\temp', 'C:\\\\temp'],
    ['dollar (variable)', 'costs $5', 'costs \\$5'],
    ['question mark (help)', 'what?', 'what\\?'],
    ['semicolon and hash stay', 'a; b # c', 'a; b # c'],
    ['newline and tab as hex', 'a\nb\tc', 'a\\0Ab\\09c'],
    ['non-ASCII as UTF-8 bytes', 'Zürich — 東', 'Z\\C3\\BCrich \\E2\\80\\94 \\E6\\9D\\B1'],
    ['DEL as hex', 'a\u007fb', 'a\\7Fb'],
  ])('escapes %s', (_name, input, expected) => {
    expect(escapeRouterOs(input)).toBe(expected);
  });

  it('asks the list builder for provenance, which its comments carry', () => {
    expect(mikrotikRenderer.needsProvenance).toBe(true);
  });

  it('names the address list after tenant and list', () => {
    expect(mikrotikListName({ tenant: 'acme-eu', list: 'IP.txt', generatedAt: 0 })).toBe(
      'iocrelay_acme_eu_ip_txt',
    );
  });
});

import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { checkpointRenderer } from './checkpoint-renderer.js';
import type { EntryProvenance, ListEntry } from './renderer.js';

const context = { tenant: 'acme', list: 'ioc.csv', generatedAt: 1_700_000_000_000 };
const HEADER = '# UNIQ-NAME,VALUE,TYPE,CONFIDENCE,SEVERITY,PRODUCT,COMMENT\n';

const provenance: EntryProvenance = {
  eventUuid: '5f0c2b1e-0000-4000-8000-000000000001',
  eventId: '42',
  eventInfo: 'Phishing, wave "2"\nsecond line',
  tags: ['tlp:green'],
  tlp: 'green',
  firstSeen: 1_600_000_000,
  lastSeen: 1_700_000_000,
  sources: ['misp'],
};

// Format, header and field values: sk132193 and the Threat Prevention admin guide.
// https://supportcenter.us.checkpoint.com/supportcenter/portal?eventSubmit_doGoviewsolutiondetails=&solutionid=sk132193
// https://sc1.checkpoint.com/documents/R81.10/WebAdminGuides/EN/CP_R81.10_ThreatPrevention_AdminGuide/Topics-TPG/Supported-Indicator-Files.htm
describe('checkpointRenderer', () => {
  it.each<[string, ListEntry[], string]>([
    // "IP: Standard IPv4 address"; "IP Range: a range of valid IPv4 addresses, separated by a
    // hyphen"; network observables go to Anti-Bot.
    [
      'an IPv4 address is IP, a CIDR is an IP Range',
      [
        { kind: 'ip', value: '192.0.2.1' },
        { kind: 'ip', value: '198.51.100.0/24' },
      ],
      'iocrelay-8f3b130bed69aa3b,192.0.2.1,IP,high,high,AB,\n' +
        'iocrelay-c1d2fecb1d8651d2,198.51.100.0-198.51.100.255,IP Range,high,high,AB,\n',
    ],
    // IPv6 is not among the documented observable types.
    [
      'IPv6 entries are left out',
      [
        { kind: 'ip', value: '2001:db8::1' },
        { kind: 'ip', value: '2001:db8::/32' },
      ],
      '# iocrelay: acme/ioc.csv has no entries\n',
    ],
    [
      'a wildcard domain is the Domain itself, written once',
      [
        { kind: 'domain', value: '*.evil.example' },
        { kind: 'domain', value: 'evil.example' },
      ],
      'iocrelay-98aa59c191dde4dc,evil.example,Domain,high,high,AB,\n',
    ],
    // "Quoted fields are accepted": a field with , or " is quoted and its " doubled.
    [
      'a URL holding a comma and quotes is a quoted field',
      [{ kind: 'url', value: 'http://evil.example/a,b?q="x"' }],
      'iocrelay-e22d5cc0a562ef68,"http://evil.example/a,b?q=""x""",URL,high,high,AB,\n',
    ],
    // "only the Anti-Virus Software Blade can process MD5 observables"
    [
      'hashes are MD5, SHA1, SHA256 for Anti-Virus',
      [
        { kind: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
        { kind: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
        {
          kind: 'sha256',
          value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        },
      ],
      'iocrelay-f26e59791acef122,d41d8cd98f00b204e9800998ecf8427e,MD5,high,high,AV,\n' +
        'iocrelay-c67b85e9bfcef5b4,da39a3ee5e6b4b0d3255bfef95601890afd80709,SHA1,high,high,AV,\n' +
        'iocrelay-20588eb2888e0987,' +
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,SHA256,high,high,AV,\n',
    ],
    // "Delimiter between records is '\n'": a comment never spans lines.
    [
      'COMMENT is the event info, on one line, quoted',
      [{ kind: 'ip', value: '203.0.113.5', provenance }],
      'iocrelay-11a2e70b7e67776f,203.0.113.5,IP,high,high,AB,"Phishing, wave ""2"" second line"\n',
    ],
    // "All lines beginning "#" are comments".
    [
      'an empty list is the header and one comment line',
      [],
      '# iocrelay: acme/ioc.csv has no entries\n',
    ],
  ])('%s', (_rule, entries, records) => {
    expect(checkpointRenderer.render(entries, context)).toBe(HEADER + records);
  });

  it('names an observable by the SHA-256 of its type and value, unique and stable', () => {
    const name = createHash('sha256').update('IP\n192.0.2.1').digest('hex').slice(0, 16);
    expect(name).toBe('8f3b130bed69aa3b');
  });

  it('is deterministic: the same entries give the same bytes at another time', () => {
    const entries: ListEntry[] = [{ kind: 'ip', value: '203.0.113.5', provenance }];
    expect(checkpointRenderer.render(entries, { ...context, generatedAt: 0 })).toBe(
      checkpointRenderer.render(entries, context),
    );
  });

  it.each<[string, string[]]>([
    [
      HEADER +
        'iocrelay-c1d2fecb1d8651d2,198.51.100.0-198.51.100.255,IP Range,high,high,AB,\r\n' +
        '# a comment\n\n' +
        'iocrelay-e22d5cc0a562ef68,"http://evil.example/a,b?q=""x""",URL,high,high,AB,"a, b"\n',
      ['198.51.100.0-198.51.100.255', 'http://evil.example/a,b?q="x"'],
    ],
    [`${HEADER}# iocrelay: acme/ioc.csv has no entries\n`, []],
  ])('reads back the VALUE column of %j', (content, expected) => {
    expect(checkpointRenderer.entriesOf(content)).toEqual(expected);
  });

  it('declares what it carries', () => {
    expect([
      checkpointRenderer.format,
      checkpointRenderer.contentType,
      checkpointRenderer.kinds,
      checkpointRenderer.needsProvenance,
    ]).toEqual([
      'checkpoint',
      'text/csv; charset=utf-8',
      ['ip', 'domain', 'url', 'md5', 'sha1', 'sha256'],
      true,
    ]);
  });
});

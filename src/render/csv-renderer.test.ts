import { describe, expect, it } from 'vitest';
import { csvCell, csvRenderer, parseCsv } from './csv-renderer.js';
import type { EntryProvenance, ListEntry } from './renderer.js';

const context = { tenant: 'acme', list: 'soc.csv', generatedAt: 1_700_000_000_000 };

const provenance: EntryProvenance = {
  eventUuid: '5f0c2a4e-1b2c-4d3e-8f40-123456789abc',
  eventId: '42',
  eventInfo: 'Phishing wave, "invoice" lures',
  tags: ['tlp:amber', 'misp-galaxy:threat-actor="Sample Actor"'],
  tlp: 'amber',
  firstSeen: 1704164645,
  lastSeen: 1704251045,
  sources: ['misp', 'feed:partner'],
};

const HEADER =
  'value,kind,event_uuid,event_id,event_info,tags,tlp,first_seen,last_seen,sources\r\n';

describe('csvRenderer', () => {
  it('writes a header and one CRLF row per entry, provenance or not', () => {
    const entries: ListEntry[] = [
      { kind: 'ip', value: '192.0.2.1', provenance },
      { kind: 'ip', value: '198.51.100.0/24' },
      {
        kind: 'url',
        value: 'https://evil.example/a,b',
        provenance: { ...provenance, eventId: null, tags: [], tlp: null, sources: ['feed:x'] },
      },
    ];

    expect(csvRenderer.render(entries, context)).toBe(
      HEADER +
        '192.0.2.1,ip,5f0c2a4e-1b2c-4d3e-8f40-123456789abc,42,"Phishing wave, ""invoice"" lures",' +
        '"tlp:amber;misp-galaxy:threat-actor=""Sample Actor""",amber,2024-01-02T03:04:05Z,' +
        '2024-01-03T03:04:05Z,misp;feed:partner\r\n' +
        '198.51.100.0/24,ip,,,,,,,,\r\n' +
        '"https://evil.example/a,b",url,5f0c2a4e-1b2c-4d3e-8f40-123456789abc,,' +
        '"Phishing wave, ""invoice"" lures",,,2024-01-02T03:04:05Z,2024-01-03T03:04:05Z,feed:x\r\n',
    );
  });

  it('writes only the header for an empty list', () => {
    expect(csvRenderer.render([], context)).toBe(HEADER);
  });

  it.each([
    ['-', "'-"],
    ['=HYPERLINK("http://evil.example")', `"'=HYPERLINK(""http://evil.example"")"`],
    ['+1', "'+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['a\nb', '"a\nb"'],
    ['plain', 'plain'],
    ['a-b', 'a-b'],
    ['', ''],
  ])('neutralizes and quotes the cell %j as %j', (text, expected) => {
    expect(csvCell(text)).toBe(expected);
  });

  it('neutralizes a formula in the event info of a row', () => {
    const entry: ListEntry = {
      kind: 'domain',
      value: 'evil.example',
      provenance: { ...provenance, eventInfo: '-', tags: ['=cmd'], sources: ['misp'] },
    };
    expect(csvRenderer.render([entry], context)).toBe(
      `${HEADER}evil.example,domain,5f0c2a4e-1b2c-4d3e-8f40-123456789abc,42,'-,'=cmd,amber,` +
        '2024-01-02T03:04:05Z,2024-01-03T03:04:05Z,misp\r\n',
    );
  });

  it('reads the values of a rendering back, quoted and multi-line fields included', () => {
    const entries: ListEntry[] = [
      { kind: 'ip', value: '2001:db8::1', provenance: { ...provenance, eventInfo: 'a\r\nb' } },
      { kind: 'url', value: 'http://evil.test/x,"y"' },
    ];
    const text = csvRenderer.render(entries, context);
    expect(csvRenderer.entriesOf(text)).toEqual(['2001:db8::1', 'http://evil.test/x,"y"']);
    expect(csvRenderer.entriesOf(HEADER)).toEqual([]);
  });

  it.each([
    ['a,b\r\n', [['a', 'b']]],
    [
      'a,"b\r\nc"\r\nd,e',
      [
        ['a', 'b\r\nc'],
        ['d', 'e'],
      ],
    ],
    ['"x""y",\n', [['x"y', '']]],
    ['', []],
  ])('parses %j', (text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import type { IndicatorKind } from '../normalize/indicator.js';
import type { Tlp } from '../policy/tlp.js';
import type { EntryProvenance, ListEntry } from './renderer.js';
import { escapeStixString, stixPattern } from './stix2-pattern.js';
import { stix2Renderer, stixIndicatorId } from './stix2-renderer.js';
import { TLP_2_MARKING_IDS, tlpMarking } from './stix2-tlp-marking.js';

const context = { tenant: 'acme', list: 'intel.json', generatedAt: 1_700_000_000_000 };

const provenance: EntryProvenance = {
  eventUuid: '5f0c2a4e-1b2c-4d3e-8f40-123456789abc',
  eventId: '42',
  eventInfo: 'Lure',
  tags: ['tlp:amber+strict'],
  tlp: 'amber+strict',
  firstSeen: 1704164645,
  lastSeen: 1704251045,
  sources: ['misp'],
};

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('stixPattern', () => {
  it.each<[IndicatorKind, string, string]>([
    ['ip', '192.0.2.1', "[ipv4-addr:value = '192.0.2.1']"],
    ['ip', '198.51.100.0/24', "[ipv4-addr:value = '198.51.100.0/24']"],
    ['ip', '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
    ['domain', 'evil.example', "[domain-name:value = 'evil.example']"],
    ['url', 'https://evil.example/a', "[url:value = 'https://evil.example/a']"],
    ['url', "http://evil.test/it's\\x", "[url:value = 'http://evil.test/it\\'s\\\\x']"],
    ['md5', MD5, `[file:hashes.MD5 = '${MD5}']`],
    ['sha1', SHA1, `[file:hashes.'SHA-1' = '${SHA1}']`],
    ['sha256', SHA256, `[file:hashes.'SHA-256' = '${SHA256}']`],
  ])('writes %s %s as %s', (kind, value, pattern) => {
    expect(stixPattern(kind, value)).toBe(pattern);
  });

  it.each([
    ["'", "\\'"],
    ['\\', '\\\\'],
    ["\\'", "\\\\\\'"],
    ['plain', 'plain'],
  ])('escapes %j as %j', (text, escaped) => {
    expect(escapeStixString(text)).toBe(escaped);
  });
});

describe('tlpMarking', () => {
  it.each<[Tlp, string, string]>([
    ['clear', 'TLP:CLEAR', 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],
    ['green', 'TLP:GREEN', 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    ['amber', 'TLP:AMBER', 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
    [
      'amber+strict',
      'TLP:AMBER+STRICT',
      'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
    ],
    ['red', 'TLP:RED', 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'],
  ])('gives %s the OASIS TLP 2.0 name %s and id %s', (tlp, name, id) => {
    expect(tlpMarking(tlp)).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id,
      created: '2022-10-01T00:00:00.000Z',
      name,
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
          extension_type: 'property-extension',
          tlp_2_0: tlp,
        },
      },
    });
    expect(TLP_2_MARKING_IDS[tlp]).toBe(id);
  });
});

describe('stix2Renderer', () => {
  const entries: ListEntry[] = [
    { kind: 'domain', value: 'evil.example', provenance },
    { kind: 'ip', value: '2001:db8::/32' },
  ];

  it('writes the markings used, then one indicator per entry, dated from provenance', () => {
    const expected = {
      type: 'bundle',
      id: 'bundle--2ae61885-476f-5141-8298-59b48015c5ff',
      objects: [
        tlpMarking('amber+strict'),
        {
          type: 'indicator',
          spec_version: '2.1',
          // UUIDv5 of the value in the iocrelay namespace (checked with Python's uuid5).
          id: 'indicator--decc3731-aacf-5dbd-b9ad-185229289e0b',
          created: '2024-01-02T03:04:05.000Z',
          modified: '2024-01-03T03:04:05.000Z',
          name: 'evil.example',
          description: 'Lure',
          indicator_types: ['malicious-activity'],
          pattern: "[domain-name:value = 'evil.example']",
          pattern_type: 'stix',
          pattern_version: '2.1',
          valid_from: '2024-01-02T03:04:05.000Z',
          labels: ['tlp:amber+strict'],
          external_references: [
            { source_name: 'misp', external_id: '5f0c2a4e-1b2c-4d3e-8f40-123456789abc' },
          ],
          object_marking_refs: ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003'],
        },
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--7fbd21c7-c1ee-5769-8104-8b379014503b',
          created: '2023-11-14T22:13:20.000Z',
          modified: '2023-11-14T22:13:20.000Z',
          name: '2001:db8::/32',
          indicator_types: ['malicious-activity'],
          pattern: "[ipv6-addr:value = '2001:db8::/32']",
          pattern_type: 'stix',
          pattern_version: '2.1',
          valid_from: '2023-11-14T22:13:20.000Z',
        },
      ],
    };
    expect(stix2Renderer.render(entries, context)).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('writes a bundle without objects for an empty list', () => {
    expect(JSON.parse(stix2Renderer.render([], context))).toEqual({
      type: 'bundle',
      id: 'bundle--699a1759-ca0f-52af-ab94-d76d066dcc5f',
    });
  });

  it('keeps the bundle id for the same content and changes it with list or content', () => {
    const idOf = (text: string): unknown => (JSON.parse(text) as { id: unknown }).id;
    const one = idOf(stix2Renderer.render(entries, context));
    expect(idOf(stix2Renderer.render(entries, context))).toBe(one);
    expect(idOf(stix2Renderer.render(entries, { ...context, list: 'other.json' }))).not.toBe(one);
    expect(idOf(stix2Renderer.render(entries.slice(0, 1), context))).not.toBe(one);
  });

  it('keeps an indicator id whatever list or tenant carries the value', () => {
    expect(stixIndicatorId('evil.example')).toBe('indicator--decc3731-aacf-5dbd-b9ad-185229289e0b');
    expect(stixIndicatorId("http://evil.example/it's")).toBe(
      'indicator--da89488e-e68d-507a-b957-8dc06980eacf',
    );
  });

  it('never dates modified before created', () => {
    const early = { ...provenance, lastSeen: provenance.firstSeen - 100 };
    const text = stix2Renderer.render([{ kind: 'md5', value: MD5, provenance: early }], context);
    const indicator = (JSON.parse(text) as { objects: Record<string, unknown>[] }).objects[1];
    expect(indicator?.modified).toBe('2024-01-02T03:04:05.000Z');
  });

  it('reads the values back from indicator names', () => {
    expect(stix2Renderer.entriesOf(stix2Renderer.render(entries, context))).toEqual([
      'evil.example',
      '2001:db8::/32',
    ]);
    expect(stix2Renderer.entriesOf(stix2Renderer.render([], context))).toEqual([]);
  });
});

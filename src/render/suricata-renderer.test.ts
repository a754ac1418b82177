import { describe, expect, it } from 'vitest';
import type { IndicatorKind } from '../normalize/indicator.js';
import type { ListEntry } from './renderer.js';
import {
  SURICATA_IPREP_CATEGORIES,
  suricataFileType,
  suricataRenderer,
} from './suricata-renderer.js';

const context = { tenant: 'acme', list: 'ids.lst', generatedAt: 0 };
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('suricataRenderer', () => {
  it.each<[string, ListEntry[], string]>([
    [
      'IP reputation lines for ip, CIDRs and IPv6 included',
      [
        { kind: 'ip', value: '192.0.2.1' },
        { kind: 'ip', value: '198.51.100.0/24' },
        { kind: 'ip', value: '2001:db8::/32' },
      ],
      '192.0.2.1,1,127\n198.51.100.0/24,1,127\n2001:db8::/32,1,127\n',
    ],
    [
      'base64 string dataset lines for domains',
      [
        { kind: 'domain', value: 'evil.example' },
        { kind: 'domain', value: 'xn--bcher-kva.test' },
      ],
      'ZXZpbC5leGFtcGxl\neG4tLWJjaGVyLWt2YS50ZXN0\n',
    ],
    ['hex md5 dataset lines', [{ kind: 'md5', value: MD5 }], `${MD5}\n`],
    ['hex sha256 dataset lines', [{ kind: 'sha256', value: SHA256 }], `${SHA256}\n`],
    ['an empty file for an empty list (no comment is allowed)', [], ''],
  ])('writes %s', (_name, entries, expected) => {
    const text = suricataRenderer.render(entries, context);
    expect(text).toBe(expected);
    expect(suricataRenderer.entriesOf(text)).toEqual(entries.map((entry) => entry.value));
  });

  it.each<[IndicatorKind, string]>([
    ['ip', 'iprep'],
    ['domain', 'string'],
    ['md5', 'md5'],
    ['sha256', 'sha256'],
  ])('writes %s as %s', (kind, type) => {
    expect(suricataFileType(kind)).toBe(type);
  });

  it.each<IndicatorKind>(['url', 'sha1'])('has no file type for %s', (kind) => {
    expect(suricataRenderer.kinds).not.toContain(kind);
    expect(() => suricataFileType(kind)).toThrow(`suricata: ${kind} has no Suricata file type`);
  });

  it('writes a wildcard domain as its bare name, once: a dataset has no wildcards', () => {
    const text = suricataRenderer.render(
      [
        { kind: 'domain', value: '*.wild.example' },
        { kind: 'domain', value: 'deep.sub.wild.example' },
        { kind: 'domain', value: 'wild.example' },
      ],
      context,
    );

    expect(suricataRenderer.entriesOf(text)).toEqual(['wild.example', 'deep.sub.wild.example']);
    expect(text).not.toContain(Buffer.from('*.').toString('base64').slice(0, 2));
  });

  it('refuses a list that mixes file types, which Suricata could not load', () => {
    const entries: ListEntry[] = [
      { kind: 'md5', value: MD5 },
      { kind: 'sha256', value: SHA256 },
    ];
    expect(() => suricataRenderer.render(entries, context)).toThrow(
      'suricata list acme/ids.lst mixes md5 and sha256; give each Suricata file type its own list',
    );
  });

  it('documents the categories file that goes with IP reputation', () => {
    expect(SURICATA_IPREP_CATEGORIES).toBe('1,iocrelay,Indicators published by iocrelay\n');
  });
});

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { ListEntry } from '../src/render/renderer.js';
import { stix2Renderer } from '../src/render/stix2-renderer.js';

// The OASIS STIX 2.1 JSON schemas (cti-stix2-json-schemas), read in place from shared data.
const SCHEMA_DIR = join(
  fileURLToPath(new URL('..', import.meta.url)),
  '..',
  'shared',
  'data',
  'stix2-schemas',
  'schemas',
);
const hasSchemas = existsSync(SCHEMA_DIR);
if (!hasSchemas) {
  console.warn(`stix2 schema tests skipped: ${SCHEMA_DIR} is missing (needs ../shared/data)`);
}

// ajv-formats is CommonJS with a default export; under NodeNext the callable is `.default`.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv2020) => void };

const context = { tenant: 'acme', list: 'intel.json', generatedAt: 1_700_000_000_000 };
const provenance = {
  eventUuid: '5f0c2a4e-1b2c-4d3e-8f40-123456789abc',
  eventId: '42',
  eventInfo: 'Lure "it\'s" = test',
  tags: ['tlp:green', 'misp-galaxy:threat-actor="Sample"'],
  tlp: 'green' as const,
  firstSeen: 1704164645,
  lastSeen: 1704251045,
  sources: ['misp'],
};

const CASES: readonly [string, ListEntry[]][] = [
  [
    'every kind, with and without provenance, every TLP',
    [
      { kind: 'ip', value: '192.0.2.1', provenance: { ...provenance, tlp: 'clear' } },
      { kind: 'ip', value: '198.51.100.0/24' },
      { kind: 'ip', value: '2001:db8::1', provenance: { ...provenance, tlp: 'amber' } },
      { kind: 'domain', value: 'evil.example', provenance },
      {
        kind: 'url',
        value: "http://evil.test/it's\\x?a=1",
        provenance: { ...provenance, tlp: 'amber+strict', tags: [] },
      },
      { kind: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', provenance },
      {
        kind: 'sha1',
        value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
        provenance: { ...provenance, tlp: null, eventInfo: '' },
      },
      {
        kind: 'sha256',
        value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        provenance: { ...provenance, tlp: 'red' },
      },
    ],
  ],
  ['an empty list', []],
];

describe.skipIf(!hasSchemas)('stix2 bundles against the OASIS STIX 2.1 schemas', () => {
  const validate = (): ((data: unknown) => boolean) & { errors?: unknown } => {
    // The schemas declare draft 2020-12. Strict mode off: they use keywords 2020-12 does not
    // know ("definitions"). Unicode regexps off: their patterns escape `-` (`\-`), which only
    // a non-unicode RegExp accepts.
    const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    for (const folder of readdirSync(SCHEMA_DIR)) {
      for (const file of readdirSync(join(SCHEMA_DIR, folder))) {
        if (!file.endsWith('.json')) continue;
        ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, folder, file), 'utf8')) as object);
      }
    }
    const bundle = ajv.getSchema(
      'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/bundle.json',
    );
    if (bundle === undefined) throw new Error('bundle.json not loaded');
    return bundle;
  };

  it.each(CASES)('validates the bundle of %s', (_name, entries) => {
    const check = validate();
    const bundle: unknown = JSON.parse(stix2Renderer.render(entries, context));

    const isValid = check(bundle);
    expect(check.errors ?? null).toBeNull();
    expect(isValid).toBe(true);
  });

  it('rejects a bundle with a broken indicator, so the check can fail', () => {
    const check = validate();
    const bundle = JSON.parse(stix2Renderer.render(CASES[0]?.[1] ?? [], context)) as {
      objects: Record<string, unknown>[];
    };
    const indicator = bundle.objects.find((object) => object.type === 'indicator');
    if (indicator !== undefined) indicator.created = '2024-01-02T03:04:05Z';
    expect(check(bundle)).toBe(false);
  });
});

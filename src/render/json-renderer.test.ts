import { describe, expect, it } from 'vitest';
import { jsonRenderer } from './json-renderer.js';
import type { ListEntry } from './renderer.js';

const context = { tenant: 'acme', list: 'soc.json', generatedAt: 1_700_000_000_000 };

const entries: ListEntry[] = [
  {
    kind: 'domain',
    value: 'evil.example',
    provenance: {
      eventUuid: '5f0c2a4e-1b2c-4d3e-8f40-123456789abc',
      eventId: null,
      eventInfo: 'Lure "invoice"',
      tags: ['tlp:green'],
      tlp: 'green',
      firstSeen: 1704164645,
      lastSeen: 1704164645,
      sources: ['feed:partner'],
    },
  },
  { kind: 'ip', value: '203.0.113.0/24' },
];

describe('jsonRenderer', () => {
  it('writes tenant, list, count and the entries with fixed keys', () => {
    expect(jsonRenderer.render(entries, context)).toBe(`{
  "tenant": "acme",
  "list": "soc.json",
  "count": 2,
  "entries": [
    {
      "value": "evil.example",
      "kind": "domain",
      "event": {
        "uuid": "5f0c2a4e-1b2c-4d3e-8f40-123456789abc",
        "id": null,
        "info": "Lure \\"invoice\\""
      },
      "tags": [
        "tlp:green"
      ],
      "tlp": "green",
      "firstSeen": "2024-01-02T03:04:05Z",
      "lastSeen": "2024-01-02T03:04:05Z",
      "sources": [
        "feed:partner"
      ]
    },
    {
      "value": "203.0.113.0/24",
      "kind": "ip",
      "event": null,
      "tags": [],
      "tlp": null,
      "firstSeen": null,
      "lastSeen": null,
      "sources": []
    }
  ]
}
`);
  });

  it('gives the same bytes for the same entries, whatever the generation time', () => {
    const later = { ...context, generatedAt: context.generatedAt + 3_600_000 };
    expect(jsonRenderer.render(entries, later)).toBe(jsonRenderer.render(entries, context));
  });

  it('writes an empty entries array for an empty list', () => {
    expect(jsonRenderer.render([], context)).toBe(
      '{\n  "tenant": "acme",\n  "list": "soc.json",\n  "count": 0,\n  "entries": []\n}\n',
    );
  });

  it('reads the values of a rendering back', () => {
    expect(jsonRenderer.entriesOf(jsonRenderer.render(entries, context))).toEqual([
      'evil.example',
      '203.0.113.0/24',
    ]);
    expect(jsonRenderer.entriesOf('[]')).toEqual([]);
  });
});

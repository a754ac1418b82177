import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testUuid } from './misp-fixtures.js';

/** A two-event MISP feed for the feed source tests, documentation values only. */

export const EVENT_A = testUuid(10, 1);
export const EVENT_B = testUuid(10, 2);
export const OBJECT = testUuid(11, 1);

export const MANIFEST = {
  [EVENT_A]: {
    info: 'Phishing wave',
    timestamp: '1714521600',
    threat_level_id: '2',
    Orgc: { name: 'CERT Example' },
  },
  [EVENT_B]: {
    info: 'From the manifest',
    timestamp: 1714521700,
    threat_level_id: 3,
    Tag: [{ name: 'tlp:green' }],
  },
};

/** Event A as MISP's feed generator writes it: wrapped in "Event", with an object. */
export const EVENT_A_FILE = {
  Event: {
    uuid: EVENT_A,
    info: 'Phishing wave',
    threat_level_id: '2',
    timestamp: '1714521600',
    published: true,
    Orgc: { name: 'CERT Example', uuid: testUuid(2, 1) },
    Tag: [{ name: 'tlp:clear', colour: '#ffffff' }],
    Attribute: [
      {
        uuid: testUuid(12, 1),
        type: 'domain',
        category: 'Network activity',
        to_ids: true,
        value: 'bad.example',
        timestamp: '1714521601',
        comment: '',
        Tag: [{ name: 'phishing' }],
      },
      {
        uuid: testUuid(12, 2),
        type: 'ip-dst',
        category: 'Network activity',
        to_ids: false,
        value: '192.0.2.10',
        timestamp: '1714521602',
        deleted: true,
      },
    ],
    Object: [
      {
        uuid: OBJECT,
        name: 'url',
        deleted: false,
        Attribute: [
          {
            uuid: testUuid(12, 3),
            type: 'url',
            category: 'Network activity',
            to_ids: true,
            value: 'https://bad.example/login',
            timestamp: '1714521603',
            first_seen: '2024-05-01T00:00:00.000000+00:00',
          },
          {
            uuid: testUuid(12, 4),
            type: 'ip-dst',
            category: 'Network activity',
            to_ids: '1',
            value: '203.0.113.7',
            timestamp: 1714521604,
          },
        ],
      },
    ],
  },
};

/** Event B as a bare event object, leaning on its manifest entry for info and tags. */
export const EVENT_B_FILE = {
  uuid: EVENT_B,
  Attribute: [
    {
      uuid: testUuid(12, 5),
      type: 'ip-src',
      to_ids: 0,
      value: '198.51.100.9',
      timestamp: '1714521701',
    },
  ],
};

/** Writes `files` (objects as JSON, strings as they are) into `folder`. */
export function writeFeed(folder: string, files: Record<string, unknown>): void {
  mkdirSync(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(
      join(folder, name),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  }
}

import { describe, expect, it } from 'vitest';

import { compileSelection } from '../policy/tenant-selection.js';
import { configSchema, type Config } from '../config/config-schema.js';
import type { CandidateAttribute } from '../store/list-candidates.js';
import { provenanceOf } from './entry-provenance.js';

const config = configSchema.parse({ tenants: [{ id: 'acme' }] }) as Config;
const selection = compileSelection('acme', 'customer:acme', 'amber', config.policy, undefined);
const NOW = 1_800_000_000;

function attribute(overrides: Partial<CandidateAttribute>): CandidateAttribute {
  return {
    source: 'misp',
    uuid: 'a',
    mispId: '1',
    type: 'ip-dst',
    tags: [],
    tlp: null,
    timestamp: NOW - 1000,
    firstSeen: null,
    lastSeen: null,
    toIds: true,
    lastSighting: null,
    expirationSighting: null,
    decayed: null,
    event: {
      source: 'misp',
      uuid: 'e-1',
      mispId: '7',
      info: 'Older event',
      orgName: null,
      threatLevel: 2,
      tags: ['tlp:green'],
      tlp: 'green',
      timestamp: null,
      published: true,
    },
    ...overrides,
  };
}

describe('provenanceOf', () => {
  it('takes the newest counting event, every tag, the strictest TLP and the earliest sighting', () => {
    const older = attribute({ firstSeen: '2027-01-01T00:00:00Z', tags: ['kill-chain:c2'] });
    const newer = attribute({
      source: 'feed:osint',
      timestamp: NOW - 10,
      tags: ['customer:acme'],
      event: {
        ...older.event,
        uuid: 'e-2',
        mispId: null,
        info: 'Newer event',
        tags: ['tlp:amber'],
        tlp: 'amber',
      },
    });
    const red = attribute({ timestamp: NOW, tags: ['tlp:red'], tlp: 'red' });

    expect(provenanceOf('ip', [older, newer, red], selection, NOW)).toEqual({
      eventUuid: 'e-2',
      eventId: null,
      eventInfo: 'Newer event',
      tags: ['kill-chain:c2', 'tlp:green', 'customer:acme', 'tlp:amber'],
      tlp: 'amber',
      firstSeen: Date.parse('2027-01-01T00:00:00Z') / 1000,
      lastSeen: NOW - 10,
      sources: ['misp', 'feed:osint'],
    });
  });

  it('gives nothing when no attribute counts for the tenant', () => {
    expect(provenanceOf('ip', [attribute({ tlp: 'red' })], selection, NOW)).toBeUndefined();
  });
});

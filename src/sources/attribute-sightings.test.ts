import { describe, expect, it } from 'vitest';

import { readActivity } from './attribute-sightings.js';

describe('readActivity', () => {
  it.each([
    ['nothing sent', {}, { lastSighting: null, expirationSighting: null, decayed: null }],
    [
      'newest of each sighting type; false positives (type 1) ignored',
      {
        Sighting: [
          { type: '0', date_sighting: '1714521600' },
          { type: '0', date_sighting: '1714608000' },
          { type: '1', date_sighting: '1714700000' },
          { type: '2', date_sighting: '1714650000' },
        ],
      },
      { lastSighting: 1714608000, expirationSighting: 1714650000, decayed: null },
    ],
    [
      'a sighting without a type is a plain sighting; numbers accepted',
      { Sighting: [{ date_sighting: 1714521600 }] },
      { lastSighting: 1714521600, expirationSighting: null, decayed: null },
    ],
    [
      'malformed entries are skipped',
      { Sighting: [null, 'x', { type: '0', date_sighting: 'yesterday' }, { type: '2' }] },
      { lastSighting: null, expirationSighting: null, decayed: null },
    ],
    [
      'decayed when one model says so',
      {
        decay_score: [
          { score: 80, decayed: false },
          { score: 2, decayed: true },
        ],
      },
      { lastSighting: null, expirationSighting: null, decayed: true },
    ],
    [
      'not decayed',
      { decay_score: [{ score: 80, decayed: false }] },
      { lastSighting: null, expirationSighting: null, decayed: false },
    ],
    [
      'an empty score list says nothing',
      { decay_score: [] },
      { lastSighting: null, expirationSighting: null, decayed: null },
    ],
  ])('%s', (_name, raw, expected) => {
    expect(readActivity(raw, 'Attribute[0]')).toEqual(expected);
  });
});

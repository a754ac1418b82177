import { describe, expect, it } from 'vitest';
import { EntryList } from './list-entries.js';
import type { EntryProvenance } from './renderer.js';

const provenance: EntryProvenance = {
  eventUuid: '5f0c1a9e-0000-4000-8000-000000000001',
  eventId: '12',
  eventInfo: 'phishing wave',
  tags: ['tlp:green'],
  tlp: 'green',
  firstSeen: 1_700_000_000,
  lastSeen: 1_700_000_100,
  sources: ['misp'],
};

describe('EntryList', () => {
  it('gives back the entries pushed, in order, one object each', () => {
    const list = new EntryList(false);
    list.push('ip', '192.0.2.1');
    list.push('domain', 'bad.example');

    expect(list.length).toBe(2);
    expect([...list]).toEqual([
      { kind: 'ip', value: '192.0.2.1' },
      { kind: 'domain', value: 'bad.example' },
    ]);
    expect(list.kindAt(1)).toBe('domain');
    expect(list.valueAt(0)).toBe('192.0.2.1');
  });

  it('drops provenance when the format writes none, keeps it when it does', () => {
    const without = new EntryList(false);
    without.push('ip', '192.0.2.1', provenance);
    expect(without.at(0)).toEqual({ kind: 'ip', value: '192.0.2.1' });
    expect(without.hasProvenance).toBe(false);

    const withIt = new EntryList(true);
    withIt.push('ip', '192.0.2.1', provenance);
    withIt.push('ip', '198.51.100.0/24');
    expect(withIt.at(0)).toEqual({ kind: 'ip', value: '192.0.2.1', provenance });
    expect(withIt.at(1)).toEqual({ kind: 'ip', value: '198.51.100.0/24' });
    expect(withIt.at(1)).not.toHaveProperty('provenance');
  });

  it('picks entries by index, provenance included', () => {
    const list = EntryList.of([
      { kind: 'ip', value: '192.0.2.1' },
      { kind: 'url', value: 'http://bad.example/x', provenance },
      { kind: 'ip', value: '192.0.2.3' },
    ]);
    const picked = list.pick([2, 1]);
    expect([...picked]).toEqual([
      { kind: 'ip', value: '192.0.2.3' },
      { kind: 'url', value: 'http://bad.example/x', provenance },
    ]);
    expect(picked.hasProvenance).toBe(true);
  });

  it('is empty and iterates nothing when nothing was pushed', () => {
    const list = new EntryList(true);
    expect(list.length).toBe(0);
    expect([...list]).toEqual([]);
    const [first] = list;
    expect(first).toBeUndefined();
  });

  it('can be iterated twice, each time from the start', () => {
    const list = EntryList.of([{ kind: 'ip', value: '192.0.2.1' }]);
    expect([...list].map((e) => e.value)).toEqual(['192.0.2.1']);
    expect([...list].map((e) => e.value)).toEqual(['192.0.2.1']);
  });
});

describe('EntryList kinds', () => {
  it('keeps each kind when a list of one kind turns mixed', () => {
    const list = new EntryList(false);
    list.push('ip', '192.0.2.1');
    list.push('ip', '192.0.2.2');
    list.push('domain', 'bad.example');
    list.push('ip', '192.0.2.3');
    expect([...list].map((entry) => entry.kind)).toEqual(['ip', 'ip', 'domain', 'ip']);
    expect(list.pick([2, 0]).kindAt(0)).toBe('domain');
  });

  it('gives the one kind of a list that starts with another kind than ip', () => {
    const list = new EntryList(false);
    list.push('sha256', 'a'.repeat(64));
    expect(list.kindAt(0)).toBe('sha256');
  });
});

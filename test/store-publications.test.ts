import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isIocrelayError } from '../src/errors/iocrelay-error.js';
import type { RecordPublicationInput } from '../src/store/publications.js';
import type { Store } from '../src/store/store.js';
import {
  domain,
  ipv4,
  makeAttribute,
  makeEvent,
  tempStore,
  type TempStore,
} from './support/store-fixtures.js';

const T0 = 1_714_600_000_000;

let temp: TempStore;
let store: Store;
let runId: number;

beforeEach(async () => {
  temp = await tempStore();
  store = temp.store;
  runId = await store.startRun(T0);

  // Indicators 1..5: 192.0.2.1 … 192.0.2.5.
  const event = makeEvent();
  const ingest = await store.beginIngest(runId, T0);
  for (let i = 1; i <= 5; i++) {
    const value = `192.0.2.${i}`;
    ingest.add('misp', makeAttribute(event, { value }), [ipv4(value)]);
  }
  await ingest.finishSource('misp', { mode: 'full', cursor: 1 });
  await ingest.commit();
});

afterEach(async () => {
  await temp.cleanup();
});

function publication(overrides: Partial<RecordPublicationInput>): RecordPublicationInput {
  return {
    runId,
    tenant: 'acme',
    list: 'ip.txt',
    status: 'published',
    entries: 0,
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    bytes: 0,
    indicatorIds: [],
    now: T0,
    ...overrides,
  };
}

function listEntries(tenant: string, list: string): unknown[] {
  return (temp.dump().list_entry as { tenant: string; list: string; indicator_id: number }[])
    .filter((row) => row.tenant === tenant && row.list === list)
    .map((row) => row.indicator_id);
}

describe('recordPublication', () => {
  it('counts what entered and left, and keeps the first publication time', async () => {
    const first = await store.recordPublication(
      publication({ indicatorIds: [1, 2, 3], entries: 3 }),
    );
    expect(first).toEqual({ added: 3, removed: 0 });

    const second = await store.recordPublication(
      publication({ indicatorIds: [4, 3, 2, 2], entries: 3, now: T0 + 60_000 }),
    );
    expect(second).toEqual({ added: 1, removed: 1 });
    expect(listEntries('acme', 'ip.txt')).toEqual([2, 3, 4]);

    const third = await store.recordPublication(
      publication({ indicatorIds: [1, 2, 3, 4], entries: 4, now: T0 + 120_000 }),
    );
    expect(third).toEqual({ added: 1, removed: 0 });

    expect(temp.dump().indicator_publication).toEqual([
      { indicator_id: 1, tenant: 'acme', list: 'ip.txt', first_published_at: T0 },
      { indicator_id: 2, tenant: 'acme', list: 'ip.txt', first_published_at: T0 },
      { indicator_id: 3, tenant: 'acme', list: 'ip.txt', first_published_at: T0 },
      { indicator_id: 4, tenant: 'acme', list: 'ip.txt', first_published_at: T0 + 60_000 },
    ]);
  });

  it('keeps lists of tenants and lists apart', async () => {
    await store.recordPublication(publication({ indicatorIds: [1, 2] }));
    await store.recordPublication(publication({ tenant: 'globex', indicatorIds: [5] }));
    await store.recordPublication(publication({ list: 'ip-all.txt', indicatorIds: [3] }));

    expect(await store.recordPublication(publication({ indicatorIds: [] }))).toEqual({
      added: 0,
      removed: 2,
    });
    expect(listEntries('acme', 'ip.txt')).toEqual([]);
    expect(listEntries('globex', 'ip.txt')).toEqual([5]);
    expect(listEntries('acme', 'ip-all.txt')).toEqual([3]);
  });

  it('held and unchanged add the publication row only', async () => {
    await store.recordPublication(
      publication({ indicatorIds: [1, 2], entries: 2, sha256: 'aa', bytes: 20 }),
    );
    const held = await store.recordPublication(
      publication({
        status: 'held',
        indicatorIds: [5],
        entries: 1,
        sha256: 'bb',
        bytes: 10,
        now: T0 + 1,
      }),
    );
    const unchanged = await store.recordPublication(
      publication({
        status: 'unchanged',
        indicatorIds: [1, 2],
        entries: 2,
        sha256: 'aa',
        bytes: 20,
        now: T0 + 2,
      }),
    );

    expect([held, unchanged]).toEqual([
      { added: 0, removed: 0 },
      { added: 0, removed: 0 },
    ]);
    expect(listEntries('acme', 'ip.txt')).toEqual([1, 2]);
    expect(temp.dump().publication).toEqual([
      {
        id: 1,
        run_id: runId,
        tenant: 'acme',
        list: 'ip.txt',
        published_at: T0,
        entries: 2,
        sha256: 'aa',
        bytes: 20,
        status: 'published',
        added: 2,
        removed: 0,
      },
      {
        id: 2,
        run_id: runId,
        tenant: 'acme',
        list: 'ip.txt',
        published_at: T0 + 1,
        entries: 1,
        sha256: 'bb',
        bytes: 10,
        status: 'held',
        added: 0,
        removed: 0,
      },
      {
        id: 3,
        run_id: runId,
        tenant: 'acme',
        list: 'ip.txt',
        published_at: T0 + 2,
        entries: 2,
        sha256: 'aa',
        bytes: 20,
        status: 'unchanged',
        added: 0,
        removed: 0,
      },
    ]);
    expect(await store.lastPublication('acme', 'ip.txt')).toEqual({
      id: 1,
      runId,
      tenant: 'acme',
      list: 'ip.txt',
      publishedAt: T0,
      entries: 2,
      sha256: 'aa',
      bytes: 20,
      status: 'published',
      added: 2,
      removed: 0,
    });
    expect(await store.lastPublication('acme', 'dns.txt')).toBeNull();
  });

  it('handles lists larger than one insert batch', async () => {
    const event = makeEvent();
    const ingest = await store.beginIngest(runId, T0);
    for (let i = 0; i < 1200; i++) {
      const value = `198.51.100.${i % 256}`;
      ingest.add('misp', makeAttribute(event, { value: `${value}/${i}` }), [
        ipv4(value),
        domain(`h${i}.example`),
      ]);
    }
    await ingest.commit();
    const ids = Array.from({ length: 1201 }, (_, i) => i + 5);

    expect(await store.recordPublication(publication({ indicatorIds: ids }))).toEqual({
      added: 1201,
      removed: 0,
    });
    expect(await store.recordPublication(publication({ indicatorIds: ids.slice(1) }))).toEqual({
      added: 0,
      removed: 1,
    });
    expect(listEntries('acme', 'ip.txt')).toHaveLength(1200);
  });

  it('refuses unknown indicators and records nothing', async () => {
    const before = temp.dump();
    const failure = await store
      .recordPublication(publication({ indicatorIds: [1, 999] }))
      .catch((err: unknown) => err);

    expect(isIocrelayError(failure, 'STORE_FAILED')).toBe(true);
    expect(failure).toMatchObject({ details: { operation: 'recordPublication' } });
    expect(temp.dump()).toEqual(before);
  });
});

describe('lookupIndicator', () => {
  it('gives the indicator, all its attributes and the lists that carry it', async () => {
    const event = makeEvent({ tags: ['tlp:amber'] });
    const live = makeAttribute(event, {
      id: '900',
      type: 'domain|ip',
      value: 'mail.example|192.0.2.1',
      tags: ['tlp:clear'],
      comment: 'C2',
      objectUuid: '00000000-0000-4000-8000-00000000000b',
      objectName: 'domain-ip',
      lastSeen: '2024-05-02T00:00:00Z',
    });
    const gone = makeAttribute(event, {
      id: '901',
      type: 'ip-src',
      value: '192.0.2.1',
      toIds: false,
    });
    const ingest = await store.beginIngest(await store.startRun(T0 + 5), T0 + 5);
    ingest.add('misp', live, [domain('mail.example'), ipv4('192.0.2.1')]);
    ingest.add('misp', gone, [ipv4('192.0.2.1')]);
    await ingest.finishSource('misp', { mode: 'full', cursor: 2 });
    await ingest.commit();
    await store.recordPublication(publication({ indicatorIds: [1], now: T0 + 10 }));
    await store.recordPublication(
      publication({ list: 'old.txt', indicatorIds: [1], now: T0 + 11 }),
    );
    await store.recordPublication(publication({ list: 'old.txt', indicatorIds: [], now: T0 + 12 }));
    await store.recordPublication(
      publication({ tenant: 'globex', indicatorIds: [1, 2], now: T0 + 13 }),
    );

    const found = await store.lookupIndicator('ip', '192.0.2.1');
    const storedEvent = {
      source: 'misp',
      uuid: event.uuid,
      mispId: '7',
      info: 'Phishing wave',
      orgName: 'CERT Example',
      threatLevel: 2,
      tags: ['tlp:amber'],
      tlp: 'amber',
      timestamp: 1714521600,
      published: true,
    };
    expect(found).toEqual({
      id: 1,
      kind: 'ip',
      value: '192.0.2.1',
      sortKey: '4c000020132',
      firstStoredAt: T0,
      attributes: [
        expect.objectContaining({
          mispId: '101',
          isPresent: false,
          firstStoredAt: T0,
          updatedAt: T0 + 5,
        }),
        {
          source: 'misp',
          uuid: live.uuid,
          mispId: '900',
          type: 'domain|ip',
          category: 'Network activity',
          rawValue: 'mail.example|192.0.2.1',
          toIds: true,
          deleted: false,
          isPresent: true,
          timestamp: 1714521601,
          firstSeen: null,
          lastSeen: '2024-05-02T00:00:00Z',
          tags: ['tlp:clear'],
          tlp: 'clear',
          objectUuid: '00000000-0000-4000-8000-00000000000b',
          objectName: 'domain-ip',
          lastSighting: null,
          expirationSighting: null,
          decayed: null,
          comment: 'C2',
          firstStoredAt: T0 + 5,
          updatedAt: T0 + 5,
          event: storedEvent,
        },
        {
          source: 'misp',
          uuid: gone.uuid,
          mispId: '901',
          type: 'ip-src',
          category: 'Network activity',
          rawValue: '192.0.2.1',
          toIds: false,
          deleted: false,
          isPresent: true,
          timestamp: 1714521601,
          firstSeen: null,
          lastSeen: null,
          tags: [],
          tlp: null, // its own tag; the event's is on `event`
          objectUuid: null,
          objectName: null,
          lastSighting: null,
          expirationSighting: null,
          decayed: null,
          comment: '',
          firstStoredAt: T0 + 5,
          updatedAt: T0 + 5,
          event: storedEvent,
        },
      ],
      lists: [
        { tenant: 'acme', list: 'ip.txt', firstPublishedAt: T0 + 10 },
        { tenant: 'globex', list: 'ip.txt', firstPublishedAt: T0 + 13 },
      ],
    });
    expect(await store.lookupIndicator('domain', 'mail.example')).toMatchObject({
      id: 6,
      lists: [],
    });
    expect(await store.lookupIndicator('ip', '192.0.2.200')).toBeNull();
  });
});

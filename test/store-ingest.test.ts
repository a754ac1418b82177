import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Indicator, IndicatorKind } from '../src/normalize/indicator.js';
import type { SourceAttribute } from '../src/sources/source-attribute.js';
import type { Candidate } from '../src/store/list-candidates.js';
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

beforeEach(async () => {
  temp = await tempStore();
  store = temp.store;
});

afterEach(async () => {
  await temp.cleanup();
});

type Item = readonly [SourceAttribute, readonly Indicator[]];

async function runSync(
  items: readonly Item[],
  options: { mode?: 'full' | 'incremental'; now?: number; source?: string } = {},
) {
  const now = options.now ?? T0;
  const runId = await store.startRun(now);
  const ingest = await store.beginIngest(runId, now);
  for (const [attribute, indicators] of items)
    ingest.add(options.source ?? 'misp', attribute, indicators);
  const summary = await ingest.finishSource(options.source ?? 'misp', {
    mode: options.mode ?? 'full',
    cursor: 1714521700,
  });
  await ingest.commit();
  return summary;
}

async function candidates(kinds?: readonly IndicatorKind[]): Promise<Candidate[]> {
  const all: Candidate[] = [];
  for await (const candidate of store.iterateCandidates({ kinds })) all.push(candidate);
  return all;
}

/** Candidates as [value, attribute uuids]: enough to follow what enters and leaves. */
async function listed(): Promise<[string, string[]][]> {
  return (await candidates()).map((c) => [c.value, c.attributes.map((a) => a.uuid)]);
}

describe('ingest then iterateCandidates', () => {
  it('gives the exact candidates, sorted, with attributes and events', async () => {
    const phishing = makeEvent({ tags: ['tlp:green', 'kill-chain:Delivery'] });
    const untagged = makeEvent({
      id: null,
      info: 'Feed event',
      orgName: null,
      threatLevel: null,
      tags: [],
      timestamp: null,
      published: null,
    });
    const amber = makeAttribute(phishing, {
      value: '192.0.2.10',
      tags: ['tlp:amber'],
      firstSeen: '2024-05-01T00:00:00Z',
    });
    const bad = makeAttribute(phishing, { id: '102', type: 'domain', value: 'bad.example' });
    const notIds = makeAttribute(phishing, { id: '103', value: '198.51.100.7', toIds: false });
    const deleted = makeAttribute(phishing, { id: '104', value: '203.0.113.9', deleted: true });
    const sameIp = makeAttribute(untagged, {
      id: null,
      type: 'ip-src',
      value: '192.0.2.10',
      timestamp: 1714521999,
    });

    await runSync([
      [bad, [domain('bad.example')]],
      [amber, [ipv4('192.0.2.10')]],
      [notIds, [ipv4('198.51.100.7')]],
      [deleted, [ipv4('203.0.113.9')]],
      [sameIp, [ipv4('192.0.2.10')]],
    ]);

    const phishingEvent = {
      source: 'misp',
      uuid: phishing.uuid,
      mispId: '7',
      info: 'Phishing wave',
      orgName: 'CERT Example',
      threatLevel: 2,
      tags: ['tlp:green', 'kill-chain:Delivery'],
      tlp: 'green',
      timestamp: 1714521600,
      published: true,
    };
    const feedEvent = {
      source: 'misp',
      uuid: untagged.uuid,
      mispId: null,
      info: 'Feed event',
      orgName: null,
      threatLevel: null,
      tags: [],
      tlp: null,
      timestamp: null,
      published: null,
    };
    expect(await candidates()).toEqual([
      {
        id: 2,
        kind: 'ip',
        value: '192.0.2.10',
        sortKey: '4c000020a32',
        attributes: [
          {
            source: 'misp',
            uuid: amber.uuid,
            mispId: '101',
            type: 'ip-dst',
            tags: ['tlp:amber'],
            tlp: 'amber',
            timestamp: 1714521601,
            firstSeen: '2024-05-01T00:00:00Z',
            lastSeen: null,
            toIds: true,
            lastSighting: null,
            expirationSighting: null,
            decayed: null,
            event: phishingEvent,
          },
          {
            source: 'misp',
            uuid: sameIp.uuid,
            mispId: null,
            type: 'ip-src',
            tags: [],
            tlp: null,
            timestamp: 1714521999,
            firstSeen: null,
            lastSeen: null,
            toIds: true,
            lastSighting: null,
            expirationSighting: null,
            decayed: null,
            event: feedEvent,
          },
        ],
      },
      {
        id: 1,
        kind: 'domain',
        value: 'bad.example',
        sortKey: 'bad.example',
        attributes: [
          {
            source: 'misp',
            uuid: bad.uuid,
            mispId: '102',
            type: 'domain',
            tags: [],
            tlp: null,
            timestamp: 1714521601,
            firstSeen: null,
            lastSeen: null,
            toIds: true,
            lastSighting: null,
            expirationSighting: null,
            decayed: null,
            event: phishingEvent,
          },
        ],
      },
    ]);
    expect((await candidates(['domain'])).map((c) => c.value)).toEqual(['bad.example']);
    expect(await candidates(['md5'])).toEqual([]);
  });

  it('gives two indicators sharing one attribute uuid for domain|ip', async () => {
    const event = makeEvent();
    const pair = makeAttribute(event, { type: 'domain|ip', value: 'www.example|192.0.2.5' });

    await runSync([[pair, [domain('www.example'), ipv4('192.0.2.5')]]]);

    expect(await listed()).toEqual([
      ['192.0.2.5', [pair.uuid]],
      ['www.example', [pair.uuid]],
    ]);
  });

  it('streams candidates in sort-key order across many indicators', async () => {
    const event = makeEvent();
    const items: Item[] = [];
    for (let i = 0; i < 300; i++) {
      const value = `198.51.100.${(i * 7) % 256}`;
      items.push([makeAttribute(event, { value }), [ipv4(value)]]);
    }
    await runSync(items);

    const keys = (await candidates()).map((c) => c.sortKey);
    expect(keys).toHaveLength(256);
    expect(keys).toEqual([...keys].sort());
  });
});

describe('what leaves and comes back', () => {
  it('full mode marks what the source no longer sends; incremental keeps it', async () => {
    const event = makeEvent();
    const kept = makeAttribute(event, { value: '192.0.2.1' });
    const dropped = makeAttribute(event, { value: '192.0.2.2' });
    await runSync([
      [kept, [ipv4('192.0.2.1')]],
      [dropped, [ipv4('192.0.2.2')]],
    ]);

    const incremental = await runSync([[kept, [ipv4('192.0.2.1')]]], {
      mode: 'incremental',
      now: T0 + 1,
    });
    expect(incremental).toEqual({ attributes: 1, unchanged: 1, removed: 0 });
    expect(await listed()).toEqual([
      ['192.0.2.1', [kept.uuid]],
      ['192.0.2.2', [dropped.uuid]],
    ]);

    const full = await runSync([[kept, [ipv4('192.0.2.1')]]], { mode: 'full', now: T0 + 2 });
    expect(full).toEqual({ attributes: 1, unchanged: 1, removed: 1 });
    expect(await listed()).toEqual([['192.0.2.1', [kept.uuid]]]);

    const back = await runSync(
      [
        [kept, [ipv4('192.0.2.1')]],
        [dropped, [ipv4('192.0.2.2')]],
      ],
      { now: T0 + 3 },
    );
    expect(back).toEqual({ attributes: 2, unchanged: 2, removed: 0 });
    expect(await listed()).toEqual([
      ['192.0.2.1', [kept.uuid]],
      ['192.0.2.2', [dropped.uuid]],
    ]);
  });

  it.each([
    ['to_ids false', { toIds: false }],
    ['deleted', { deleted: true }],
  ] as const)('%s leaves the candidates and comes back when flipped back', async (_name, flip) => {
    const event = makeEvent();
    const attribute = makeAttribute(event, { value: '203.0.113.4' });
    await runSync([[attribute, [ipv4('203.0.113.4')]]]);

    const flipped = { ...attribute, ...flip, timestamp: attribute.timestamp + 1 };
    await runSync([[flipped, [ipv4('203.0.113.4')]]], { mode: 'incremental', now: T0 + 1 });
    expect(await listed()).toEqual([]);

    const restored = { ...attribute, timestamp: attribute.timestamp + 2 };
    await runSync([[restored, [ipv4('203.0.113.4')]]], { mode: 'incremental', now: T0 + 2 });
    expect(await listed()).toEqual([['203.0.113.4', [attribute.uuid]]]);
  });

  it('an edited value replaces the old indicator, in incremental mode too', async () => {
    const event = makeEvent();
    const attribute = makeAttribute(event, { value: '192.0.2.1' });
    await runSync([[attribute, [ipv4('192.0.2.1')]]]);

    const edited = { ...attribute, value: '192.0.2.99', timestamp: attribute.timestamp + 1 };
    const summary = await runSync([[edited, [ipv4('192.0.2.99')]]], {
      mode: 'incremental',
      now: T0 + 1,
    });

    expect(summary).toEqual({ attributes: 1, unchanged: 0, removed: 1 });
    expect(await listed()).toEqual([['192.0.2.99', [attribute.uuid]]]);
  });

  it('an attribute edited to a rejected value leaves the candidates', async () => {
    const event = makeEvent();
    const attribute = makeAttribute(event, { value: '192.0.2.1' });
    await runSync([[attribute, [ipv4('192.0.2.1')]]]);

    const broken = { ...attribute, value: '192.0.2.300', timestamp: attribute.timestamp + 1 };
    const summary = await runSync([[broken, []]], { mode: 'incremental', now: T0 + 1 });

    expect(summary).toEqual({ attributes: 1, unchanged: 0, removed: 1 });
    expect(await listed()).toEqual([]);
  });

  it('a later page describing the event differently updates it', async () => {
    const event = makeEvent({ tags: [] });
    const first = makeAttribute(event, { value: '192.0.2.1' });
    const retagged = { ...event, tags: ['tlp:red'], info: 'Phishing wave (updated)' };
    const second = makeAttribute(retagged, { value: '192.0.2.2' });

    await runSync([
      [first, [ipv4('192.0.2.1')]],
      [second, [ipv4('192.0.2.2')]],
    ]);

    const events = (await candidates()).map((c) =>
      c.attributes.map((a) => [a.event.info, a.event.tlp]),
    );
    expect(events).toEqual([
      [['Phishing wave (updated)', 'red']],
      [['Phishing wave (updated)', 'red']],
    ]);
  });
});

describe('rollback and cursors', () => {
  it('rollback leaves every row and the cursor as they were', async () => {
    const event = makeEvent();
    const attribute = makeAttribute(event, { value: '192.0.2.1' });
    await runSync([[attribute, [ipv4('192.0.2.1')]]]);
    const before = temp.dump();
    const stateBefore = await store.getSourceState('misp');

    const runId = await store.startRun(T0 + 5);
    const afterStart = temp.dump();
    const ingest = await store.beginIngest(runId, T0 + 5);
    const edited = { ...attribute, value: '192.0.2.7', timestamp: attribute.timestamp + 9 };
    ingest.add('misp', edited, [ipv4('192.0.2.7')]);
    ingest.add('misp', makeAttribute(makeEvent(), { value: '192.0.2.8' }), [ipv4('192.0.2.8')]);
    ingest.add('feed:osint', makeAttribute(event, { value: '192.0.2.9' }), [ipv4('192.0.2.9')]);
    await ingest.finishSource('misp', { mode: 'full', cursor: 1800000000 });
    expect(temp.dump()).toEqual(afterStart);
    await ingest.rollback();
    await ingest.rollback();

    expect(temp.dump()).toEqual(afterStart);
    expect({ ...afterStart, run: before.run }).toEqual(before);
    expect(await store.getSourceState('misp')).toEqual(stateBefore);
    expect(await listed()).toEqual([['192.0.2.1', [attribute.uuid]]]);
    expect(() => ingest.add('misp', attribute, [ipv4('192.0.2.1')])).toThrow(
      'after commit or rollback',
    );
  });

  it('saves the cursor and the time of full and incremental pulls', async () => {
    expect(await store.getSourceState('misp')).toBeNull();
    const runId = await store.startRun(T0);

    const full = await store.beginIngest(runId, T0);
    await full.finishSource('misp', { mode: 'full', cursor: 100 });
    await full.commit();
    expect(await store.getSourceState('misp')).toEqual({
      source: 'misp',
      cursor: 100,
      lastFullAt: T0,
      lastSuccessAt: T0,
    });

    const incremental = await store.beginIngest(runId, T0 + 10);
    await incremental.finishSource('misp', { mode: 'incremental', cursor: null });
    await incremental.finishSource('feed:osint', { mode: 'incremental', cursor: 7 });
    await incremental.commit();
    expect(await store.getSourceState('misp')).toEqual({
      source: 'misp',
      cursor: 100,
      lastFullAt: T0,
      lastSuccessAt: T0 + 10,
    });
    expect(await store.getSourceState('feed:osint')).toEqual({
      source: 'feed:osint',
      cursor: 7,
      lastFullAt: null,
      lastSuccessAt: T0 + 10,
    });
  });

  it('allows one ingest at a time', async () => {
    const runId = await store.startRun(T0);
    const ingest = await store.beginIngest(runId, T0);
    await expect(store.beginIngest(runId, T0)).rejects.toThrow('an ingest is already open');
    await ingest.commit();
    await expect(ingest.commit()).rejects.toThrow('after commit or rollback');
    const next = await store.beginIngest(runId, T0);
    await next.rollback();
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { PullProgress } from '../src/sources/source.js';
import { testUuid } from './support/misp-fixtures.js';
import {
  API_KEY,
  collect,
  source,
  start,
  twelveAttributes,
  useMispServers,
} from './support/misp-rest-harness.js';

useMispServers();

describe('MISP REST source: paging', () => {
  it('pages until a short page, with the exact request bodies and headers', async () => {
    const misp = await start();
    const progress: PullProgress[] = [];
    const batches = await collect(
      source(misp).pull({ mode: 'full', onProgress: (p) => progress.push(p) }),
    );

    expect(batches.map((batch) => batch.map((a) => a.id))).toEqual([
      ['1', '2', '3', '4', '5'],
      ['6', '7', '8', '9', '10'],
      ['11', '12'],
    ]);
    expect(misp.requests.map((r) => r.body)).toEqual(
      [1, 2, 3].map((page) => ({
        type: ['ip-dst', 'domain'],
        to_ids: true,
        returnFormat: 'json',
        limit: 5,
        includeContext: true,
        order: 'Attribute.id ASC',
        page,
      })),
    );
    const headers = misp.requests[0]?.headers;
    expect([headers?.authorization, headers?.accept, headers?.['content-type']]).toEqual([
      API_KEY,
      'application/json',
      'application/json',
    ]);
    expect(misp.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      Array(3).fill('POST /attributes/restSearch'),
    );
    expect(progress).toEqual([
      { pages: 1, attributes: 5 },
      { pages: 2, attributes: 10 },
      { pages: 3, attributes: 12 },
    ]);
  });

  it('reads each attribute whole and shares one event object per event', async () => {
    const misp = await start();
    const all = (await collect(source(misp).pull({ mode: 'full' }))).flat();

    expect(all[1]).toEqual({
      uuid: testUuid(3, 2),
      id: '2',
      type: 'ip-dst',
      category: 'Network activity',
      value: '198.51.100.2',
      toIds: true,
      deleted: false,
      timestamp: 1_714_521_602,
      firstSeen: null,
      lastSeen: null,
      comment: '',
      tags: [],
      objectUuid: null,
      objectName: null,
      lastSighting: null,
      expirationSighting: null,
      decayed: null,
      event: {
        uuid: testUuid(1, 2),
        id: '2',
        info: 'Test event 2',
        orgName: 'CERT Example',
        threatLevel: 1,
        tags: [],
        timestamp: 1_714_521_600,
        published: false,
      },
    });
    expect(all[0]?.event.tags).toEqual(['tlp:clear']);
    const eventOne = all.filter((a) => a.event.uuid === testUuid(1, 1)).map((a) => a.event);
    expect(eventOne).toHaveLength(6);
    expect(eventOne.every((event) => event === eventOne[0])).toBe(true);
  });

  it('asks for one more page when the total is a multiple of the page size', async () => {
    const misp = await start(twelveAttributes().slice(0, 10));
    const batches = await collect(source(misp).pull({ mode: 'full' }));
    expect(batches.map((b) => b.length)).toEqual([5, 5, 0]);
    expect(misp.requests.map((r) => r.body.page)).toEqual([1, 2, 3]);
  });

  it('answers an empty MISP with one request and one empty batch', async () => {
    const misp = await start([]);
    expect(await collect(source(misp).pull({ mode: 'full' }))).toEqual([[]]);
    expect(misp.requests).toHaveLength(1);
  });

  it('goes on past a page shortened by MISP allowlisting, trusting X-Result-Count', async () => {
    const misp = await start(twelveAttributes(), (a) => a.id === '3');
    const batches = await collect(source(misp).pull({ mode: 'full' }));
    expect(batches.map((b) => b.map((a) => a.id))).toEqual([
      ['1', '2', '4', '5'],
      ['6', '7', '8', '9', '10'],
      ['11', '12'],
    ]);
  });

  it('fetches page N+1 while the caller holds page N, and drops it when the caller stops', async () => {
    const misp = await start();
    const pull = source(misp).pull({ mode: 'full' })[Symbol.asyncIterator]();
    await pull.next();
    await vi.waitFor(() => expect(misp.requests).toHaveLength(2));

    misp.failNext({ kind: 'delay', ms: 5000 });
    await pull.next();
    await vi.waitFor(() => expect(misp.requests).toHaveLength(3));
    const started = Date.now();
    await pull.return?.(undefined);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops with the caller signal reason when the caller aborts', async () => {
    const misp = await start();
    misp.failNext({ kind: 'delay', ms: 5000 });
    const controller = new AbortController();
    const pulling = collect(source(misp).pull({ mode: 'full', signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('run cancelled')), 50);
    await expect(pulling).rejects.toThrow('run cancelled');
  });
});

describe('MISP REST source: incremental pulls', () => {
  it('sends timestamp and deleted [0,1], drops to_ids, and returns deletions and to_ids flips', async () => {
    const attributes = twelveAttributes().map((a) =>
      a.id === '9' ? { ...a, deleted: true } : a.id === '10' ? { ...a, to_ids: false } : a,
    );
    const misp = await start(attributes);
    const query = { type: ['ip-dst'], to_ids: true, published: true };
    const batches = await collect(
      source(misp, { query }).pull({ mode: 'incremental', since: 1_714_521_608 }),
    );

    expect(misp.requests[0]?.body).toEqual({
      type: ['ip-dst'],
      published: true,
      timestamp: 1_714_521_608,
      deleted: [0, 1],
      returnFormat: 'json',
      limit: 5,
      includeContext: true,
      order: 'Attribute.id ASC',
      page: 1,
    });
    // Event 2 (even ids) is unpublished, so only odd ids from 8 on match.
    expect(batches.flat().map((a) => [a.id, a.deleted, a.toIds])).toEqual([
      ['9', true, true],
      ['11', false, true],
    ]);
  });

  it('keeps the full pull to the query as given', async () => {
    const misp = await start(
      twelveAttributes().map((a) => (a.id === '3' ? { ...a, deleted: true } : a)),
    );
    const batches = await collect(source(misp, { pageSize: 100 }).pull({ mode: 'full' }));
    expect(batches.flat().map((a) => a.id)).toEqual([
      '1',
      '2',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
    ]);
  });
});

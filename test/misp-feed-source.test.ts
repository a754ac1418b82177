import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isIocrelayError } from '../src/errors/iocrelay-error.js';
import { silentLogger } from '../src/log/logger.js';
import { createMispFeedSource, type MispFeedOptions } from '../src/sources/misp-feed-source.js';
import type { SourceAttribute } from '../src/sources/source-attribute.js';
import type { PullProgress } from '../src/sources/source.js';
import {
  EVENT_A,
  EVENT_A_FILE,
  EVENT_B,
  EVENT_B_FILE,
  MANIFEST,
  OBJECT,
  writeFeed,
} from './support/feed-fixtures.js';
import { testUuid } from './support/misp-fixtures.js';
import { startStaticFileServer, type StaticFileServer } from './support/static-file-server.js';

let dir = '';
let http: StaticFileServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-feed-'));
  writeFeed(dir, {
    'manifest.json': MANIFEST,
    [`${EVENT_A}.json`]: EVENT_A_FILE,
    [`${EVENT_B}.json`]: EVENT_B_FILE,
  });
});
afterEach(async () => {
  await http?.close();
  http = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function pull(
  location: string,
  overrides: Partial<MispFeedOptions> = {},
  onProgress?: (p: PullProgress) => void,
): Promise<SourceAttribute[][]> {
  const options = { name: 'test', location, retries: 1, retryBaseMs: 1, log: silentLogger() };
  const feed = createMispFeedSource({ ...options, ...overrides });
  const batches: SourceAttribute[][] = [];
  for await (const batch of feed.pull({ mode: 'full', ...(onProgress ? { onProgress } : {}) })) {
    batches.push([...batch]);
  }
  return batches;
}

async function pullError(location: string, overrides: Partial<MispFeedOptions> = {}) {
  const error = await pull(location, overrides).then(
    () => null,
    (e: unknown) => e,
  );
  if (!isIocrelayError(error)) throw new Error(`expected an IocrelayError, got ${String(error)}`);
  return error;
}

const summary = (batches: SourceAttribute[][]) =>
  batches.map((batch) =>
    batch.map((a) => [a.value, a.toIds, a.deleted, a.objectName, a.event.info, a.event.tags]),
  );

const EXPECTED = [
  [
    ['bad.example', true, false, null, 'Phishing wave', ['tlp:clear']],
    ['192.0.2.10', false, true, null, 'Phishing wave', ['tlp:clear']],
    ['https://bad.example/login', true, false, 'url', 'Phishing wave', ['tlp:clear']],
    ['203.0.113.7', true, false, 'url', 'Phishing wave', ['tlp:clear']],
  ],
  [['198.51.100.9', false, false, null, 'From the manifest', ['tlp:green']]],
];

describe('MISP feed source', () => {
  it('reads a folder: one batch per event, objects included, wrapped and bare events', async () => {
    const progress: PullProgress[] = [];
    const batches = await pull(dir, {}, (p) => progress.push(p));

    expect(summary(batches)).toEqual(EXPECTED);
    expect(progress).toEqual([
      { pages: 1, attributes: 4 },
      { pages: 2, attributes: 5 },
    ]);
    expect(batches[0]?.[2]).toEqual({
      uuid: testUuid(12, 3),
      id: null,
      type: 'url',
      category: 'Network activity',
      value: 'https://bad.example/login',
      toIds: true,
      deleted: false,
      timestamp: 1_714_521_603,
      firstSeen: '2024-05-01T00:00:00.000000+00:00',
      lastSeen: null,
      comment: '',
      tags: [],
      objectUuid: OBJECT,
      objectName: 'url',
      lastSighting: null,
      expirationSighting: null,
      decayed: null,
      event: {
        uuid: EVENT_A,
        id: null,
        info: 'Phishing wave',
        orgName: 'CERT Example',
        threatLevel: 2,
        tags: ['tlp:clear'],
        timestamp: 1_714_521_600,
        published: true,
      },
    });
    expect(batches[0]?.every((a) => a.event === batches[0]?.[0]?.event)).toBe(true);
    expect(batches[1]?.[0]?.event).toMatchObject({
      threatLevel: 3,
      timestamp: 1_714_521_700,
      published: null,
    });
  });

  it('reads the same feed over HTTP', async () => {
    http = await startStaticFileServer(dir);
    expect(summary(await pull(http.url))).toEqual(EXPECTED);
    expect([...http.requests].sort()).toEqual(
      ['/manifest.json', `/${EVENT_A}.json`, `/${EVENT_B}.json`].sort(),
    );
    expect(http.requests[0]).toBe('/manifest.json');
  });

  it('says what it is', () => {
    const feed = createMispFeedSource({ name: 'osint', location: dir, log: silentLogger() });
    expect([feed.id, feed.supportsIncremental]).toEqual(['feed:osint', false]);
  });

  it('fails the pull when a manifest event has no file, in a folder and over HTTP', async () => {
    rmSync(join(dir, `${EVENT_B}.json`));
    const error = await pullError(dir);
    expect([error.code, error.details]).toEqual([
      'FEED_BAD_EVENT',
      { feed: 'test', event: EVENT_B, reason: 'missing' },
    ]);

    http = await startStaticFileServer(dir);
    expect((await pullError(http.url)).code).toBe('FEED_BAD_EVENT');
  });

  it('fails the pull on a malformed event file, naming the path', async () => {
    writeFeed(dir, {
      [`${EVENT_B}.json`]: {
        Event: {
          uuid: EVENT_B,
          Attribute: [{ uuid: 'u', type: 'ip-dst', to_ids: 'maybe', value: '192.0.2.1' }],
        },
      },
    });
    const error = await pullError(dir);
    expect([error.code, error.details.reason]).toEqual([
      'FEED_BAD_EVENT',
      'Event.Attribute[0].to_ids: expected a boolean, 0/1 or "0"/"1"',
    ]);

    writeFeed(dir, { [`${EVENT_B}.json`]: '{"Event": {' });
    expect((await pullError(dir)).details.reason).toBe('invalid_json');
  });

  it.each([
    ['an error page in JSON', { error: 'Not Found' }],
    ['an empty object', {}],
    ['another event', { Event: { uuid: EVENT_A, info: 'x', Attribute: [] } }],
  ])('fails the pull when an event file holds %s instead of the event', async (_name, body) => {
    writeFeed(dir, { [`${EVENT_B}.json`]: body });
    const error = await pullError(dir);
    expect([error.code, error.details.reason]).toEqual([
      'FEED_BAD_EVENT',
      `Event.uuid: expected the uuid the manifest names (${EVENT_B})`,
    ]);
  });

  it.each([
    ['invalid JSON', '{"a": ', 'invalid_json'],
    ['an array', '[]', 'not_an_object'],
    ['a key that is not a uuid', JSON.stringify({ '../../etc/passwd': {} }), 'bad_entry'],
    ['an entry that is not an object', JSON.stringify({ [EVENT_A]: 'x' }), 'bad_entry'],
  ])('refuses a manifest holding %s', async (_name, manifest, reason) => {
    writeFeed(dir, { 'manifest.json': manifest });
    const error = await pullError(dir);
    expect([error.code, error.details.reason]).toEqual(['FEED_BAD_MANIFEST', reason]);
  });

  it('tells a folder without manifest from a folder that is not there', async () => {
    rmSync(join(dir, 'manifest.json'));
    expect([(await pullError(dir)).code, (await pullError(join(dir, 'nope'))).code]).toEqual([
      'FEED_BAD_MANIFEST',
      'FEED_UNREACHABLE',
    ]);
  });

  it('maps HTTP errors: 404 manifest, 403, 5xx after retries, connection refused', async () => {
    http = await startStaticFileServer(dir);
    http.setStatus('/manifest.json', 404);
    expect((await pullError(http.url)).code).toBe('FEED_BAD_MANIFEST');

    http.setStatus('/manifest.json', 403);
    expect((await pullError(http.url)).details).toEqual({
      feed: 'test',
      url: `${http.url}manifest.json`,
      status: 403,
    });

    http.setStatus('/manifest.json', null);
    http.setStatus(`/${EVENT_A}.json`, 503);
    const before = http.requests.length;
    const error = await pullError(http.url);
    expect([error.code, error.details.status]).toEqual(['FEED_HTTP_ERROR', 503]);
    expect(http.requests.slice(before).filter((path) => path === `/${EVENT_A}.json`)).toHaveLength(
      2,
    );

    const url = http.url;
    await http.close();
    http = undefined;
    expect((await pullError(url)).code).toBe('FEED_UNREACHABLE');
  });

  it('does not follow a redirect, and names its target without the query', async () => {
    http = await startStaticFileServer(dir);
    http.setStatus('/manifest.json', 302, '/moved/manifest.json?token=s3cret');
    expect((await pullError(http.url)).details).toEqual({
      feed: 'test',
      url: `${http.url}manifest.json`,
      status: 302,
      location: `${http.url}moved/manifest.json`,
    });
  });

  it('lets the caller stop after the first event', async () => {
    http = await startStaticFileServer(dir);
    const feed = createMispFeedSource({ name: 'test', location: http.url, log: silentLogger() });
    const seen: number[] = [];
    for await (const batch of feed.pull({ mode: 'full' })) {
      seen.push(batch.length);
      break;
    }
    expect(seen).toEqual([4]);
  });
});

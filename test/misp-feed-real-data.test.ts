import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log/logger.js';
import { createMispFeedSource } from '../src/sources/misp-feed-source.js';
import { startStaticFileServer, type StaticFileServer } from './support/static-file-server.js';

/** Real third-party feeds, read in place (never copied into the repo): ../shared/data/misp. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(REPO_ROOT, '..', 'shared', 'data', 'misp');
const FEEDS = ['feed-tweetfeed', 'feed-infoblox'] as const;
const HAS_DATA = FEEDS.every((feed) => existsSync(join(DATA, feed, 'manifest.json')));

if (!HAS_DATA) console.warn(`real MISP feed tests skipped: ${DATA} is missing`);

/** Per event in manifest order; the uuid is read from the first attribute, so null when empty. */
type Counts = { uuid: string | null; attributes: number; objects: number; values: string[] }[];

/** Counts each event's attributes straight from the JSON, without any iocrelay code. */
function countDirectly(folder: string): Counts {
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const counts: Counts = [];
  for (const uuid of Object.keys(manifest)) {
    const document = JSON.parse(readFileSync(join(folder, `${uuid}.json`), 'utf8')) as {
      Event?: RawEvent;
    } & RawEvent;
    const event = document.Event ?? document;
    const own = event.Attribute ?? [];
    const inObjects = (event.Object ?? []).flatMap((object) => object.Attribute ?? []);
    const values = [...own, ...inObjects].map((a) => a.value);
    counts.push({
      uuid: values.length === 0 ? null : (event.uuid ?? uuid),
      attributes: values.length,
      objects: inObjects.length,
      values,
    });
  }
  return counts;
}

interface RawEvent {
  readonly uuid?: string;
  readonly Attribute?: readonly { value: string }[];
  readonly Object?: readonly { Attribute?: readonly { value: string }[] }[];
}

async function countThroughSource(location: string): Promise<Counts> {
  const feed = createMispFeedSource({ name: 'real', location, log: silentLogger() });
  const counts: Counts = [];
  for await (const batch of feed.pull({ mode: 'full' })) {
    counts.push({
      uuid: batch[0]?.event.uuid ?? null,
      attributes: batch.length,
      objects: batch.filter((a) => a.objectUuid !== null || a.objectName !== null).length,
      values: batch.map((a) => a.value),
    });
  }
  return counts;
}

let http: StaticFileServer | undefined;
afterAll(async () => http?.close());

describe.skipIf(!HAS_DATA)('real MISP feeds from ../shared/data/misp', () => {
  it.each(FEEDS)('%s: every event yields exactly the attributes its file holds', async (feed) => {
    const folder = join(DATA, feed);
    const expected = countDirectly(folder);
    const actual = await countThroughSource(folder);

    expect(actual).toEqual(expected);
    const total = actual.reduce((sum, event) => sum + event.attributes, 0);
    expect(total).toBeGreaterThan(1000);
  });

  it('feed-tweetfeed over HTTP gives the same attributes as from the folder', async () => {
    const folder = join(DATA, 'feed-tweetfeed');
    http = await startStaticFileServer(folder);
    expect(await countThroughSource(http.url)).toEqual(countDirectly(folder));
  });
});

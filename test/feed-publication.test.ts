import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log/logger.js';
import { createFeedServer, type FeedServer } from '../src/serve/create-feed-server.js';
import { createFeedCatalog, type FeedCatalog } from '../src/serve/feed-catalog.js';

const TOKEN = 'acme-feed-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const PUBLISHED_AT = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A plain list of `count` documentation addresses, distinct per `version`. */
function listOf(version: number, count: number): Buffer {
  const lines: string[] = [`# version ${version}`];
  for (let i = 0; i < count; i++) lines.push(`198.51.${(version + i) % 256}.${i % 256}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

let server: FeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(catalog: FeedCatalog): Promise<string> {
  server = createFeedServer({
    catalog,
    tenants: [{ id: 'acme', lists: ['ip.txt'], auth: { tokens: [TOKEN] } }],
    log: silentLogger(),
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/feeds/acme/ip.txt`;
}

function catalogWith(bytes: Buffer, entries = 2000): FeedCatalog {
  const catalog = createFeedCatalog();
  catalog.put('acme', 'ip.txt', {
    bytes,
    contentType: 'text/plain; charset=utf-8',
    entries,
    publishedAt: PUBLISHED_AT,
  });
  return catalog;
}

describe('a list served from memory', () => {
  it('sends the entry count and publication time, and gzip only when asked', async () => {
    const bytes = listOf(1, 2000);
    const url = await start(catalogWith(bytes));

    const plain = await request(url, { headers: AUTH });
    const plainBody = Buffer.from(await plain.body.arrayBuffer());
    const zipped = await request(url, { headers: { ...AUTH, 'accept-encoding': 'br, gzip' } });
    const zippedBody = Buffer.from(await zipped.body.arrayBuffer());
    const refused = await request(url, { headers: { ...AUTH, 'accept-encoding': 'gzip;q=0' } });
    await refused.body.dump();

    expect(plainBody.equals(bytes)).toBe(true);
    expect(plain.headers).toMatchObject({
      'x-entry-count': '2000',
      'x-published-at': '2026-01-01T12:00:00.000Z',
      'last-modified': 'Thu, 01 Jan 2026 12:00:00 GMT',
      etag: `"${sha256(bytes)}"`,
      vary: 'Accept-Encoding',
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.etag).toBe(`"${sha256(bytes)}.gz"`);
    expect(Number(zipped.headers['content-length'])).toBe(zippedBody.length);
    expect(zippedBody.length).toBeLessThan(bytes.length / 2);
    expect(gunzipSync(zippedBody).equals(bytes)).toBe(true);
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('answers 304 to either representation’s ETag, and HEAD with GET’s length', async () => {
    const bytes = listOf(2, 2000);
    const url = await start(catalogWith(bytes));
    const etag = `"${sha256(bytes)}"`;

    const asGzip = await request(url, {
      headers: { ...AUTH, 'accept-encoding': 'gzip', 'if-none-match': etag },
    });
    const asPlain = await request(url, {
      headers: { ...AUTH, 'if-none-match': `"${sha256(bytes)}.gz"` },
    });
    const head = await request(url, { method: 'HEAD', headers: AUTH });
    await Promise.all([asGzip.body.dump(), asPlain.body.dump(), head.body.dump()]);

    expect([asGzip.statusCode, asPlain.statusCode]).toEqual([304, 304]);
    expect(asGzip.headers.etag).toBe(`"${sha256(bytes)}.gz"`);
    expect([head.statusCode, head.headers['content-length']]).toEqual([200, String(bytes.length)]);
  });

  it('keeps the held version when the same bytes are published again', () => {
    const bytes = listOf(3, 10);
    const catalog = catalogWith(bytes);
    const status = catalog.put('acme', 'ip.txt', {
      bytes: Buffer.from(bytes),
      contentType: 'text/plain; charset=utf-8',
      entries: 10,
      publishedAt: PUBLISHED_AT + 60_000,
    });

    expect(status).toBe('unchanged');
    expect(catalog.get('acme', 'ip.txt')?.publishedAt).toBe(PUBLISHED_AT);
  });

  it('never sends a torn or mixed body while lists are published under load', async () => {
    const versions = Array.from({ length: 20 }, (_, version) => listOf(version, 5000));
    const bySha = new Map(versions.map((bytes) => [sha256(bytes), bytes]));
    const catalog = catalogWith(versions[0] as Buffer);
    const url = await start(catalog);

    let publishing = true;
    const publisher = (async () => {
      for (let round = 0; publishing; round++) {
        catalog.put('acme', 'ip.txt', {
          bytes: versions[round % versions.length] as Buffer,
          contentType: 'text/plain; charset=utf-8',
          entries: 5000,
          publishedAt: PUBLISHED_AT + round,
        });
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const answers = await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const headers = i % 2 === 0 ? AUTH : { ...AUTH, 'accept-encoding': 'gzip' };
        const response = await request(url, { headers });
        const raw = Buffer.from(await response.body.arrayBuffer());
        const body = response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        const tag = String(response.headers.etag).replace(/^"|(\.gz)?"$/g, '');
        return { status: response.statusCode, tag, body };
      }),
    );
    publishing = false;
    await publisher;

    const bad = answers.filter(
      ({ status, tag, body }) => status !== 200 || !bySha.get(tag)?.equals(body),
    );
    expect(bad).toEqual([]);
    expect(new Set(answers.map(({ tag }) => tag)).size).toBeGreaterThan(1);
  });
});

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEED_CHALLENGES } from '../src/serve/create-feed-server.js';
import {
  ACME_BASIC,
  ACME_DOMAIN,
  ACME_IP,
  ACME_PASSWORD,
  ACME_TOKENS,
  basic,
  GLOBEX_BASIC,
  GLOBEX_IP,
  sha256,
  useFeedServer,
} from './support/feed-server-harness.js';

const feed = useFeedServer();
const { start, get, rawAnswer } = feed;

/** Headers without those that describe the connection or the clock. */
function listHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...headers };
  for (const name of ['date', 'connection', 'keep-alive']) delete copy[name];
  return copy;
}

describe('feed server over HTTP', () => {
  it('serves a list to HTTP Basic with ETag, Last-Modified and no-cache', async () => {
    await start();
    const answer = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC });

    expect(answer.status).toBe(200);
    expect(answer.body).toBe(ACME_IP);
    expect(answer.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(ACME_IP.length),
      etag: `"${sha256(ACME_IP)}"`,
      'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT',
      'cache-control': 'no-cache',
    });
  });

  it.each([
    ['a wrong password', { authorization: basic('fw-acme', 'nope') }],
    ['a wrong user', { authorization: basic('fw-other', ACME_PASSWORD) }],
    ['no credentials', {}],
    ['a wrong bearer token', { authorization: 'Bearer acmeTOKEN-must-not-leak-aaaa111' }],
    ['a token as Basic password', { authorization: basic('fw-acme', ACME_TOKENS[0]!) }],
    ['an unknown scheme', { authorization: 'Digest username="fw-acme"' }],
  ])('answers 401 with the Basic and Bearer challenges to %s', async (_case, headers) => {
    await start();
    const answer = await get('/feeds/acme/ip.txt', headers);

    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toEqual(FEED_CHALLENGES);
    expect(answer.body).toBe('unauthorized\n');
  });

  it('serves a list to a bearer token and to a hashed password', async () => {
    await start();
    const byToken = await get('/feeds/acme/domain.txt', {
      authorization: `Bearer ${ACME_TOKENS[1]}`,
    });
    const byHash = await get('/feeds/globex/ip.txt', { authorization: GLOBEX_BASIC });

    expect([byToken.status, byToken.body]).toEqual([200, ACME_DOMAIN]);
    expect([byHash.status, byHash.body]).toEqual([200, GLOBEX_IP]);
  });

  it("answers a tenant's credentials on another tenant's list with the very 404 of a missing list", async () => {
    await start();
    const missing = await rawAnswer('/feeds/acme/unpublished.txt', ACME_BASIC);

    expect(missing).toBe(
      'HTTP/1.1 404 Not Found\r\ncache-control: no-store\r\n' +
        'content-type: text/plain; charset=utf-8\r\ncontent-length: 10\r\n' +
        'Connection: close\r\n\r\nnot found\n',
    );
    expect(await rawAnswer('/feeds/globex/ip.txt', ACME_BASIC)).toBe(missing);
    expect(await rawAnswer('/feeds/globex/ip.txt', `Bearer ${ACME_TOKENS[0]}`)).toBe(missing);
    expect(await rawAnswer('/feeds/acme/other.txt', ACME_BASIC)).toBe(missing);
    expect(await rawAnswer('/feeds/initech/ip.txt', ACME_BASIC)).toBe(missing);
    expect(await rawAnswer('/elsewhere', ACME_BASIC)).toBe(missing);
  });

  it.each([
    '/feeds/acme/..%2Fglobex%2Fip.txt',
    '/feeds/acme/%2e%2e%2fglobex%2fip.txt',
    '/feeds/acme/..%5Cglobex%5Cip.txt',
    '/feeds/acme/../globex/ip.txt',
    '/feeds/globex/../acme/ip.txt',
    '/feeds/acme/./ip.txt',
    '/feeds/acme%2Fip.txt/x',
    '/feeds/acme/ip.txt%00',
    '/feeds/acme/ip.txt/',
    '/feeds/acme/IP.TXT',
    '/feeds/ACME/ip.txt',
    '/feeds/acme/%zz',
    '/feeds/acme/..',
    `/feeds/acme/${'a'.repeat(300)}`,
  ])('answers 404 to %s, even with valid credentials', async (path) => {
    await start();

    expect(await rawAnswer(path, ACME_BASIC)).toBe(
      await rawAnswer('/feeds/acme/unpublished.txt', ACME_BASIC),
    );
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    await start();
    const head = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC }, 'HEAD');
    const full = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC });

    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    // undici closes the connection after a HEAD; only the connection headers may differ.
    expect(listHeaders(head.headers)).toEqual(listHeaders(full.headers));
    expect(head.headers['content-length']).toBe(String(ACME_IP.length));
  });

  it('answers 304 to a matching If-None-Match and 200 once the list is replaced', async () => {
    await start();
    const etag = `"${sha256(GLOBEX_IP)}"`;
    const auth = { authorization: GLOBEX_BASIC };

    const same = await get('/feeds/globex/ip.txt', { ...auth, 'if-none-match': etag });
    const weakInList = await get('/feeds/globex/ip.txt', {
      ...auth,
      'if-none-match': `"x", W/${etag}`,
    });
    const other = await get('/feeds/globex/ip.txt', { ...auth, 'if-none-match': '"0000"' });
    expect([same.status, same.body, same.headers.etag, same.headers['cache-control']]).toEqual([
      304,
      '',
      etag,
      'no-cache',
    ]);
    expect(weakInList.status).toBe(304);
    expect([other.status, other.body]).toEqual([200, GLOBEX_IP]);

    feed.catalog().put('globex', 'ip.txt', {
      bytes: Buffer.from('192.0.2.2\n'),
      contentType: 'text/plain; charset=utf-8',
      entries: 1,
      publishedAt: Date.now(),
    });
    const changed = await get('/feeds/globex/ip.txt', { ...auth, 'if-none-match': etag });
    expect([changed.status, changed.body, changed.headers.etag]).toEqual([
      200,
      '192.0.2.2\n',
      `"${sha256('192.0.2.2\n')}"`,
    ]);
  });

  it('answers 304 to If-Modified-Since equal to Last-Modified, 200 to any other date', async () => {
    await start();
    const modified = statSync(join(feed.dir(), 'acme', 'ip.txt')).mtime;
    const auth = { authorization: ACME_BASIC };
    const status = async (since: string): Promise<number> =>
      (await get('/feeds/acme/ip.txt', { ...auth, 'if-modified-since': since })).status;

    expect(await status(modified.toUTCString())).toBe(304);
    expect(await status('Wed, 31 Dec 2025 23:59:59 GMT')).toBe(200);
    // Later than the version: a device clock ahead, or its own download time. A 304 here
    // would keep an old list on the device for good.
    expect(await status(new Date(modified.getTime() + 1000).toUTCString())).toBe(200);
    expect(await status('Sat, 01 Jan 2028 00:00:00 GMT')).toBe(200);
    expect(await status('not a date')).toBe(200);
  });

  it('answers 403 to right credentials from outside allowedClients, 200 from inside', async () => {
    await start({
      tenants: [
        { ...feed.tenants().acme, allowedClients: ['192.0.2.0/24', '2001:db8::/32'] },
        feed.tenants().globex,
      ],
    });

    const outside = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC });
    const inside = await get('/feeds/globex/ip.txt', { authorization: GLOBEX_BASIC });
    const wrongPassword = await get('/feeds/acme/ip.txt', { authorization: basic('fw-acme', 'x') });
    expect([outside.status, outside.body]).toEqual([403, 'forbidden\n']);
    expect(inside.status).toBe(200);
    expect(wrongPassword.status).toBe(401);
  });

  it('leaves /healthz to the health extension (src/observe/): 404 on the bare feed server', async () => {
    await start();

    expect(await get('/healthz')).toMatchObject({ status: 404, body: 'not found\n' });
  });
});

import { connect, type Socket } from 'node:net';
import { Client } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import type { FeedCatalog } from '../src/serve/feed-catalog.js';
import {
  ACME_BASIC,
  ACME_IP,
  ACME_PASSWORD,
  ACME_TOKENS,
  basic,
  GLOBEX_BASIC,
  useFeedServer,
} from './support/feed-server-harness.js';
import { createSelfSignedCert } from './support/self-signed-cert.js';

const feed = useFeedServer();
const { start, get } = feed;

describe('feed server: request forms and failures', () => {
  it.each([
    ['a %-escaped file name', '/feeds/acme/ip%2Etxt'],
    ['a %-escaped tenant', '/feeds/%61cme/ip.txt'],
    ['a query string', '/feeds/acme/ip.txt?cache=1&x=%zz'],
  ])('serves the list to %s', async (_case, path) => {
    await start();
    const answer = await get(path, { authorization: `Bearer ${ACME_TOKENS[0]}` });

    expect([answer.status, answer.body]).toEqual([200, ACME_IP]);
    expect(feed.records().at(-1)).toMatchObject({ tenant: 'acme', list: 'ip.txt', status: 200 });
  });

  it('sends a 304 with ETag, Cache-Control and Vary only, as RFC 9110 §15.4.5 asks', async () => {
    await start();
    const full = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC });
    const held = await get('/feeds/acme/ip.txt', {
      authorization: ACME_BASIC,
      'if-none-match': String(full.headers.etag),
    });

    expect(held.status).toBe(304);
    const { date, connection, 'keep-alive': keepAlive, ...rest } = held.headers;
    expect([date, connection, keepAlive].every((value) => typeof value === 'string')).toBe(true);
    expect(rest).toEqual({
      etag: full.headers.etag,
      'cache-control': 'no-cache',
      vary: 'Accept-Encoding',
    });
    expect(full.headers).toMatchObject({ 'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT' });
  });

  it('serves an absolute-form request target (RFC 9112 §3.2.2)', async () => {
    const base = await start();
    const answer = await rawRequest(
      base,
      'GET http://feeds.example/feeds/acme/ip.txt HTTP/1.1\r\nHost: feeds.example\r\n' +
        `Authorization: ${ACME_BASIC}\r\nConnection: close\r\n\r\n`,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.endsWith(`\r\n\r\n${ACME_IP}`)).toBe(true);
  });

  it("logs a cross-tenant 404 with the caller's own tenant beside its device", async () => {
    await start();
    await get('/feeds/acme/ip.txt', { authorization: GLOBEX_BASIC });

    const line = feed.logLines().find((entry) => entry.includes('"feed request answered"'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      tenant: 'acme',
      device: 'fw-globex',
      callerTenant: 'globex',
      status: 404,
    });
  });

  it.each([
    ['POST', 'POST /feeds/acme/ip.txt HTTP/1.1'],
    ['a path with no file', 'GET /feeds/acme HTTP/1.1'],
    ['an empty tenant', 'GET /feeds//ip.txt HTTP/1.1'],
  ])('answers 404 to %s and records no delivery', async (_case, requestLine) => {
    const base = await start();
    const answer = await rawRequest(base, `${requestLine}\r\nHost: x\r\nConnection: close\r\n\r\n`);

    expect(answer).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(answer).toMatch(/\r\n\r\nnot found\n$/);
    expect(feed.records()).toEqual([]);
  });

  it('checks every new Authorization header on a keep-alive connection, not only the first', async () => {
    const base = await start();
    const client = new Client(base, { pipelining: 1 });
    let connections = 0;
    feed.server().server.on('connection', () => void (connections += 1));
    const fetchWith = async (authorization: string): Promise<[number, string]> => {
      const answer = await client.request({
        path: '/feeds/acme/ip.txt',
        method: 'GET',
        headers: { authorization },
      });
      return [answer.statusCode, await answer.body.text()];
    };
    try {
      const answers = [
        await fetchWith(`Bearer ${ACME_TOKENS[0]}`),
        await fetchWith(`Bearer ${ACME_TOKENS[0]}`),
        await fetchWith(`Bearer ${ACME_TOKENS[0]!.slice(0, -1)}x`),
        await fetchWith(`Bearer ${ACME_TOKENS[0]}x`),
        await fetchWith(GLOBEX_BASIC),
        await fetchWith(basic('fw-acme', 'wrong')),
        await fetchWith(`Bearer ${ACME_TOKENS[1]}`),
        await fetchWith(`Bearer ${ACME_TOKENS[0]}`),
      ];

      expect(answers.map(([status]) => status)).toEqual([200, 200, 401, 401, 404, 401, 200, 200]);
      expect(answers[0]?.[1]).toBe(ACME_IP);
      expect(feed.records().map((record) => [record.status, record.device])).toEqual([
        [200, 'token#1'],
        [200, 'token#1'],
        [401, null],
        [401, null],
        [404, 'fw-globex'],
        [401, null],
        [200, 'token#2'],
        [200, 'token#1'],
      ]);
      expect(connections).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('records a large list as delivered only once all of it was sent', async () => {
    const base = await start();
    const large = Buffer.alloc(16 * 1024 * 1024, '198.51.100.7\n');
    feed.catalog().put('acme', 'ip.txt', {
      bytes: large,
      contentType: 'text/plain; charset=utf-8',
      entries: null,
      publishedAt: Date.UTC(2026, 0, 2),
    });
    const request = `GET /feeds/acme/ip.txt HTTP/1.1\r\nHost: x\r\nAuthorization: ${ACME_BASIC}\r\n\r\n`;

    // A device that drops the connection after the first bytes of the list.
    const dropped = connect(Number(new URL(base).port), '127.0.0.1');
    dropped.write(request);
    await new Promise((resolve) => dropped.once('data', resolve));
    dropped.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(feed.records()).toEqual([]);
    const interrupted = feed.logLines().find((line) => line.includes('feed answer interrupted'));
    expect(JSON.parse(interrupted ?? '{}')).toMatchObject({
      level: 'info',
      tenant: 'acme',
      list: 'ip.txt',
      device: 'fw-acme',
      clientIp: '127.0.0.1',
    });

    const whole = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC });
    expect(whole.body.length).toBe(large.length);
    // The server records at `finish`, which may come just after the device has read the end.
    await vi.waitFor(() => expect(feed.records()).toHaveLength(1));
    expect(feed.records()).toMatchObject([{ status: 200, bytes: large.length }]);
  });

  it('answers 500 when the catalog fails, logs it without credentials, and goes on', async () => {
    let isBroken = true;
    await start();
    const catalog = feed.catalog();
    const failing: FeedCatalog = {
      ...catalog,
      get: (tenant, file) => {
        if (isBroken) throw new Error('catalog exploded');
        return catalog.get(tenant, file);
      },
    };
    await feed.server().close();
    await start({ catalog: failing });

    const failed = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC });
    isBroken = false;
    const after = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC });

    expect([failed.status, failed.body]).toEqual([500, 'internal error\n']);
    expect(failed.headers['cache-control']).toBe('no-store');
    expect([after.status, after.body]).toEqual([200, ACME_IP]);
    const failure = feed.logLines().find((line) => line.includes('"feed request failed"'));
    expect(JSON.parse(failure ?? '{}')).toMatchObject({
      level: 'error',
      component: 'serve',
      tenant: 'acme',
      list: 'ip.txt',
      err: { message: 'catalog exploded' },
    });
    expect(feed.logLines().join('\n')).not.toContain(ACME_PASSWORD);
    expect(feed.records().map((record) => record.status)).toEqual([500, 200]);
  });

  it('does not record an answer whose device left during the scrypt check', async () => {
    const base = await start();
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `GET /feeds/globex/ip.txt HTTP/1.1\r\nHost: x\r\nAuthorization: ${GLOBEX_BASIC}\r\n\r\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    socket.destroy();

    await vi.waitFor(() =>
      expect(feed.logLines().some((line) => line.includes('feed answer interrupted'))).toBe(true),
    );
    expect(feed.records()).toEqual([]);
    const interrupted = feed.logLines().find((line) => line.includes('feed answer interrupted'));
    expect(JSON.parse(interrupted ?? '{}')).toMatchObject({
      tenant: 'globex',
      list: 'ip.txt',
      scheme: 'basic',
      clientIp: '127.0.0.1',
    });
  });
});

describe('feed server: closing', () => {
  const LARGE = Buffer.alloc(16 * 1024 * 1024, '198.51.100.7\n');
  const request = (authorization: string): string =>
    `GET /feeds/acme/ip.txt HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\n\r\n`;

  async function startWithLargeList(closeGraceMs: number): Promise<Socket> {
    const base = await start({ closeGraceMs });
    feed.catalog().put('acme', 'ip.txt', {
      bytes: LARGE,
      contentType: 'text/plain; charset=utf-8',
      entries: null,
      publishedAt: Date.UTC(2026, 0, 2),
    });
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    return socket;
  }

  it('ends a connection holding half a request at once', async () => {
    const base = await start({ closeGraceMs: 30_000 });
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /feeds/acme/ip.txt HTTP/1.1\r\nHost: x\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));

    const startedAt = Date.now();
    const answer = readAll(socket);
    await feed.server().close();

    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(await answer).toBe('');
    expect(feed.records()).toEqual([]);
  });

  it('lets a list being sent finish, then answers a later request on it 503', async () => {
    const socket = await startWithLargeList(30_000);
    socket.pause();
    socket.write(request(ACME_BASIC));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const closed = feed.server().close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write(request(ACME_BASIC));
    const answer = await readAll(socket);
    await closed;

    const [first, second = ''] = answer.split('HTTP/1.1 ').slice(1);
    expect(first).toMatch(/^200 OK\r\n/);
    expect(first?.length).toBeGreaterThan(LARGE.length);
    expect(second).toMatch(/^503 Service Unavailable\r\n/);
    expect(second.toLowerCase()).toContain('connection: close');
    expect(feed.records()).toMatchObject([{ status: 200, bytes: LARGE.length }]);
  });

  it('ends a TLS connection still in its handshake at once', async () => {
    const cert = createSelfSignedCert(feed.dir(), 'IP:127.0.0.1', 'feed');
    const base = await start({ tls: { cert: cert.cert, key: cert.key }, closeGraceMs: 30_000 });
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const startedAt = Date.now();
    await feed.server().close();

    expect(Date.now() - startedAt).toBeLessThan(2_000);
    socket.destroy();
  });

  it("outlasts fastify's 10 s hook timeout when the grace is longer", async () => {
    const socket = await startWithLargeList(10_500);
    socket.pause();
    socket.write(request(ACME_BASIC));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const startedAt = Date.now();
    await feed.server().close();

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(10_000);
    expect(feed.records()).toEqual([]);
    socket.destroy();
  }, 30_000);

  it('cuts a list nobody reads once the grace has passed, and does not record it', async () => {
    const socket = await startWithLargeList(300);
    socket.pause();
    socket.write(request(ACME_BASIC));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const startedAt = Date.now();
    await feed.server().close();

    expect(Date.now() - startedAt).toBeLessThan(3_000);
    await vi.waitFor(() =>
      expect(feed.logLines().some((line) => line.includes('feed answer interrupted'))).toBe(true),
    );
    expect(feed.records()).toEqual([]);
    const interrupted = feed.logLines().find((line) => line.includes('feed answer interrupted'));
    expect(JSON.parse(interrupted ?? '{}')).toMatchObject({ tenant: 'acme', device: 'fw-acme' });
    socket.destroy();
  });
});

async function rawRequest(base: string, bytes: string): Promise<string> {
  const socket = connect(Number(new URL(base).port), '127.0.0.1');
  socket.write(bytes);
  return readAll(socket);
}

async function readAll(socket: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

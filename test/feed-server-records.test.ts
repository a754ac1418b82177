import { Agent, request } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import {
  ACME_BASIC,
  ACME_IP,
  ACME_PASSWORD,
  ACME_TOKENS,
  basic,
  GLOBEX_BASIC,
  GLOBEX_PASSWORD,
  sha256,
  useFeedServer,
} from './support/feed-server-harness.js';
import { createSelfSignedCert } from './support/self-signed-cert.js';

const feed = useFeedServer();
const { start, get } = feed;
const SECRETS = [ACME_PASSWORD, ...ACME_TOKENS, GLOBEX_PASSWORD, ACME_BASIC, GLOBEX_BASIC];

describe('delivery records and logs', () => {
  it('records each answered feed request, naming the device but never the token', async () => {
    await start();
    const ua = { 'user-agent': 'PAN-OS 11.1' };
    await get('/feeds/acme/ip.txt', { ...ua, authorization: ACME_BASIC });
    await get('/feeds/acme/ip.txt', {
      ...ua,
      authorization: `Bearer ${ACME_TOKENS[1]}`,
      'if-none-match': `"${sha256(ACME_IP)}"`,
    });
    await get('/feeds/acme/ip.txt', { ...ua, authorization: `Bearer ${ACME_TOKENS[0]}` }, 'HEAD');
    await get('/feeds/acme/ip.txt', { authorization: basic('fw-acme', 'wrong') });
    await get('/feeds/globex/ip.txt', { ...ua, authorization: `Bearer ${ACME_TOKENS[0]}` });
    await vi.waitFor(() => expect(feed.records()).toHaveLength(5));

    const common = {
      tenant: 'acme',
      list: 'ip.txt',
      clientIp: '127.0.0.1',
      userAgent: 'PAN-OS 11.1',
      at: expect.any(Number),
    };
    const hash = sha256(ACME_IP);
    expect(feed.records()).toEqual([
      {
        ...common,
        device: 'fw-acme',
        method: 'GET',
        status: 200,
        bytes: ACME_IP.length,
        sha256: hash,
      },
      { ...common, device: 'token#2', method: 'GET', status: 304, bytes: 0, sha256: hash },
      { ...common, device: 'token#1', method: 'HEAD', status: 200, bytes: 0, sha256: hash },
      {
        ...common,
        userAgent: null,
        device: null,
        method: 'GET',
        status: 401,
        bytes: 0,
        sha256: null,
      },
      {
        ...common,
        tenant: 'globex',
        device: 'token#1',
        method: 'GET',
        status: 404,
        bytes: 0,
        sha256: null,
      },
    ]);
  });

  it('answers If-None-Match: * with 304 but records no version: it proves none', async () => {
    await start();
    const answer = await get('/feeds/acme/ip.txt', {
      authorization: ACME_BASIC,
      'if-none-match': '*',
    });
    const modified = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC });
    await get('/feeds/acme/ip.txt', {
      authorization: ACME_BASIC,
      'if-modified-since': String(modified.headers['last-modified']),
    });

    expect(answer.status).toBe(304);
    await vi.waitFor(() => expect(feed.records()).toHaveLength(3));
    expect(feed.records().map(({ status, sha256 }) => [status, sha256])).toEqual([
      [304, null],
      [200, sha256(ACME_IP)],
      [304, sha256(ACME_IP)],
    ]);
  });

  it('logs one fixed line per request and never a password, token or Authorization header', async () => {
    await start();
    await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC, 'user-agent': 'FortiGate' });
    await get('/feeds/acme/ip.txt', { authorization: `Bearer ${ACME_TOKENS[0]}` });
    await get('/feeds/acme/ip.txt', { authorization: `Bearer ${ACME_TOKENS[1]}x` });
    await get('/feeds/globex/ip.txt', { authorization: GLOBEX_BASIC });
    await get('/feeds/globex/ip.txt', { authorization: basic('fw-globex', `${GLOBEX_PASSWORD}!`) });
    await vi.waitFor(() => expect(feed.records()).toHaveLength(5));

    const all = feed.logLines().join('');
    for (const secret of SECRETS) expect(all).not.toContain(secret);
    expect(all.toLowerCase()).not.toContain('authorization');

    const first = JSON.parse(feed.logLines()[1]!);
    delete first.time;
    expect(first).toEqual({
      level: 'info',
      app: 'iocrelay',
      component: 'serve',
      tenant: 'acme',
      list: 'ip.txt',
      device: 'fw-acme',
      callerTenant: 'acme',
      scheme: 'basic',
      clientIp: '127.0.0.1',
      userAgent: 'FortiGate',
      status: 200,
      bytes: ACME_IP.length,
      msg: 'feed request answered',
    });
    expect(feed.logLines().map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      'feed server listening',
      ...Array(5).fill('feed request answered'),
    ]);
  });

  it('logs a failing onFetch and still answers the device', async () => {
    await start({ onFetch: () => Promise.reject(new Error('store down')) });
    const answer = await get('/feeds/acme/ip.txt', { authorization: ACME_BASIC });

    expect(answer.status).toBe(200);
    await vi.waitFor(() =>
      expect(feed.logLines().at(-1)).toContain('"msg":"delivery tracking failed"'),
    );
  });
});

describe('feed server over HTTPS', () => {
  it('answers over TLS with a self-signed certificate', async () => {
    const cert = createSelfSignedCert(feed.dir(), 'IP:127.0.0.1', 'feed');
    const base = await start({ tls: { cert: cert.cert, key: cert.key } });
    const dispatcher = new Agent({ connect: { ca: cert.cert } });

    const response = await request(`${base}/feeds/acme/ip.txt`, {
      headers: { authorization: `Bearer ${ACME_TOKENS[0]}` },
      dispatcher,
    });
    expect(base.startsWith('https://')).toBe(true);
    expect([response.statusCode, await response.body.text()]).toEqual([200, ACME_IP]);
    await dispatcher.close();
  });
});

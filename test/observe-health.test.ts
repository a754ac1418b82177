import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthExtension } from '../src/observe/health-extension.js';
import {
  METRICS_TOKEN,
  removeObserved,
  startObserved,
  type ObserveOptions,
  type ObservedServe,
} from './support/observe-harness.js';

const RIGHT = { authorization: `Bearer ${METRICS_TOKEN}` };
const WRONG = { authorization: 'Bearer not-the-metrics-token-0000' };

let observed: ObservedServe | undefined;
afterEach(async () => {
  const dir = observed?.dir ?? '';
  await observed?.stop();
  observed = undefined;
  removeObserved(dir);
});

async function start(options: ObserveOptions = {}): Promise<ObservedServe> {
  observed = await startObserved(options);
  return observed;
}

describe('GET /healthz and /readyz', () => {
  it('is not ready before the first sync, ready after it, and always healthy', async () => {
    const serve = await start({ isGated: true });
    const before = await serve.get('/readyz');
    const health = await serve.get('/healthz');
    serve.openGate();
    await serve.serve.syncNow();
    const after = await serve.get('/readyz');

    expect([before.status, before.body]).toEqual([503, 'no successful sync yet\n']);
    expect(before.headers['cache-control']).toBe('no-store');
    expect([health.status, health.body]).toEqual([200, 'ok\n']);
    expect([after.status, after.body]).toEqual([200, 'ready\n']);
  });

  it('is not ready once the last successful sync is older than server.ready_max_age', async () => {
    let skewMs = 0;
    const serve = await start({
      serverExtra: 'ready_max_age: 10m',
      extensions: [createHealthExtension({ now: () => Date.now() + skewMs })],
    });
    await serve.serve.syncNow();
    const fresh = await serve.get('/readyz');
    skewMs = 11 * 60_000;
    const old = await serve.get('/readyz');

    expect(fresh.status).toBe(200);
    expect(old.status).toBe(503);
    expect(old.body).toMatch(/^last successful sync 6\d\ds ago, over ready_max_age 600s\n$/);
  });
});

describe('HEAD /metrics, /healthz and /readyz', () => {
  it('answers like GET, without a body', async () => {
    const serve = await start();
    await serve.serve.syncNow();
    const paths = ['/metrics', '/healthz', '/readyz'];
    const heads = await Promise.all(
      paths.map(async (path) => {
        const answer = await request(`${serve.serve.url}${path}`, { method: 'HEAD' });
        return {
          status: answer.statusCode,
          headers: answer.headers,
          body: await answer.body.text(),
        };
      }),
    );
    const gets = await Promise.all(paths.map((path) => serve.get(path)));

    expect(heads.map((head) => [head.status, head.body])).toEqual([
      [200, ''],
      [200, ''],
      [200, ''],
    ]);
    for (const [index, head] of heads.entries()) {
      expect(head.headers['content-type']).toBe(gets[index]?.headers['content-type']);
      expect(head.headers['cache-control']).toBe('no-store');
    }
    expect(heads[0]?.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('is refused like GET from an address outside allow', async () => {
    const serve = await start({ serverExtra: 'metrics: { allow: [192.0.2.10] }' });
    const answer = await request(`${serve.serve.url}/metrics`, { method: 'HEAD' });
    await answer.body.text();

    expect(answer.statusCode).toBe(403);
  });
});

describe('access to /metrics, /healthz and /readyz', () => {
  it('lets loopback in by default, without credentials', async () => {
    const serve = await start();
    await serve.serve.syncNow();
    const answers = await Promise.all(
      ['/metrics', '/healthz', '/readyz'].map((path) => serve.get(path)),
    );

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers[0]?.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('refuses an address outside server.metrics.allow with 403 when no token is set', async () => {
    const serve = await start({ serverExtra: 'metrics: { allow: [192.0.2.0/24] }' });
    const answers = await Promise.all(
      ['/metrics', '/healthz', '/readyz'].map((path) => serve.get(path)),
    );

    expect(answers.map((answer) => [answer.status, answer.body])).toEqual([
      [403, 'forbidden\n'],
      [403, 'forbidden\n'],
      [403, 'forbidden\n'],
    ]);
  });

  it('opens with the right Bearer token from anywhere; a wrong or missing one gets 401', async () => {
    const serve = await start({
      serverExtra: 'metrics: { allow: [192.0.2.0/24], token: "${METRICS_TOKEN}" }',
    });
    const right = await serve.get('/metrics', RIGHT);
    const wrong = await serve.get('/metrics', WRONG);
    const none = await serve.get('/healthz');
    const basic = await serve.get('/healthz', { authorization: 'Basic YTpi' });

    expect(right.status).toBe(200);
    expect(right.body).toContain('# TYPE iocrelay_list_entries gauge');
    expect([wrong.status, wrong.body]).toEqual([401, 'unauthorized\n']);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="iocrelay-ops"');
    expect([none.status, basic.status]).toEqual([401, 401]);
  });

  it('refuses a wrong token even from an allowed address', async () => {
    const serve = await start({ serverExtra: 'metrics: { token: "${METRICS_TOKEN}" }' });
    const wrong = await serve.get('/readyz', WRONG);
    const plain = await serve.get('/healthz');

    expect(wrong.status).toBe(401);
    expect(plain.status).toBe(200);
  });
});

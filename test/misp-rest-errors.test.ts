import { describe, expect, it } from 'vitest';
import { collect, pullError, source, start, useMispServers } from './support/misp-rest-harness.js';

useMispServers();

describe('MISP REST source: errors', () => {
  it.each([
    ['403 JSON', 'MISP_AUTH_FAILED', { kind: 'forbidden' } as const, 403],
    ['401', 'MISP_AUTH_FAILED', { kind: 'status', status: 401 } as const, 401],
    ['302 to /users/login', 'MISP_LOGIN_REDIRECT', { kind: 'login-redirect' } as const, 302],
    ['404', 'MISP_HTTP_ERROR', { kind: 'status', status: 404 } as const, 404],
    ['PHP memory error', 'MISP_MEMORY_EXHAUSTED', { kind: 'php-memory' } as const, 500],
  ])('maps %s to %s without retrying', async (_name, code, failure, status) => {
    const misp = await start();
    misp.failNext(failure, 5);
    const error = await pullError({ misp });
    expect([error.code, error.details]).toEqual([
      code,
      { url: `${misp.url}/attributes/restSearch`, page: 1, status },
    ]);
    expect(misp.requests).toHaveLength(1);
  });

  it('refuses a wrong key with MISP_AUTH_FAILED', async () => {
    const misp = await start();
    const error = await pullError({ misp, overrides: { apiKey: 'wrong-key' } });
    expect(error.code).toBe('MISP_AUTH_FAILED');
  });

  it.each([
    ['an HTML page', 'MISP_NOT_JSON', { kind: 'html' } as const],
    ['invalid JSON', 'MISP_TRUNCATED', { kind: 'invalid-json' } as const],
    ['JSON of another shape', 'MISP_BAD_SHAPE', { kind: 'bad-shape' } as const],
  ])('maps %s on a 200 to %s', async (_name, code, failure) => {
    const misp = await start();
    misp.failNext(failure);
    const error = await pullError({ misp });
    expect(error.code).toBe(code);
    expect(misp.requests).toHaveLength(1);
  });

  it('names the path of a bad shape', async () => {
    const misp = await start();
    misp.failNext({ kind: 'bad-shape' });
    const error = await pullError({ misp });
    expect(error.details).toEqual({
      url: `${misp.url}/attributes/restSearch`,
      page: 1,
      path: 'response',
      expected: 'an object with an "Attribute" array',
    });
  });

  it('retries a 5xx `retries` times, then fails with MISP_HTTP_ERROR', async () => {
    const misp = await start();
    misp.failNext({ kind: 'status', status: 503 }, 4);
    const error = await pullError({ misp, overrides: { retries: 3 } });
    expect([error.code, error.details.status]).toEqual(['MISP_HTTP_ERROR', 503]);
    expect(misp.requests).toHaveLength(4);
  });

  it('recovers when a retry succeeds', async () => {
    const misp = await start();
    misp.failNext({ kind: 'status', status: 502 }, 2);
    const batches = await collect(source(misp, { retries: 2 }).pull({ mode: 'full' }));
    expect(batches.flat()).toHaveLength(12);
    expect(misp.requests.map((r) => r.body.page)).toEqual([1, 1, 1, 2, 3]);
  });

  it('maps a body cut short of Content-Length to MISP_TRUNCATED after retries', async () => {
    const misp = await start();
    misp.failNext({ kind: 'truncated' }, 2);
    const error = await pullError({ misp, overrides: { retries: 1 } });
    expect([error.code, error.details.reason, error.details.attempts]).toEqual([
      'MISP_TRUNCATED',
      'truncated',
      2,
    ]);
  });

  it('maps a reset connection to MISP_UNREACHABLE and a refused one too', async () => {
    const misp = await start();
    misp.failNext({ kind: 'reset' });
    expect((await pullError({ misp, overrides: { retries: 0 } })).code).toBe('MISP_UNREACHABLE');

    await misp.close();
    const refused = await pullError({ misp, overrides: { retries: 1 } });
    expect([refused.code, refused.details.attempts]).toEqual(['MISP_UNREACHABLE', 2]);
  });

  it('maps a slow answer to MISP_TIMEOUT, and retries it', async () => {
    const misp = await start();
    misp.failNext({ kind: 'delay', ms: 2000 }, 2);
    const error = await pullError({ misp, overrides: { timeoutMs: 100, retries: 1 } });
    expect([error.code, error.details.attempts]).toEqual(['MISP_TIMEOUT', 2]);

    misp.failNext({ kind: 'delay', ms: 2000 });
    const batches = await collect(
      source(misp, { timeoutMs: 200, retries: 1 }).pull({ mode: 'full' }),
    );
    expect(batches.flat()).toHaveLength(12);
  });

  it('caps the body size with MISP_RESPONSE_TOO_LARGE', async () => {
    const misp = await start();
    const error = await pullError({ misp, overrides: { maxBodyBytes: 1000 } });
    expect([error.code, error.details.reason]).toEqual([
      'MISP_RESPONSE_TOO_LARGE',
      'body_too_large',
    ]);
  });
});

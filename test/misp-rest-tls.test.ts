import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isIocrelayError } from '../src/errors/iocrelay-error.js';
import { createLogger, silentLogger, type Logger } from '../src/log/logger.js';
import { createMispRestSource, type MispRestOptions } from '../src/sources/misp-rest-source.js';
import {
  PHP_MEMORY_ERROR,
  startMispApiServer,
  type MispApiServer,
} from './support/misp-api-server.js';
import { wireAttribute, wireEvent } from './support/misp-fixtures.js';
import { createSelfSignedCert, type SelfSignedCert } from './support/self-signed-cert.js';

const API_KEY = 'Sup3rS3cretMispKey4242424242424242424242';
const ATTRIBUTES = [1, 2, 3].map((n) => wireAttribute(n, wireEvent(1)));

let dir = '';
let cert: SelfSignedCert;
let wrongName: SelfSignedCert;
let server: MispApiServer | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-tls-'));
  cert = createSelfSignedCert(dir);
  wrongName = createSelfSignedCert(dir, 'DNS:misp.example', 'wrong-name');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function memoryLogger(): {
  log: Logger;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const log = createLogger({
    level: 'debug',
    destination: { write: (chunk: string) => chunks.push(chunk) },
  });
  return {
    log,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function pull(url: string, overrides: Partial<MispRestOptions> = {}) {
  const source = createMispRestSource({
    url,
    apiKey: API_KEY,
    query: {},
    retryBaseMs: 1,
    log: silentLogger(),
    ...overrides,
  });
  return (async () => {
    const ids: (string | null)[] = [];
    for await (const batch of source.pull({ mode: 'full' })) ids.push(...batch.map((a) => a.id));
    return ids;
  })();
}

async function pullError(url: string, overrides: Partial<MispRestOptions> = {}) {
  const error = await pull(url, overrides).then(
    () => null,
    (e: unknown) => e,
  );
  if (!isIocrelayError(error)) throw new Error(`expected an IocrelayError, got ${String(error)}`);
  return error;
}

describe('MISP REST source over TLS', () => {
  it('refuses a self-signed certificate by default, without retrying', async () => {
    server = await startMispApiServer({ apiKey: API_KEY, attributes: ATTRIBUTES, tls: cert });
    const error = await pullError(server.url, { retries: 3 });
    expect([error.code, error.details]).toEqual([
      'MISP_TLS_FAILED',
      {
        url: `${server.url}/attributes/restSearch`,
        reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        attempts: 1,
      },
    ]);
    expect(server.requests).toHaveLength(0);
  });

  it('trusts the certificate given as caFile', async () => {
    server = await startMispApiServer({ apiKey: API_KEY, attributes: ATTRIBUTES, tls: cert });
    expect(await pull(server.url, { caFile: cert.certFile })).toEqual(['1', '2', '3']);
  });

  it('refuses a trusted certificate issued for another name', async () => {
    server = await startMispApiServer({ apiKey: API_KEY, attributes: ATTRIBUTES, tls: wrongName });
    const error = await pullError(server.url, { caFile: wrongName.certFile });
    expect([error.code, error.details.reason]).toEqual([
      'MISP_TLS_FAILED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ]);
  });

  it('fails with MISP_TLS_FAILED when the caFile cannot be read', async () => {
    server = await startMispApiServer({ apiKey: API_KEY, attributes: ATTRIBUTES, tls: cert });
    const error = await pullError(server.url, { caFile: join(dir, 'missing.pem') });
    expect([error.code, error.details]).toEqual([
      'MISP_TLS_FAILED',
      { caFile: join(dir, 'missing.pem'), reason: 'ca_file_unreadable' },
    ]);
  });

  it('accepts any certificate with verifyTls off, and warns at every pull', async () => {
    server = await startMispApiServer({ apiKey: API_KEY, attributes: ATTRIBUTES, tls: cert });
    const memory = memoryLogger();
    expect(await pull(server.url, { verifyTls: false, log: memory.log })).toEqual(['1', '2', '3']);
    expect(await pull(server.url, { verifyTls: false, log: memory.log })).toEqual(['1', '2', '3']);

    const warnings = memory
      .lines()
      .map(({ level, source, url, msg }) => ({ level, source, url, msg }));
    const expected = {
      level: 'warn',
      source: 'misp',
      url: `${server.url}/attributes/restSearch`,
      msg: 'TLS verification is off',
    };
    expect(warnings).toEqual([expected, expected]);
  });
});

describe('MISP API key', () => {
  it('never shows in logs, error messages, details or causes', async () => {
    server = await startMispApiServer({ apiKey: API_KEY, attributes: ATTRIBUTES });
    const memory = memoryLogger();
    const options = { log: memory.log, retries: 1, verifyTls: false, timeoutMs: 100 };
    // Each failure as many times as the client tries (retries: 1 means two tries when retried).
    const failures = [
      [{ kind: 'forbidden' }, 1],
      [{ kind: 'status', status: 503 }, 2],
      [{ kind: 'delay', ms: 1000 }, 2],
      [{ kind: 'html' }, 1],
      [{ kind: 'reset' }, 2],
    ] as const;

    const errors = [];
    for (const [failure, times] of failures) {
      server.failNext(failure, times);
      errors.push(await pullError(server.url, options));
    }
    errors.push(await pullError(server.url, { ...options, apiKey: `${API_KEY}-wrong` }));

    expect(errors.map((e) => e.code)).toEqual([
      'MISP_AUTH_FAILED',
      'MISP_HTTP_ERROR',
      'MISP_TIMEOUT',
      'MISP_NOT_JSON',
      'MISP_UNREACHABLE',
      'MISP_AUTH_FAILED',
    ]);
    expect(memory.text()).toContain('request failed, retrying');
    const dump = errors.map((e) => [
      e.message,
      JSON.stringify(e.details),
      String(e.cause),
      e.stack,
    ]);
    expect(JSON.stringify(dump)).not.toContain(API_KEY.slice(0, 12));
    expect(memory.text()).not.toContain(API_KEY.slice(0, 12));
    expect(server.requests[0]?.headers.authorization).toBe(API_KEY);
  });
});

describe('MISP API test server', () => {
  it('refuses a search without limit with the PHP memory error, like a large MISP', async () => {
    server = await startMispApiServer({ apiKey: API_KEY, attributes: ATTRIBUTES });
    const answer = await request(`${server.url}/attributes/restSearch`, {
      method: 'POST',
      headers: { authorization: API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ returnFormat: 'json' }),
    });
    expect([answer.statusCode, await answer.body.text()]).toEqual([500, PHP_MEMORY_ERROR]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isIocrelayError } from '../src/errors/iocrelay-error.js';
import { createLogger, silentLogger } from '../src/log/logger.js';
import { createMispFeedSource, type MispFeedOptions } from '../src/sources/misp-feed-source.js';
import {
  EVENT_A,
  EVENT_A_FILE,
  EVENT_B,
  EVENT_B_FILE,
  MANIFEST,
  writeFeed,
} from './support/feed-fixtures.js';
import { createSelfSignedCert, type SelfSignedCert } from './support/self-signed-cert.js';
import { startStaticFileServer, type StaticFileServer } from './support/static-file-server.js';

let dir = '';
let cert: SelfSignedCert;
let https: StaticFileServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-feed-tls-'));
  const feedDir = join(dir, 'feed');
  writeFeed(feedDir, {
    'manifest.json': MANIFEST,
    [`${EVENT_A}.json`]: EVENT_A_FILE,
    [`${EVENT_B}.json`]: EVENT_B_FILE,
  });
  cert = createSelfSignedCert(dir, 'IP:127.0.0.1', 'feed');
  https = await startStaticFileServer(feedDir, cert);
});
afterAll(async () => {
  await https.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => https.requests.splice(0));

async function count(overrides: Partial<MispFeedOptions>): Promise<number> {
  const options = { name: 'tls', location: https.url, retries: 2, log: silentLogger() };
  let attributes = 0;
  for await (const batch of createMispFeedSource({ ...options, ...overrides }).pull({
    mode: 'full',
  })) {
    attributes += batch.length;
  }
  return attributes;
}

describe('MISP feed source over HTTPS', () => {
  it('refuses a self-signed certificate with FEED_TLS_FAILED, without retrying', async () => {
    const error = await count({}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isIocrelayError(error) ? [error.code, error.details] : error).toEqual([
      'FEED_TLS_FAILED',
      { url: `${https.url}manifest.json`, reason: 'DEPTH_ZERO_SELF_SIGNED_CERT', attempts: 1 },
    ]);
  });

  it('trusts the certificate given as caFile', async () => {
    expect(await count({ caFile: cert.certFile })).toBe(5);
  });

  it('reads with verifyTls off and warns once per pull', async () => {
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (line: string) => lines.push(line) } });
    expect(await count({ verifyTls: false, log })).toBe(5);

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map(({ level, source, url, msg }) => ({ level, source, url, msg }))).toEqual([
      { level: 'warn', source: 'feed:tls', url: https.url, msg: 'TLS verification is off' },
    ]);
  });
});

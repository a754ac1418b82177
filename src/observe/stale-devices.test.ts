import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { silentLogger } from '../log/logger.js';
import type { FetchRecord } from '../serve/feed-server-options.js';
import { openObserveDatabase, type ObserveDatabase } from './observe-database.js';
import { createStaleDevices } from './stale-devices.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const FETCH: FetchRecord = {
  tenant: 'acme',
  list: 'ip.txt',
  device: 'acme-fw',
  clientIp: '192.0.2.7',
  userAgent: 'PAN-OS 11.1',
  method: 'GET',
  status: 200,
  bytes: 10,
  sha256: 'a'.repeat(64),
  at: T0,
};

let dir = '';
let observe: ObserveDatabase | undefined;
afterEach(async () => {
  await observe?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function staleDevices(): Promise<ReturnType<typeof createStaleDevices>> {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-stale-'));
  writeFileSync(
    join(dir, 'iocrelay.yaml'),
    `database: ./iocrelay.db
feeds: [{ name: demo, url: ./feed }]
server: { stale_after: 1h, fetch_retention: 1d }
tenants:
  - id: acme
    feed_auth: { tokens: [acme-feed-token-0123456789abcdef] }
    lists: [{ file: ip.txt, types: [ip] }]
`,
  );
  const config = loadConfig(join(dir, 'iocrelay.yaml'), {});
  observe = await openObserveDatabase(config.database, silentLogger());
  return createStaleDevices(observe.database, config);
}

describe('createStaleDevices', () => {
  it('counts a device stale once its last fetch is older than stale_after', async () => {
    const stale = await staleDevices();
    stale.onFetch(FETCH);
    stale.onFetch({ ...FETCH, status: 304, at: T0 + 30 * 60_000 });

    expect(stale.counts(T0 + HOUR)).toEqual([{ tenant: 'acme', list: 'ip.txt', count: 0 }]);
    expect(stale.counts(T0 + 2 * HOUR)).toEqual([{ tenant: 'acme', list: 'ip.txt', count: 1 }]);
  });

  it.each([
    ['an unauthenticated request', { device: null, status: 401 }],
    ['a 404', { status: 404 }],
    ['a list that is not served', { list: 'other.txt' }],
    ['a tenant that is not served', { tenant: 'globex' }],
  ] as const)('ignores %s', async (_case, change) => {
    const stale = await staleDevices();
    stale.onFetch({ ...FETCH, ...change });

    expect(stale.counts(T0 + 2 * HOUR)).toEqual([{ tenant: 'acme', list: 'ip.txt', count: 0 }]);
  });

  it('forgets a device whose last fetch is past fetch_retention, as the store prunes it', async () => {
    const stale = await staleDevices();
    stale.onFetch(FETCH);

    expect(stale.counts(T0 + 23 * HOUR)[0]?.count).toBe(1);
    expect(stale.counts(T0 + 25 * HOUR)[0]?.count).toBe(0);
    expect(stale.counts(T0 + 2 * HOUR)[0]?.count).toBe(0);
  });
});

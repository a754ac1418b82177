import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { request } from 'undici';

import { loadConfig, type LoadedConfig } from '../../src/config/load-config.js';
import { silentLogger, type Logger } from '../../src/log/logger.js';
import { createDirPublisher } from '../../src/publish/dir-publisher.js';
import { createFetchRecorder, type FetchRecorder } from '../../src/serve/fetch-recorder.js';
import { hashPassword } from '../../src/serve/password-hash.js';
import { startServe, type RunningServe } from '../../src/serve/start-serve.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createSources } from '../../src/sync/create-sources.js';
import type { BusyRetry } from '../../src/ui/retry-while-busy.js';
import { createUiExtension } from '../../src/ui/ui-extension.js';

const DEMO_FEED = join(import.meta.dirname, '..', '..', 'demo', 'feed');

export const ADMIN = { username: 'alice', password: 'correct-horse-battery-staple' };
export const ACME_TOKEN = 'acme-feed-token-0123456789abcdef';
export const MISP_URL = 'https://misp.example';
const HOUR = 3_600_000;

/** A demo `iocrelay serve` with the dashboard on, synced once, with device fetches recorded. */
export interface DashboardDemo {
  readonly url: string;
  readonly dir: string;
  readonly config: LoadedConfig;
  readonly serve: RunningServe;
  /** A store connection of the test's own, to read the values the pages must show. */
  readonly store: Store;
  /** Flushes recorded fetches to the store. */
  flushFetches(): Promise<void>;
  stop(): Promise<void>;
}

/** What a test may change in the demo serve. */
export interface DashboardDemoOptions {
  /** The serve's logger (silent by default). */
  readonly log?: Logger;
  /** How allowlist changes wait out a write lock; 100 ms up to 3 s by default, to keep tests short. */
  readonly busyRetry?: BusyRetry;
}

/**
 * Copies the demo feed (after `editFeed`, if given), writes a configuration with two tenants
 * and the dashboard, starts a real serve on a free port, syncs once, lets a firewall fetch
 * acme's ip.txt twice, and records a device last seen two hours ago (stale).
 *
 * @example
 * const demo = await startDashboardDemo();
 */
export async function startDashboardDemo(
  editFeed?: (feedDir: string) => void,
  options: DashboardDemoOptions = {},
): Promise<DashboardDemo> {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-ui-'));
  cpSync(DEMO_FEED, join(dir, 'feed'), { recursive: true });
  editFeed?.(join(dir, 'feed'));
  const hash = await hashPassword(ADMIN.password);
  writeFileSync(
    join(dir, 'iocrelay.yaml'),
    `database: ./var/iocrelay.db
feeds: [{ name: demo, url: ./feed }]
publish: { dir: ./public }
server: { listen: 127.0.0.1:0, stale_after: 1h }
tlp_default: amber
policy: { expiry: { ip: never, domain: never, url: never } }
ui:
  admins: [{ username: ${ADMIN.username}, password_hash: '${hash}' }]
  misp_url: ${MISP_URL}
tenants:
  - id: acme
    owner_tag: customer:acme
    feed_auth: { tokens: [\${ACME_TOKEN}] }
    lists:
      - { file: ip.txt, types: [ip] }
      - { file: domain.txt, types: [domain] }
      - { file: url.txt, types: [url] }
      - { file: sha256.txt, types: [sha256] }
  - id: globex
    lists: [{ file: ip.txt, types: [ip] }]
`,
  );
  const config = loadConfig(join(dir, 'iocrelay.yaml'), { ACME_TOKEN });
  if (config.ui === undefined) throw new Error('test configuration lost its ui key');
  const log = options.log ?? silentLogger();
  const mainStore = await openStore({ path: config.database, log });
  const tracking = await openStore({ path: config.database, log, busyTimeoutMs: 0 });
  const recorder: FetchRecorder = createFetchRecorder({ store: tracking, log });
  const serve = await startServe({
    config,
    store: mainStore,
    sources: createSources(config, log),
    targets: [createDirPublisher(config.publish.dir)],
    log,
    onFetch: recorder.record,
    extensions: [
      createUiExtension(config.ui, {
        busyRetry: options.busyRetry ?? { intervalMs: 100, limitMs: 3_000 },
      }),
    ],
  });
  await serve.syncNow();

  const feedUrl = `${serve.url}/feeds/acme/ip.txt`;
  const firewall = { authorization: `Bearer ${ACME_TOKEN}`, 'user-agent': 'PAN-OS 11.1' };
  const first = await request(feedUrl, { headers: firewall });
  await first.body.text();
  const again = await request(feedUrl, {
    headers: { ...firewall, 'if-none-match': String(first.headers.etag) },
  });
  await again.body.text();
  await recorder.flush();
  await tracking.recordFetches([
    {
      tenant: 'acme',
      list: 'domain.txt',
      device: 'token#1',
      clientIp: '198.51.100.3',
      userAgent: 'FortiGate 7.4',
      method: 'GET',
      status: 200,
      bytes: 10,
      sha256: 'a'.repeat(64),
      at: Date.now() - 2 * HOUR,
    },
  ]);
  const store = await openStore({ path: config.database, log });

  return {
    url: serve.url,
    dir,
    config,
    serve,
    store,
    flushFetches: () => recorder.flush(),
    async stop() {
      await serve.stop();
      await recorder.close();
      await tracking.close();
      await store.close();
      await mainStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

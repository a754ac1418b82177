import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/log/logger.js';
import { createDirPublisher } from '../src/publish/dir-publisher.js';
import { startServe, type RunningServe } from '../src/serve/start-serve.js';
import { openStore, type Store } from '../src/store/store.js';
import { createSources } from '../src/sync/create-sources.js';
import type { SyncReport } from '../src/sync/sync-report.js';

const DEMO_FEED = join(import.meta.dirname, '..', 'demo', 'feed');
const ACME_TOKEN = 'acme-feed-token-0123456789abcdef';
const ACME = { authorization: `Bearer ${ACME_TOKEN}` };

let serve: RunningServe | undefined;
let store: Store | undefined;
let dir = '';
afterEach(async () => {
  await serve?.stop();
  await store?.close();
  serve = undefined;
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function startDemo(): Promise<{ reports: SyncReport[]; publicDir: string; feed: string }> {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-serve-'));
  const feed = join(dir, 'feed');
  cpSync(DEMO_FEED, feed, { recursive: true });
  writeFileSync(
    join(dir, 'iocrelay.yaml'),
    `database: ./var/iocrelay.db
feeds: [{ name: demo, url: ./feed }]
publish: { dir: ./public }
server: { listen: 127.0.0.1:0 }
policy: { expiry: { ip: never, domain: never, url: never } }
tenants:
  - id: acme
    feed_auth: { tokens: [\${ACME_TOKEN}] }
    lists:
      - { file: ip.txt, types: [ip] }
      - { file: ip.nft, types: [ip], format: nftables }
  - id: globex
    lists: [{ file: ip.txt, types: [ip] }]
`,
  );
  const config = loadConfig(join(dir, 'iocrelay.yaml'), { ACME_TOKEN });
  const log = silentLogger();
  store = await openStore({ path: config.database, log });
  const reports: SyncReport[] = [];
  serve = await startServe({
    config,
    store,
    sources: createSources(config, log),
    targets: [createDirPublisher(config.publish.dir)],
    log,
    onRun: (report) => reports.push(report),
  });
  await serve.syncNow();
  return { reports, publicDir: config.publish.dir, feed };
}

describe('iocrelay serve', () => {
  it('publishes to the folder and serves the same bytes at once, with entry counts', async () => {
    const { reports, publicDir } = await startDemo();
    const answer = await request(`${serve?.url}/feeds/acme/ip.txt`, { headers: ACME });
    const body = await answer.body.text();
    const nft = await request(`${serve?.url}/feeds/acme/ip.nft`, { headers: ACME });
    const nftBody = await nft.body.text();

    expect(reports.map((report) => report.status)).toEqual(['ok']);
    expect(answer.statusCode).toBe(200);
    expect(body).toBe(readFileSync(join(publicDir, 'acme', 'ip.txt'), 'utf8'));
    expect(body).toContain('198.51.100.23\n');
    expect(answer.headers['x-entry-count']).toBe(String(body.trim().split('\n').length));
    expect(nftBody).toBe(readFileSync(join(publicDir, 'acme', 'ip.nft'), 'utf8'));
    expect(nft.headers['x-entry-count']).toBe(answer.headers['x-entry-count']);
  });

  it('keeps serving the last good list when a run fails', async () => {
    const { reports, feed } = await startDemo();
    const before = await (
      await request(`${serve?.url}/feeds/acme/ip.txt`, { headers: ACME })
    ).body.text();

    writeFileSync(join(feed, 'manifest.json'), '{ broken');
    await serve?.syncNow();
    const after = await request(`${serve?.url}/feeds/acme/ip.txt`, { headers: ACME });

    expect(reports.map((report) => report.status)).toEqual(['ok', 'failed']);
    expect([after.statusCode, await after.body.text()]).toEqual([200, before]);
  });

  it('serves the lists already on disk from the start, before its first run', async () => {
    const { publicDir } = await startDemo();
    const onDisk = readFileSync(join(publicDir, 'acme', 'ip.txt'), 'utf8');
    await serve?.stop();
    await store?.close();
    store = undefined;

    // A second instance whose sources all fail still answers with the last good list.
    rmSync(join(dir, 'feed'), { recursive: true });
    const config = loadConfig(join(dir, 'iocrelay.yaml'), { ACME_TOKEN });
    store = await openStore({ path: config.database, log: silentLogger() });
    serve = await startServe({
      config,
      store,
      sources: createSources(config, silentLogger()),
      targets: [createDirPublisher(config.publish.dir)],
      log: silentLogger(),
    });
    const answer = await request(`${serve.url}/feeds/acme/ip.txt`, { headers: ACME });
    expect([answer.statusCode, await answer.body.text()]).toEqual([200, onDisk]);
  });

  it('does not serve a tenant without feed_auth', async () => {
    await startDemo();
    const answer = await request(`${serve?.url}/feeds/globex/ip.txt`, { headers: ACME });
    expect([answer.statusCode, await answer.body.text()]).toEqual([404, 'not found\n']);
  });
});

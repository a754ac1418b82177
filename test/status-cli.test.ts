import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/log/logger.js';
import { createDirPublisher } from '../src/publish/dir-publisher.js';
import { createFetchRecorder } from '../src/serve/fetch-recorder.js';
import { startServe } from '../src/serve/start-serve.js';
import { openStore } from '../src/store/store.js';
import { createSources } from '../src/sync/create-sources.js';
import { runCli } from './support/cli.js';

const DEMO_FEED = join(import.meta.dirname, '..', 'demo', 'feed');
const TOKEN = 'acme-feed-token-0123456789abcdef';
const ENV = { ACME_TOKEN: TOKEN };
const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
const HOUR = 3_600_000;
const DURATION = String.raw`-?\d+(?:ms|s|m\d\ds|h\d\dm|d\d\dh)`;

let dir = '';
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The demo synced and served as `iocrelay serve` runs it, with a recorder on a store
 * connection of its own; then real device requests: a firewall that fetches and revalidates,
 * a client with a wrong token, and (written to the log directly) a device last seen two hours
 * ago.
 */
async function servedAndFetched(): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-status-'));
  cpSync(DEMO_FEED, join(dir, 'feed'), { recursive: true });
  const file = join(dir, 'iocrelay.yaml');
  writeFileSync(
    file,
    `database: ./var/iocrelay.db
feeds: [{ name: demo, url: ./feed }]
publish: { dir: ./public }
server: { listen: 127.0.0.1:0, stale_after: 1h }
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
  const config = loadConfig(file, ENV);
  const log = silentLogger();
  const store = await openStore({ path: config.database, log });
  const tracking = await openStore({ path: config.database, log, busyTimeoutMs: 0 });
  const recorder = createFetchRecorder({ store: tracking, log });
  const serve = await startServe({
    config,
    store,
    sources: createSources(config, log),
    targets: [createDirPublisher(config.publish.dir)],
    log,
    onFetch: recorder.record,
  });
  try {
    await serve.syncNow();
    const url = `${serve.url}/feeds/acme/ip.txt`;
    const firewall = { authorization: `Bearer ${TOKEN}`, 'user-agent': 'PAN-OS 11.1' };
    const first = await request(url, { headers: firewall });
    await first.body.text();
    const again = await request(url, {
      headers: { ...firewall, 'if-none-match': first.headers.etag as string },
    });
    await again.body.text();
    const wrong = await request(url, { headers: { authorization: 'Bearer wrong-token-0000000' } });
    await wrong.body.text();
    expect([first.statusCode, again.statusCode, wrong.statusCode]).toEqual([200, 304, 401]);
  } finally {
    await serve.stop();
    await recorder.close();
  }

  await tracking.recordFetches([
    {
      tenant: 'acme',
      list: 'ip.txt',
      device: 'token#1',
      clientIp: '198.51.100.3',
      userAgent: null,
      method: 'GET',
      status: 200,
      bytes: 10,
      sha256: 'a'.repeat(64),
      at: Date.now() - 2 * HOUR,
    },
  ]);
  await tracking.close();
  await store.close();
  return file;
}

describe('iocrelay status', () => {
  it('shows each list, its devices, stale ones and refused fetches', async () => {
    const file = await servedAndFetched();
    const result = await runCli(['status', '--config', file], ENV);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(new RegExp(`^acme/ip\\.txt: \\d+ entries, published ${ISO}$`));
    expect(lines[1]).toMatch(
      new RegExp(
        `^  token#1 at 127\\.0\\.0\\.1 \\(PAN-OS 11\\.1\\): last fetch ${ISO} \\(304\\), holds the current publication, 2 fetches$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^  token#1 at 198\\.51\\.100\\.3 \\(no user agent\\): last fetch ${ISO} \\(200\\), holds an older publication \\(aaaaaaaaaaaa\\), 1 fetch, STALE: no fetch for 2h00m$`,
      ),
    );
    expect(lines[3]).toMatch(
      new RegExp(`^  refused: 1 fetch, no or wrong credentials \\(401\\), last ${ISO}$`),
    );
    expect(lines.slice(4)).toEqual([
      expect.stringMatching(new RegExp(`^acme/ip\\.nft: \\d+ entries, published ${ISO}$`)),
      '  no device has fetched it',
      expect.stringMatching(new RegExp(`^globex/ip\\.txt: \\d+ entries, published ${ISO}$`)),
      '  no device has fetched it',
      '2 devices, 1 stale (no fetch for over 1h00m)',
      '',
    ]);
  });

  it('prints one JSON document with --json, for one tenant with --tenant', async () => {
    const file = await servedAndFetched();
    const result = await runCli(['status', '--config', file, '--tenant', 'acme', '--json'], ENV);

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      tenants: { lists: { lastPublication: { sha256: string } }[] }[];
    };
    const current = report.tenants[0]?.lists[0]?.lastPublication.sha256;
    expect(report).toEqual({
      now: expect.any(Number),
      staleAfterS: 3600,
      tenants: [
        {
          tenant: 'acme',
          lists: [
            {
              list: 'ip.txt',
              lastPublication: expect.objectContaining({ status: 'published', sha256: current }),
              devices: [
                {
                  tenant: 'acme',
                  list: 'ip.txt',
                  device: 'token#1',
                  clientIp: '127.0.0.1',
                  userAgent: 'PAN-OS 11.1',
                  fetches: 2,
                  lastFetchAt: expect.any(Number),
                  lastStatus: 304,
                  sha256: current,
                  deliveredAt: expect.any(Number),
                  isCurrent: true,
                  isStale: false,
                },
                {
                  tenant: 'acme',
                  list: 'ip.txt',
                  device: 'token#1',
                  clientIp: '198.51.100.3',
                  userAgent: null,
                  fetches: 1,
                  lastFetchAt: expect.any(Number),
                  lastStatus: 200,
                  sha256: 'a'.repeat(64),
                  deliveredAt: expect.any(Number),
                  isCurrent: false,
                  isStale: true,
                },
              ],
              refused: [
                {
                  tenant: 'acme',
                  list: 'ip.txt',
                  status: 401,
                  fetches: 1,
                  lastAt: expect.any(Number),
                },
              ],
            },
            {
              list: 'ip.nft',
              lastPublication: expect.objectContaining({ status: 'published' }),
              devices: [],
              refused: [],
            },
          ],
        },
      ],
    });

    const unknown = await runCli(['status', '--config', file, '--tenant', 'initech'], ENV);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      `error TENANT_UNKNOWN: no tenant "initech" in ${file}\n`,
    ]);
  });

  it('explain gives the time to block of each device', async () => {
    const file = await servedAndFetched();
    const result = await runCli(['explain', '198.51.100.23', '--config', file], ENV);

    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('    acme/ip.txt: listed since'));
    expect(lines.slice(at + 1, at + 3)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^      recorded in MISP at ${ISO}, first published at ${ISO} \\(${DURATION} later\\)$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^      device token#1 at 127\\.0\\.0\\.1 \\(PAN-OS 11\\.1\\): first fetched at ${ISO} \\(${DURATION} after publication\\), time to block ${DURATION}$`,
        ),
      ),
    ]);
    // The device last seen before this publication is not among them.
    expect(result.stdout).not.toContain('198.51.100.3');
    expect(result.stdout).toContain('    globex/ip.txt: listed since');
  });
});

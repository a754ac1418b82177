import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { loadConfig, type LoadedConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/log/logger.js';
import { createHealthExtension } from '../../src/observe/health-extension.js';
import { createMetricsExtension } from '../../src/observe/metrics-extension.js';
import { createDirPublisher } from '../../src/publish/dir-publisher.js';
import { openDeliveryTracking, type DeliveryTracking } from '../../src/serve/delivery-tracking.js';
import type { ServeExtension } from '../../src/serve/serve-extension.js';
import { startServe, type RunningServe } from '../../src/serve/start-serve.js';
import type { Source } from '../../src/sources/source.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createSources } from '../../src/sync/create-sources.js';

const DEMO_FEED = join(import.meta.dirname, '..', '..', 'demo', 'feed');

/** The demo tenant's feed token and metrics token of the observe tests. */
export const ACME_TOKEN = 'acme-feed-token-0123456789abcdef';
export const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** One sample of a Prometheus text exposition. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ObservedServe {
  readonly dir: string;
  readonly config: LoadedConfig;
  readonly serve: RunningServe;
  /** The main store connection, as `iocrelay serve` has it. */
  readonly store: Store;
  readonly tracking: DeliveryTracking;
  /** Lets the held sources pull (see `isGated`). */
  readonly openGate: () => void;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  scrape(headers?: Record<string, string>): Promise<Sample[]>;
  /** Stops the serve and closes what it opened; the folder stays for a restart. */
  stop(): Promise<void>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface ObserveOptions {
  /** YAML of `server.metrics` and `server.ready_max_age`, e.g. `metrics: { allow: [] }`. */
  readonly serverExtra?: string;
  /** Hold every source's pull until openGate(): the state before the first sync. */
  readonly isGated?: boolean;
  /** An existing folder (a restart); a new one by default. */
  readonly dir?: string;
  readonly extensions?: readonly ServeExtension[];
}

/**
 * `iocrelay serve` on the demo feed as serve-command.ts wires it (metrics and health
 * extensions, delivery tracking on a store connection of its own), listening on 127.0.0.1.
 *
 * @example
 * const observed = await startObserved();
 * await observed.serve.syncNow();
 * const samples = await observed.scrape();
 */
export async function startObserved(options: ObserveOptions = {}): Promise<ObservedServe> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'iocrelay-observe-'));
  if (options.dir === undefined) cpSync(DEMO_FEED, join(dir, 'feed'), { recursive: true });
  writeFileSync(
    join(dir, 'iocrelay.yaml'),
    `database: ./var/iocrelay.db
feeds: [{ name: demo, url: ./feed }]
publish: { dir: ./public }
server:
  listen: 127.0.0.1:0
  stale_after: 1h
  ${options.serverExtra ?? ''}
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
  const config = loadConfig(join(dir, 'iocrelay.yaml'), { ACME_TOKEN, METRICS_TOKEN });
  const log = silentLogger();
  const store = await openStore({ path: config.database, log });
  const tracking = await openDeliveryTracking({
    database: config.database,
    retentionSeconds: config.server.fetch_retention,
    log,
  });
  let openGate = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  const sources = createSources(config, log).map((source) =>
    options.isGated === true ? gated(source, gate) : source,
  );
  const serve = await startServe({
    config,
    store,
    sources,
    targets: [createDirPublisher(config.publish.dir)],
    log,
    onFetch: tracking.record,
    extensions: options.extensions ?? [createMetricsExtension(), createHealthExtension()],
  });

  const get = async (path: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const answer = await request(`${serve.url}${path}`, { headers });
    return { status: answer.statusCode, headers: answer.headers, body: await answer.body.text() };
  };
  return {
    dir,
    config,
    serve,
    store,
    tracking,
    openGate,
    get,
    async scrape(headers = {}) {
      const answer = await get('/metrics', headers);
      if (answer.status !== 200) throw new Error(`/metrics answered ${answer.status}`);
      return parseExposition(answer.body);
    },
    async stop() {
      openGate();
      await serve.stop();
      await tracking.close();
      await store.close();
    },
  };
}

/** Removes a folder made by startObserved. */
export function removeObserved(dir: string): void {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
}

/**
 * The value of the one sample with this name and exactly these labels, or undefined.
 *
 * @example
 * valueOf(samples, 'iocrelay_list_entries', { tenant: 'acme', list: 'ip.txt' }); // 4
 */
export function valueOf(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return samples.find(
    (sample) =>
      sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === wanted,
  )?.value;
}

/** Samples of Prometheus text format 0.0.4 (no escaped quotes in iocrelay's label values). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g))
      labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

function gated(source: Source, gate: Promise<void>): Source {
  return {
    id: source.id,
    supportsIncremental: source.supportsIncremental,
    async *pull(pullRequest) {
      await gate;
      yield* source.pull(pullRequest);
    },
  };
}

import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { LoadedConfig } from '../config/load-config.js';
import { syncIntervalOf } from '../config/server-schema.js';
import type { Logger } from '../log/logger.js';
import { createPublisherSet } from '../publish/publisher-set.js';
import type { Publisher } from '../publish/publisher.js';
import type { Source } from '../sources/source.js';
import type { Store } from '../store/store.js';
import { runSync } from '../sync/run-sync.js';
import type { SyncReport } from '../sync/sync-report.js';
import { createCatalogPublisher } from './catalog-publisher.js';
import { createFeedServer } from './create-feed-server.js';
import type { FeedCatalog } from './feed-catalog.js';
import type { FeedServerOptions } from './feed-server-options.js';
import { feedTenantsOf, listEntryCounter, parseListen } from './feed-tenants.js';
import { loadFeedCatalog } from './load-feed-catalog.js';
import type { ServeExtension } from './serve-extension.js';
import { createSyncScheduler } from './sync-scheduler.js';

/** Options of startServe. */
export interface ServeOptions {
  readonly config: LoadedConfig;
  readonly store: Store;
  readonly sources: readonly Source[];
  /** Where lists go besides the feed server: the folder, S3. The first one is read back. */
  readonly targets: readonly Publisher[];
  readonly log: Logger;
  /** Delivery tracking: called after each answered feed request. */
  readonly onFetch?: FeedServerOptions['onFetch'];
  /** Called after each run with its report. */
  readonly onRun?: (report: SyncReport) => void;
  /** Metrics, health, dashboard: registered on the server before it listens. */
  readonly extensions?: readonly ServeExtension[];
  /** Jitter random source, for tests. */
  readonly random?: () => number;
}

/** A running `iocrelay serve`. */
export interface RunningServe {
  /** The address the feed server listens on, such as `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly catalog: FeedCatalog;
  /** Runs the sync now (or waits for the run in progress); the schedule restarts after it. */
  syncNow(): Promise<void>;
  /**
   * Stops: no new run starts, a run still pulling is aborted (nothing published, the last
   * good lists stay), a publication in progress completes; then the server answers the
   * requests it holds and closes.
   */
  stop(): Promise<void>;
}

/**
 * Starts the feed server on `server.listen`, answering at once with the lists already in
 * `publish.dir`, then runs the sync every `server.sync_interval` or `misp.interval` (with
 * jitter, one run at a time);
 * each publication goes to the targets and to the server's memory together. A failed run
 * publishes nothing and the server keeps the last good lists.
 *
 * @example
 * const serve = await startServe({ config, store, sources, targets: [dirPublisher], log });
 * process.once('SIGTERM', () => void serve.stop());
 */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const { config } = options;
  const log = options.log.child({ component: 'serve' });
  const tenants = feedTenantsOf(config);
  if (tenants.length === 0)
    log.warn({}, 'no tenant has feed_auth: the feed server answers no list');

  const catalog = await loadFeedCatalog({
    dir: config.publish.dir,
    tenants,
    countEntries: listEntryCounter(config),
  });
  const tls = config.server.tls && {
    cert: await readFile(config.server.tls.cert_file, 'utf8'),
    key: await readFile(config.server.tls.key_file, 'utf8'),
  };
  const extensions = options.extensions ?? [];
  const onFetch = fetchListeners(options.onFetch, extensions, log);
  const server = createFeedServer({
    catalog,
    tenants,
    log: options.log,
    ...(tls ? { tls } : {}),
    ...(onFetch ? { onFetch } : {}),
  });
  let lastReport: SyncReport | null = null;
  let scheduler: ReturnType<typeof createSyncScheduler> | null = null;
  for (const extension of extensions) {
    await extension.register({
      app: server,
      config,
      store: options.store,
      catalog,
      log: options.log,
      syncNow: () => scheduler?.runNow() ?? Promise.resolve(),
      lastReport: () => lastReport,
    });
  }
  await server.listen(parseListen(config.server.listen));
  const address = server.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${tls ? 'https' : 'http'}://${host}:${address.port}`;

  const publisher = createPublisherSet([...options.targets, createCatalogPublisher(catalog)]);
  scheduler = createSyncScheduler({
    intervalS: syncIntervalOf(config),
    ...(options.random ? { random: options.random } : {}),
    run: async (signal) => {
      const report = await runSync({
        config,
        store: options.store,
        sources: options.sources,
        publisher,
        log: options.log,
        signal,
      });
      lastReport = report;
      options.onRun?.(report);
      for (const extension of extensions) {
        guard(log, extension.name, () => extension.onRun?.(report));
      }
    },
    onError: (error) => log.error({ err: error }, 'sync run crashed; next run on schedule'),
  });

  const running = scheduler;
  return {
    url,
    catalog,
    syncNow: () => running.runNow(),
    async stop() {
      log.info({}, 'serve stopping');
      await running.stop();
      await server.close();
      for (const extension of extensions) {
        await Promise.resolve()
          .then(() => extension.close?.())
          .catch((error: unknown) =>
            log.error(
              { err: error, extension: extension.name },
              'serve extension not closed cleanly',
            ),
          );
      }
      log.info({}, 'serve stopped');
    },
  };
}

function fetchListeners(
  first: FeedServerOptions['onFetch'],
  extensions: readonly ServeExtension[],
  log: Logger,
): FeedServerOptions['onFetch'] {
  const listeners = extensions.filter((extension) => extension.onFetch !== undefined);
  if (listeners.length === 0) return first;
  return (record) => {
    for (const extension of listeners)
      guard(log, extension.name, () => extension.onFetch?.(record));
    return first?.(record);
  };
}

function guard(log: Logger, name: string, call: () => void): void {
  try {
    call();
  } catch (error) {
    log.error({ err: error, extension: name }, 'serve extension hook failed');
  }
}

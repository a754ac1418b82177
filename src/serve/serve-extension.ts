import type { FastifyInstance } from 'fastify';
import type { LoadedConfig } from '../config/load-config.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import type { SyncReport } from '../sync/sync-report.js';
import type { FeedCatalog } from './feed-catalog.js';
import type { FetchRecord } from './feed-server-options.js';

/** What a running `iocrelay serve` gives the parts that plug into it. */
export interface ServeContext {
  /** The feed server's fastify instance, before it listens: add routes here. */
  readonly app: FastifyInstance;
  readonly config: LoadedConfig;
  /** The main store connection; a sync may hold its write lock for a while. */
  readonly store: Store;
  readonly catalog: FeedCatalog;
  readonly log: Logger;
  /** Runs the sync now, or waits for the run in progress. */
  readonly syncNow: () => Promise<void>;
  /** The report of the last finished run, or null before the first. */
  readonly lastReport: () => SyncReport | null;
}

/**
 * A part of `iocrelay serve` beside the feeds: metrics, health, the dashboard. Each one
 * registers its routes on the shared server and may follow runs and fetches; none of its
 * hooks may throw (a throw is logged and the serve goes on).
 *
 * @example
 * const health: ServeExtension = {
 *   name: 'health',
 *   register: ({ app }) => app.get('/readyz', () => 'ok'),
 * };
 */
export interface ServeExtension {
  /** A short name for the logs, such as `metrics`. */
  readonly name: string;
  register(context: ServeContext): void | Promise<void>;
  /** Called after each sync run. */
  onRun?(report: SyncReport): void;
  /** Called after each answered feed request. */
  onFetch?(record: FetchRecord): void;
  /** Called once on stop, after the server has closed. */
  close?(): void | Promise<void>;
}

import type { Logger } from '../log/logger.js';
import { openStore } from '../store/store.js';
import { createFetchRecorder, type FetchRecorder } from './fetch-recorder.js';

const DAY_MS = 86_400_000;

export interface DeliveryTrackingOptions {
  /** The SQLite file of `database`. */
  readonly database: string;
  /** `server.fetch_retention`, in seconds. */
  readonly retentionSeconds: number;
  readonly log: Logger;
  /** How often old records are deleted; once a day unless a test says otherwise. */
  readonly pruneIntervalMs?: number;
}

/** The fetch log of a running feed server. */
export interface DeliveryTracking {
  /** The feed server's `onFetch`. */
  readonly record: FetchRecorder['record'];
  /** Writes what is buffered, stops pruning and closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens delivery tracking for `iocrelay serve`: a store connection of its own with
 * busy_timeout 0 (a sync holds the main connection in a long write transaction, and a fetch
 * must never wait for it), a recorder that batches fetches onto it, and a daily prune of the
 * records older than the retention. A failed prune is logged and tried again the next day.
 *
 * @example
 * const tracking = await openDeliveryTracking({ database, retentionSeconds, log });
 * const serve = await startServe({ …, onFetch: tracking.record });
 * // on shutdown: await serve.stop(); await tracking.close();
 */
export async function openDeliveryTracking(
  options: DeliveryTrackingOptions,
): Promise<DeliveryTracking> {
  const log = options.log.child({ component: 'delivery' });
  const store = await openStore({ path: options.database, log, busyTimeoutMs: 0 });
  const recorder = createFetchRecorder({ store, log: options.log });
  const retentionMs = options.retentionSeconds * 1000;

  let pruning: Promise<void> = Promise.resolve();
  const prune = (): void => {
    pruning = store
      .pruneFetches(Date.now() - retentionMs)
      .then((deleted) => {
        if (deleted > 0)
          log.info({ deleted, retentionSeconds: options.retentionSeconds }, 'fetch records pruned');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'fetch records not pruned'));
  };
  prune();
  const timer = setInterval(prune, options.pruneIntervalMs ?? DAY_MS);
  timer.unref();

  return {
    record: recorder.record,
    async close() {
      clearInterval(timer);
      await pruning;
      await recorder.close();
      await store.close();
    },
  };
}

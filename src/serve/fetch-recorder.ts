import { isIocrelayError } from '../errors/iocrelay-error.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import type { FetchRecord } from './feed-server-options.js';

/** How often buffered fetch records are written. */
export const DEFAULT_FLUSH_INTERVAL_MS = 1_000;
/** Records held while the store cannot take them; the oldest go first beyond this. */
export const DEFAULT_MAX_BUFFERED = 50_000;

// Dropped records leave holes at the head of the buffer; it is copied down once they are many.
const COMPACT_AFTER = 1_024;

export interface FetchRecorderOptions {
  /**
   * The store the records go to. In `iocrelay serve`, a connection of its own opened with
   * busyTimeoutMs 0: the sync holds the main one in a long write transaction.
   */
  readonly store: Pick<Store, 'recordFetches'>;
  readonly log: Logger;
  readonly flushIntervalMs?: number;
  readonly maxBuffered?: number;
}

/** Buffers device fetches and writes them to the store in batches. */
export interface FetchRecorder {
  /** Buffers one record: the feed server's `onFetch`. Never throws, never waits. */
  readonly record: (record: FetchRecord) => void;
  /** Writes what is buffered now in one store call; never rejects. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left; later records are ignored. */
  close(): Promise<void>;
}

/**
 * Delivery tracking off the request path: `record` appends to a buffer, and a timer (which
 * does not keep the process alive) writes the buffer every `flushIntervalMs` with one
 * recordFetches call. While another connection holds the write lock (STORE_BUSY) the records
 * stay buffered for the next tick; past `maxBuffered` the oldest are dropped and counted in
 * one warning per flush. Any other store failure drops the batch with one error record:
 * delivery tracking is bookkeeping, and the devices already have their answers.
 *
 * @example
 * const recorder = createFetchRecorder({ store: trackingStore, log });
 * const server = createFeedServer({ catalog, tenants, log, onFetch: recorder.record });
 * // on shutdown, after the server has closed:
 * await recorder.close();
 */
export function createFetchRecorder(options: FetchRecorderOptions): FetchRecorder {
  const { store } = options;
  const log = options.log.child({ component: 'delivery' });
  const maxBuffered = Math.max(1, options.maxBuffered ?? DEFAULT_MAX_BUFFERED);

  let buffer: FetchRecord[] = [];
  let head = 0;
  let dropped = 0;
  let flushing: Promise<void> | null = null;
  let isClosed = false;

  const dropOldest = (): void => {
    const excess = buffer.length - head - maxBuffered;
    if (excess <= 0) return;
    head += excess;
    dropped += excess;
    if (head >= COMPACT_AFTER && head * 2 >= buffer.length) {
      buffer = buffer.slice(head);
      head = 0;
    }
  };

  const writeBatch = async (): Promise<void> => {
    const batch = head === 0 ? buffer : buffer.slice(head);
    buffer = [];
    head = 0;
    if (dropped > 0) {
      log.warn({ dropped, maxBuffered }, 'fetch records dropped: buffer full');
      dropped = 0;
    }
    if (batch.length === 0) return;

    try {
      await store.recordFetches(batch);
      log.debug({ records: batch.length }, 'fetch records written');
    } catch (error) {
      if (isIocrelayError(error, 'STORE_BUSY')) {
        // The sync holds the write lock: keep the batch, ahead of what came in meanwhile.
        buffer = batch.concat(buffer.slice(head));
        head = 0;
        dropOldest();
        log.debug({ records: buffer.length }, 'store busy: fetch records kept for next flush');
        return;
      }
      log.error({ err: error, records: batch.length }, 'fetch records not written: dropped');
    }
  };

  const flush = (): Promise<void> => {
    // One write at a time; a flush asked for during one runs right after it.
    const previous = flushing ?? Promise.resolve();
    const next = previous.then(writeBatch);
    flushing = next;
    void next.then(() => {
      if (flushing === next) flushing = null;
    });
    return next;
  };

  const timer = setInterval(
    () => void flush(),
    options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
  );
  timer.unref();

  return {
    record: (record) => {
      if (isClosed) return;
      buffer.push(record);
      if (buffer.length - head > maxBuffered) dropOldest();
    },
    flush,
    async close() {
      if (isClosed) return flushing ?? undefined;
      isClosed = true;
      clearInterval(timer);
      await flush();

      const left = buffer.length - head + dropped;
      if (left > 0) log.warn({ dropped: left }, 'fetch records dropped at close: store busy');
      buffer = [];
      head = 0;
      dropped = 0;
    },
  };
}

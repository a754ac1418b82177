import { setTimeout as sleep } from 'node:timers/promises';

import { isIocrelayError } from '../errors/iocrelay-error.js';

/**
 * How the dashboard retries a write refused with STORE_BUSY.
 *
 * @example
 * { intervalMs: 200, limitMs: 15_000 }
 */
export interface BusyRetry {
  /** Pause between attempts. */
  readonly intervalMs: number;
  /** No attempt starts later than this after the first; then STORE_BUSY stands. */
  readonly limitMs: number;
}

/** A sync pulling a large feed holds the write lock for seconds; 15 s covers most pulls. */
export const DEFAULT_BUSY_RETRY: BusyRetry = Object.freeze({ intervalMs: 200, limitMs: 15_000 });

/**
 * Runs a store write, and while it fails with STORE_BUSY runs it again after a timer, up to
 * the limit. The dashboard's connection has busy_timeout 0: better-sqlite3 waits for a lock
 * synchronously, which would stop the whole serve (feeds included) for the wait, so the wait
 * happens here, between event-loop turns, instead.
 *
 * @example
 * const entry = await retryWhileBusy(() => addAllowlistEntry(store, config, change), retry);
 */
export async function retryWhileBusy<T>(work: () => Promise<T>, retry: BusyRetry): Promise<T> {
  const deadline = Date.now() + retry.limitMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!isIocrelayError(error, 'STORE_BUSY') || Date.now() + retry.intervalMs > deadline) {
        throw error;
      }
    }
    await sleep(retry.intervalMs);
  }
}

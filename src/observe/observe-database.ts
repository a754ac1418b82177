import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Logger } from '../log/logger.js';
import { openDatabase } from '../store/open-database.js';
import type { StoreDatabase } from '../store/schema.js';

/**
 * Run statuses that count as a successful sync: every source was pulled and every list is
 * current or was deliberately held back by the shrink guard. `partial` (a list could not be
 * written) and `failed` do not.
 */
export const SUCCESSFUL_RUN_STATUSES = ['ok', 'held'] as const;

/** A read connection of the metrics and health endpoints, apart from the sync's. */
export interface ObserveDatabase {
  readonly database: BetterSqlite3.Database;
  readonly db: Kysely<StoreDatabase>;
  /** Unix milliseconds the last successful run finished, or null; throws when unreachable. */
  lastSuccessfulSyncAt(): number | null;
  close(): Promise<void>;
}

/**
 * Opens a store connection of its own for scrapes and health checks. The sync holds the main
 * connection for a whole run (a streaming candidate scan leaves it busy for any other query)
 * and may hold the write lock; under WAL this connection reads the last committed state
 * without waiting for either. With `database: :memory:` it is a separate, empty database.
 *
 * @example
 * const observe = await openObserveDatabase(config.database, log);
 * observe.lastSuccessfulSyncAt(); // 1767225600000
 */
export async function openObserveDatabase(path: string, log: Logger): Promise<ObserveDatabase> {
  const { database, db } = await openDatabase(path, log.child({ component: 'observe' }), {
    cacheMb: 16,
    busyTimeoutMs: 0,
  });
  const lastSuccess = database
    .prepare<[], number | null>(
      // Walks run ids from the newest; runs are few (one per interval) and most succeed.
      `SELECT finished_at FROM run WHERE status IN (${SUCCESSFUL_RUN_STATUSES.map((s) => `'${s}'`).join(', ')})
       ORDER BY id DESC LIMIT 1`,
    )
    .pluck();

  return {
    database,
    db,
    lastSuccessfulSyncAt: () => lastSuccess.get() ?? null,
    close: () => db.destroy(),
  };
}

import type { Kysely } from 'kysely';

import type { StoreDatabase } from './schema.js';

/** Where a source stands after its last successful pull. */
export interface SourceState {
  readonly source: string;
  /** Highest attribute timestamp (Unix seconds) stored; the next incremental pull starts here. */
  readonly cursor: number | null;
  /** Unix milliseconds of the last successful full pull. */
  readonly lastFullAt: number | null;
  /** Unix milliseconds of the last successful pull of either mode. */
  readonly lastSuccessAt: number | null;
}

/**
 * The state of one source, or null before its first successful pull.
 *
 * @example
 * const state = await getSourceState(db, 'misp');
 * const request = state?.cursor == null ? { mode: 'full' } : { mode: 'incremental', since: state.cursor };
 */
export async function getSourceState(
  db: Kysely<StoreDatabase>,
  source: string,
): Promise<SourceState | null> {
  const row = await db
    .selectFrom('source_state')
    .selectAll()
    .where('source', '=', source)
    .executeTakeFirst();
  if (row === undefined) return null;

  return {
    source: row.source,
    cursor: row.cursor,
    lastFullAt: row.last_full_at,
    lastSuccessAt: row.last_success_at,
  };
}

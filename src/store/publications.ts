import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';

import type { PublicationTable, StoreDatabase } from './schema.js';

/** Every status a publication can have. */
export const PUBLICATION_STATUSES = ['published', 'unchanged', 'held'] as const;

/**
 * `published`: a new list file went out. `unchanged`: the rendered list equals the last one, so
 * nothing was written. `held`: a safeguard stopped the list; the last good one stays.
 */
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

export interface PublicationRecord {
  readonly id: number;
  readonly runId: number;
  readonly tenant: string;
  readonly list: string;
  /** Unix milliseconds. */
  readonly publishedAt: number;
  readonly entries: number;
  readonly sha256: string;
  readonly bytes: number;
  readonly status: PublicationStatus;
  readonly added: number;
  readonly removed: number;
}

export interface RecordPublicationInput {
  readonly runId: number;
  readonly tenant: string;
  readonly list: string;
  readonly status: PublicationStatus;
  readonly entries: number;
  readonly sha256: string;
  readonly bytes: number;
  /** What the list now carries; read only when `status` is `published`. */
  readonly indicatorIds: readonly number[];
  /**
   * Why indicators the list carried are left out now, by indicator id (policy rules). A
   * removed indicator without one is recorded as `inactive`: no longer active at its source.
   */
  readonly removalReasons?: ReadonlyMap<number, RemovalReason>;
  readonly now: number;
}

export interface RemovalReason {
  readonly rule: string;
  readonly detail: string;
}

/** The rule of a removal the policy did not decide: the source no longer gives it. */
export const INACTIVE_REMOVAL: RemovalReason = Object.freeze({
  rule: 'inactive',
  detail: 'no longer active at its source (deleted or gone in MISP, or to_ids off)',
});

/** Indicators that entered and left the list with this publication. */
export interface PublicationDiff {
  readonly added: number;
  readonly removed: number;
}

// SQLite accepts up to 32,766 parameters in one statement; 500 rows keep each call cheap.
const ID_BATCH = 500;

/**
 * The last publication that put a list file out (status `published`), or null. Its sha256 is
 * the one devices are served.
 *
 * @example
 * const last = await lastPublication(db, 'acme', 'ip.txt');
 * if (last?.sha256 === sha256) status = 'unchanged';
 */
export async function lastPublication(
  db: Kysely<StoreDatabase>,
  tenant: string,
  list: string,
): Promise<PublicationRecord | null> {
  const row = await db
    .selectFrom('publication')
    .selectAll()
    .where('tenant', '=', tenant)
    .where('list', '=', list)
    .where('status', '=', 'published')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : toPublicationRecord(row);
}

export type RecordPublication = ((input: RecordPublicationInput) => PublicationDiff) & {
  /** How many entries the list now carries that `indicatorIds` leaves out; writes nothing. */
  readonly countRemoved: (tenant: string, list: string, indicatorIds: readonly number[]) => number;
};

/**
 * Prepares the publication writer on a connection. One call writes the publication row and,
 * for `published`, sets the list's entries to exactly `indicatorIds` and notes first
 * publications, all in one transaction (a savepoint inside an open one).
 *
 * @example
 * const record = prepareRecordPublication(database);
 * record({ runId, tenant: 'acme', list: 'ip.txt', status: 'published', ... });
 */
export function prepareRecordPublication(database: BetterSqlite3.Database): RecordPublication {
  database.exec(
    'CREATE TEMP TABLE IF NOT EXISTS publication_ids (indicator_id INTEGER PRIMARY KEY)',
  );

  const insertPublication = database
    .prepare<[number, string, string, number, number, string, number, string], number>(
      `INSERT INTO publication (run_id, tenant, list, published_at, entries, sha256, bytes,
         status, added, removed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0) RETURNING id`,
    )
    .pluck();
  const clearIds = database.prepare('DELETE FROM temp.publication_ids');
  const insertId = database.prepare<[number]>(
    'INSERT OR IGNORE INTO temp.publication_ids (indicator_id) VALUES (?)',
  );
  const insertIdBatch = database.prepare<number[]>(
    `INSERT OR IGNORE INTO temp.publication_ids (indicator_id) VALUES ${'(?),'.repeat(ID_BATCH - 1)}(?)`,
  );
  const deleteRemoved = database.prepare<[string, string]>(
    `DELETE FROM list_entry WHERE tenant = ? AND list = ?
       AND indicator_id NOT IN (SELECT indicator_id FROM temp.publication_ids)`,
  );
  const insertAdded = database.prepare<[string, string]>(
    `INSERT INTO list_entry (tenant, list, indicator_id)
     SELECT ?, ?, indicator_id FROM temp.publication_ids WHERE true ON CONFLICT DO NOTHING`,
  );
  const insertFirstPublished = database.prepare<[string, string, number]>(
    `INSERT INTO indicator_publication (indicator_id, tenant, list, first_published_at)
     SELECT indicator_id, ?, ?, ? FROM temp.publication_ids WHERE true ON CONFLICT DO NOTHING`,
  );
  const wasPublished = database
    .prepare<[string, string, number], number>(
      `SELECT EXISTS (SELECT 1 FROM publication
         WHERE tenant = ? AND list = ? AND status = 'published' AND id < ?)`,
    )
    .pluck();
  const logRemoved = database.prepare<[number, string, string, string, string]>(
    `INSERT INTO list_change (publication_id, indicator_id, change, rule, detail)
     SELECT ?, indicator_id, 'removed', ?, ? FROM list_entry WHERE tenant = ? AND list = ?
       AND indicator_id NOT IN (SELECT indicator_id FROM temp.publication_ids)`,
  );
  const setRemovalReason = database.prepare<[string, string, number, number]>(
    `UPDATE list_change SET rule = ?, detail = ?
     WHERE publication_id = ? AND indicator_id = ? AND change = 'removed'`,
  );
  const logAdded = database.prepare<[number, string, string]>(
    `INSERT INTO list_change (publication_id, indicator_id, change)
     SELECT ?, indicator_id, 'added' FROM temp.publication_ids
     WHERE indicator_id NOT IN (SELECT indicator_id FROM list_entry WHERE tenant = ? AND list = ?)`,
  );
  const setCounts = database.prepare<[number, number, number]>(
    'UPDATE publication SET added = ?, removed = ? WHERE id = ?',
  );

  const fillIds = (ids: readonly number[]): void => {
    clearIds.run();
    let i = 0;
    for (; i + ID_BATCH <= ids.length; i += ID_BATCH)
      insertIdBatch.run(...ids.slice(i, i + ID_BATCH));
    for (; i < ids.length; i++) insertId.run(ids[i] as number);
  };

  const countMissing = database
    .prepare<[string, string], number>(
      `SELECT count(*) FROM list_entry WHERE tenant = ? AND list = ?
         AND indicator_id NOT IN (SELECT indicator_id FROM temp.publication_ids)`,
    )
    .pluck();
  const countRemoved = database.transaction(
    (tenant: string, list: string, ids: readonly number[]): number => {
      fillIds(ids);
      const removed = countMissing.get(tenant, list) ?? 0;
      clearIds.run();
      return removed;
    },
  );

  const record = database.transaction((input: RecordPublicationInput): PublicationDiff => {
    const { runId, tenant, list, status, entries, sha256, bytes, now } = input;
    const id = insertPublication.get(runId, tenant, list, now, entries, sha256, bytes, status);
    if (id === undefined) throw new Error('publication insert returned no id');
    if (status !== 'published') return { added: 0, removed: 0 };

    fillIds(input.indicatorIds);
    const { rule, detail } = INACTIVE_REMOVAL;
    logRemoved.run(id, rule, detail, tenant, list);
    for (const [indicatorId, reason] of input.removalReasons ?? []) {
      setRemovalReason.run(reason.rule, reason.detail, id, indicatorId);
    }
    // A first publication adds the whole list: its row says how many, one line each is noise.
    if (wasPublished.get(tenant, list, id) === 1) logAdded.run(id, tenant, list);
    const removed = deleteRemoved.run(tenant, list).changes;
    const added = insertAdded.run(tenant, list).changes;
    insertFirstPublished.run(tenant, list, now);
    setCounts.run(added, removed, id);
    clearIds.run();

    return { added, removed };
  });

  return Object.assign((input: RecordPublicationInput) => record(input), { countRemoved });
}

export function toPublicationRecord(row: Selectable<PublicationTable>): PublicationRecord {
  return {
    id: row.id,
    runId: row.run_id,
    tenant: row.tenant,
    list: row.list,
    publishedAt: row.published_at,
    entries: row.entries,
    sha256: row.sha256,
    bytes: row.bytes,
    status: publicationStatusOf(row.status),
    added: row.added,
    removed: row.removed,
  };
}

function publicationStatusOf(value: string): PublicationStatus {
  const status = PUBLICATION_STATUSES.find((known) => known === value);
  if (status === undefined) throw new Error(`stored publication has unknown status ${value}`);
  return status;
}

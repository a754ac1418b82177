import type BetterSqlite3 from 'better-sqlite3';
import type { Histogram } from 'prom-client';
import type { Logger } from '../log/logger.js';
import type { FetchRecord } from '../serve/feed-server-options.js';
import { recordedInMispSql } from '../store/time-to-block.js';
import type { ListLabels } from './run-metrics.js';

// Versions a device was handed that the store may not have recorded yet, per list: the
// catalog swaps a version just before the run records its publication.
const MAX_PENDING_VERSIONS = 8;

// Rows read per statement while settling: a page held the event loop up to 52 ms on a
// 1,000,000-entry list (3.5 s in all, in the background), so a feed request waits at most that.
const PAGE_ROWS = 10_000;

interface Settled {
  readonly id: number;
  readonly publishedAt: number;
}

interface ListState {
  readonly labels: ListLabels;
  /** The last publication whose indicators were observed (delivered), or null. */
  settled: Settled | null;
  settledSha256: string | null;
  /** sha256 → Unix ms of the first delivery of that version since it was last settled. */
  readonly pending: Map<string, number>;
  isSettling: boolean;
  /** A delivery came while settling: settle once more after. */
  isAgain: boolean;
}

interface RecordedRow {
  id: number;
  recorded_at: number | null;
  source_kind: SourceKind | null;
}

/** Where the attribute that set an indicator's MISP time came from: a MISP server or a feed. */
export type SourceKind = 'misp' | 'feed';

interface PublicationRow {
  id: number;
  published_at: number;
  sha256: string;
}

/** Feeds `iocrelay_time_to_block_seconds` from device deliveries. */
export interface TimeToBlockTracker {
  /** Notes a delivery (200 to GET, or 304) of a configured list; cheap, defers store reads. */
  onFetch(record: FetchRecord): void;
  /** Settles every list with a delivery the store can now account for; after each run. */
  settleAll(): void;
  /** Stops: a settling in progress ends at its next page. */
  stop(): void;
}

/**
 * Observes each indicator's time to block once per tenant list: when a device first
 * receives (200 to GET, or 304) a publication of the list that carries it, the value is that
 * delivery time minus when MISP recorded the indicator (the same definition as `iocrelay
 * explain`: the earliest MISP timestamp of its attributes, each capped at iocrelay's first
 * store of it). An indicator added and removed between two deliveries never reached a device
 * and is not observed; one that left the list and came back was counted the first time.
 *
 * Cost is bounded by the changes, not the store: a delivery of a version already settled is
 * a map lookup; the first delivery of a new publication reads the `added` change rows of the
 * publications since the last delivered one (primary-key ranges) with one index seek each
 * for list membership, first publication and MISP time. Only a list never delivered before
 * reads its whole content, once. Rows are read in pages of PAGE_ROWS with a turn of the event
 * loop between pages, so a large list never holds up the feeds. Nothing is read at scrape.
 *
 * At start, each list is seeded with the last publication current at its last recorded
 * delivery (one scan of the list's part of the fetch index), so a restart neither counts an
 * indicator twice nor misses one published but not yet fetched. Counters restart at 0, as
 * Prometheus expects of a restarted process.
 *
 * @example
 * const tracker = createTimeToBlockTracker(database, lists, metrics.timeToBlock, log);
 * tracker.onFetch(record);
 */
export function createTimeToBlockTracker(
  database: BetterSqlite3.Database,
  lists: readonly ListLabels[],
  histogram: Histogram<'tenant' | 'source_kind'>,
  log: Logger,
): TimeToBlockTracker {
  const queries = prepareQueries(database);
  const states = new Map<string, ListState>();
  for (const labels of lists) states.set(keyOf(labels), seedState(queries, labels));
  let isStopped = false;

  // One settling per list at a time; a delivery meanwhile asks for one more round.
  const settle = (state: ListState): void => {
    if (state.isSettling) {
      state.isAgain = true;
      return;
    }
    state.isSettling = true;
    settleList(state)
      .catch((error: unknown) => {
        if (!isStopped) log.warn({ err: error, ...state.labels }, 'time to block not observed');
      })
      .finally(() => {
        state.isSettling = false;
        if (state.isAgain && !isStopped) {
          state.isAgain = false;
          settle(state);
        }
      });
  };

  const settleList = async (state: ListState): Promise<void> => {
    const { tenant, list } = state.labels;
    const current = queries.lastPublication.get({ tenant, list });
    if (current === undefined) return;
    if (state.settled !== null && current.id <= state.settled.id) {
      state.pending.delete(current.sha256);
      return;
    }
    const at = state.pending.get(current.sha256);
    if (at === undefined) return;
    if (at < current.published_at) {
      // A delivery of the same bytes published earlier (a list that went back to them).
      state.pending.delete(current.sha256);
      return;
    }

    const observe = (row: RecordedRow): void => {
      if (row.recorded_at === null) return;
      const labels = { tenant, source_kind: row.source_kind ?? 'misp' };
      histogram.observe(labels, Math.max(0, at - row.recorded_at) / 1000);
    };
    if (state.settled === null) {
      await eachPage(
        (after) => queries.wholeList.all({ tenant, list, after, upTo: current.published_at }),
        observe,
      );
    } else {
      const between = { tenant, list, afterId: state.settled.id, upToId: current.id };
      for (const publication of queries.publicationsBetween.all(between)) {
        await eachPage(
          (after) =>
            queries.addedBy.all({
              tenant,
              list,
              after,
              publication: publication.id,
              publishedAt: publication.published_at,
            }),
          observe,
        );
      }
    }
    state.settled = { id: current.id, publishedAt: current.published_at };
    state.settledSha256 = current.sha256;
    // Keep only deliveries of a version newer than this one (not yet recorded by its run).
    for (const [sha256, deliveredAt] of state.pending) {
      if (sha256 === current.sha256 || deliveredAt < current.published_at)
        state.pending.delete(sha256);
    }
  };

  const eachPage = async (
    page: (after: number) => RecordedRow[],
    observe: (row: RecordedRow) => void,
  ): Promise<void> => {
    let after = 0;
    for (;;) {
      if (isStopped) throw new Error('time to block tracker stopped');
      const rows = page(after);
      for (const row of rows) observe(row);
      if (rows.length < PAGE_ROWS) return;

      after = rows[rows.length - 1]?.id ?? after;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  return {
    onFetch(record) {
      const isDelivery =
        record.status === 304 || (record.status === 200 && record.method === 'GET');
      if (!isDelivery || record.device === null || record.sha256 === null) return;
      const state = states.get(keyOf(record));
      if (state === undefined || record.sha256 === state.settledSha256) return;
      if (state.pending.has(record.sha256)) return;

      if (state.pending.size >= MAX_PENDING_VERSIONS) {
        const oldest = state.pending.keys().next().value;
        if (oldest !== undefined) state.pending.delete(oldest);
      }
      state.pending.set(record.sha256, record.at);
      settle(state);
    },
    settleAll() {
      for (const state of states.values()) if (state.pending.size > 0) settle(state);
    },
    stop() {
      isStopped = true;
    },
  };
}

function keyOf(labels: ListLabels): string {
  return `${labels.tenant}/${labels.list}`;
}

function seedState(queries: Queries, labels: ListLabels): ListState {
  const lastDeliveryAt = queries.lastDeliveryAt.get(labels) ?? null;
  const row =
    lastDeliveryAt === null
      ? undefined
      : queries.publicationAt.get({ ...labels, at: lastDeliveryAt });
  return {
    labels,
    settled: row === undefined ? null : { id: row.id, publishedAt: row.published_at },
    settledSha256: row?.sha256 ?? null,
    pending: new Map(),
    isSettling: false,
    isAgain: false,
  };
}

type Queries = ReturnType<typeof prepareQueries>;

// MISP time of an indicator, as explain gives it (attribute_indicator index), and the
// kind of source of the attribute that set it: a feed's attributes keep their original
// timestamps, often months old, so the alert rule watches MISP-set times only.
const RECORDED_AT = `${recordedInMispSql('x.indicator_id')} AS recorded_at,
  (SELECT CASE WHEN a.source LIKE 'feed:%' THEN 'feed' ELSE 'misp' END
  FROM attribute a WHERE a.indicator_id = x.indicator_id
  ORDER BY min(a.timestamp * 1000, a.first_stored_at), a.id LIMIT 1) AS source_kind`;

// The list carries the indicator now (list_entry primary key).
const ON_LIST = `EXISTS (SELECT 1 FROM list_entry e WHERE e.tenant = @tenant AND e.list = @list
  AND e.indicator_id = x.indicator_id)`;

// When the list first carried the indicator (indicator_publication primary key).
const FIRST_PUBLISHED = `(SELECT ip.first_published_at FROM indicator_publication ip
  WHERE ip.indicator_id = x.indicator_id AND ip.tenant = @tenant AND ip.list = @list)`;

function prepareQueries(database: BetterSqlite3.Database) {
  return {
    lastPublication: database.prepare<ListLabels, PublicationRow>(
      `SELECT id, published_at, sha256 FROM publication
       WHERE tenant = @tenant AND list = @list AND status = 'published'
       ORDER BY id DESC LIMIT 1`,
    ),
    // Index-only on fetch_device (tenant, list, device, …, at, status). A 200 to HEAD counts
    // too: the method is not in the index, and a HEAD-only device is rare enough.
    lastDeliveryAt: database
      .prepare<ListLabels, number | null>(
        `SELECT max(at) FROM fetch WHERE tenant = @tenant AND list = @list
           AND device IS NOT NULL AND status IN (200, 304)`,
      )
      .pluck(),
    publicationAt: database.prepare<ListLabels & { at: number }, PublicationRow>(
      `SELECT id, published_at, sha256 FROM publication
       WHERE tenant = @tenant AND list = @list AND status = 'published' AND published_at <= @at
       ORDER BY id DESC LIMIT 1`,
    ),
    publicationsBetween: database.prepare<
      ListLabels & { afterId: number; upToId: number },
      PublicationRow
    >(
      `SELECT id, published_at, sha256 FROM publication
       WHERE tenant = @tenant AND list = @list AND status = 'published'
         AND id > @afterId AND id <= @upToId ORDER BY id`,
    ),
    // A list never delivered: all it carries, up to the publication delivered (a run may
    // record a newer one while the pages are read).
    wholeList: database.prepare<ListLabels & { after: number; upTo: number }, RecordedRow>(
      `SELECT x.indicator_id AS id, ${RECORDED_AT} FROM list_entry x
       WHERE x.tenant = @tenant AND x.list = @list AND x.indicator_id > @after
         AND ${FIRST_PUBLISHED} <= @upTo
       ORDER BY x.indicator_id LIMIT ${PAGE_ROWS}`,
    ),
    // What one publication added for the first time in the list's life and the list still
    // carries; an indicator that came back has an earlier first publication and is skipped.
    addedBy: database.prepare<
      ListLabels & { after: number; publication: number; publishedAt: number },
      RecordedRow
    >(
      `SELECT x.indicator_id AS id, ${RECORDED_AT} FROM list_change x
       WHERE x.publication_id = @publication AND x.change = 'added' AND x.indicator_id > @after
         AND ${ON_LIST} AND ${FIRST_PUBLISHED} = @publishedAt
       ORDER BY x.indicator_id LIMIT ${PAGE_ROWS}`,
    ),
  };
}

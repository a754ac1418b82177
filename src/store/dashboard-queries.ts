import type BetterSqlite3 from 'better-sqlite3';
import type { Selectable } from 'kysely';

import type { IndicatorKind } from '../normalize/indicator.js';
import { toPublicationRecord, type PublicationRecord } from './publications.js';
import type { ListChange } from './list-changes.js';
import type { PublicationTable } from './schema.js';
import { attempt } from './store-error.js';

/** One tenant list, as configured. */
export interface ListRef {
  readonly tenant: string;
  readonly list: string;
}

/** Entries added to and removed from lists on one UTC day. */
export interface DailyChanges {
  /** Unix milliseconds of the day's start (UTC). */
  readonly day: number;
  readonly added: number;
  readonly removed: number;
}

/** A run that published nothing. */
export interface FailedRun {
  readonly id: number;
  readonly startedAt: number;
  readonly errorCode: string | null;
  /** The error's message from the run summary, when it has one. */
  readonly message: string | null;
  readonly source: string | null;
}

/** An indicator a list carries. */
export interface ListedIndicator {
  readonly id: number;
  readonly kind: IndicatorKind;
  readonly value: string;
}

/** One publication with the first of its changes, removals first. */
export interface PublicationPageItem {
  readonly publication: PublicationRecord;
  readonly isFirst: boolean;
  readonly changes: readonly ListChange[];
}

/**
 * Read queries of the dashboard. Each reads through an index and returns one page, so a page
 * costs the same with a thousand indicators or a million (measured in docs/dashboard.md).
 *
 * @example
 * const queries = createDashboardQueries(database);
 * await queries.indicatorCounts(); // [{ kind: 'ip', count: 120 }, …]
 */
export interface DashboardQueries {
  /** Indicators in the store by kind (every state). */
  indicatorCounts(): Promise<readonly { kind: IndicatorKind; count: number }[]>;
  /** Per UTC day since `sinceMs`: entries added and removed by `published` publications. */
  dailyChanges(lists: readonly ListRef[], sinceMs: number): Promise<readonly DailyChanges[]>;
  /** Failed runs, newest first, before run `beforeId` when given. */
  failedRuns(limit: number, beforeId?: number): Promise<readonly FailedRun[]>;
  /** The `published` publications of some lists, newest first, before `beforeId`. */
  publications(
    lists: readonly ListRef[],
    limit: number,
    maxChanges: number,
    beforeId?: number,
  ): Promise<readonly PublicationPageItem[]>;
  /** The newest indicators a list carries (highest id first). */
  newestListed(ref: ListRef, limit: number): Promise<readonly ListedIndicator[]>;
}

type PublicationRow = Selectable<PublicationTable>;

const DAY_MS = 86_400_000;

/**
 * Prepares the dashboard's queries on a connection.
 *
 * @example
 * const queries = createDashboardQueries(database);
 */
export function createDashboardQueries(database: BetterSqlite3.Database): DashboardQueries {
  // Walks the covering index indicator_kind_value: one pass, no table read.
  const counts = database.prepare<[], { kind: string; count: number }>(
    'SELECT kind, count(*) AS count FROM indicator GROUP BY kind ORDER BY kind',
  );
  // publication_tenant_list ends with the rowid, so `id < ?` and the descending order come
  // from the index: the walk stops as soon as it is past the window.
  const publishedOfList = database.prepare<
    { tenant: string; list: string; before: number; limit: number },
    PublicationRow
  >(
    `SELECT * FROM publication WHERE tenant = @tenant AND list = @list
       AND status = 'published' AND id < @before ORDER BY id DESC LIMIT @limit`,
  );
  const earlier = database
    .prepare<{ tenant: string; list: string; id: number }, number>(
      `SELECT 1 FROM publication WHERE tenant = @tenant AND list = @list
         AND status = 'published' AND id < @id LIMIT 1`,
    )
    .pluck();
  const changesOf = database.prepare<
    { id: number; change: string; limit: number },
    { kind: string; value: string; rule: string | null; detail: string | null }
  >(
    `SELECT i.kind, i.value, c.rule, c.detail FROM list_change c
     JOIN indicator i ON i.id = c.indicator_id
     WHERE c.publication_id = @id AND c.change = @change LIMIT @limit`,
  );
  const failed = database.prepare<
    { before: number; limit: number },
    {
      id: number;
      started_at: number;
      error_code: string | null;
      message: string | null;
      source: string | null;
    }
  >(
    `SELECT id, started_at, error_code, json_extract(summary, '$.error.message') AS message,
       json_extract(summary, '$.error.source') AS source
     FROM run WHERE status = 'failed' AND id < @before ORDER BY id DESC LIMIT @limit`,
  );
  const newest = database.prepare<
    { tenant: string; list: string; limit: number },
    { id: number; kind: string; value: string }
  >(
    `SELECT e.indicator_id AS id, i.kind, i.value FROM list_entry e
     JOIN indicator i ON i.id = e.indicator_id
     WHERE e.tenant = @tenant AND e.list = @list ORDER BY e.indicator_id DESC LIMIT @limit`,
  );

  return {
    indicatorCounts: () =>
      attempt('indicatorCounts', () =>
        counts.all().map((row) => ({ kind: row.kind as IndicatorKind, count: row.count })),
      ),

    dailyChanges: (lists, sinceMs) =>
      attempt('dailyChanges', () => {
        const days = new Map<number, { added: number; removed: number }>();
        for (const ref of lists) {
          const rows = publishedOfList.iterate({
            ...ref,
            before: Number.MAX_SAFE_INTEGER,
            limit: -1,
          });
          for (const row of rows) {
            if (row.published_at < sinceMs) break;
            const day = Math.floor(row.published_at / DAY_MS) * DAY_MS;
            const total = days.get(day) ?? { added: 0, removed: 0 };
            total.added += row.added;
            total.removed += row.removed;
            days.set(day, total);
          }
        }
        return [...days].map(([day, total]) => ({ day, ...total })).sort((a, b) => a.day - b.day);
      }),

    failedRuns: (limit, beforeId) =>
      attempt('failedRuns', () =>
        failed.all({ before: beforeId ?? Number.MAX_SAFE_INTEGER, limit }).map((row) => ({
          id: row.id,
          startedAt: row.started_at,
          errorCode: row.error_code,
          message: row.message,
          source: row.source,
        })),
      ),

    publications: (lists, limit, maxChanges, beforeId) =>
      attempt('publications', () => {
        const before = beforeId ?? Number.MAX_SAFE_INTEGER;
        const rows = lists
          .flatMap((ref) => publishedOfList.all({ ...ref, before, limit }))
          .sort((a, b) => b.id - a.id)
          .slice(0, limit);
        return rows.map((row) => {
          const isFirst =
            earlier.get({ tenant: row.tenant, list: row.list, id: row.id }) === undefined;
          const removed = changesOf.all({ id: row.id, change: 'removed', limit: maxChanges });
          const added = isFirst
            ? []
            : changesOf.all({ id: row.id, change: 'added', limit: maxChanges - removed.length });
          return {
            publication: toPublicationRecord(row),
            isFirst,
            changes: [
              ...removed.map((c) => toChange('removed', c)),
              ...added.map((c) => toChange('added', c)),
            ],
          };
        });
      }),

    newestListed: (ref, limit) =>
      attempt('newestListed', () =>
        newest.all({ ...ref, limit }).map((row) => ({ ...row, kind: row.kind as IndicatorKind })),
      ),
  };
}

function toChange(
  change: 'added' | 'removed',
  row: { kind: string; value: string; rule: string | null; detail: string | null },
): ListChange {
  return {
    change,
    kind: row.kind as IndicatorKind,
    value: row.value,
    rule: row.rule,
    detail: row.detail,
  };
}

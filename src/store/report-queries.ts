import type BetterSqlite3 from 'better-sqlite3';

import type { IndicatorKind } from '../normalize/indicator.js';
import type { PolicyAttribute } from '../policy/tenant-selection.js';
import { ATTRIBUTED_FETCH_SQL } from './device-status.js';
import { readProvenance, type EventContribution } from './report-provenance.js';
import { firstDeliveries, type TimeToBlockSamples } from './report-time-to-block.js';

export type { EventContribution };

/** What a monthly report asks of the store. Times are Unix milliseconds, `end` excluded. */
export interface MonthReportQuery {
  readonly tenant: string;
  /** The tenant's configured list files. */
  readonly lists: readonly string[];
  readonly start: number;
  readonly end: number;
  /** Length of one device interval (`server.stale_after`), in milliseconds. */
  readonly intervalMs: number;
  /** How many MISP events to rank. */
  readonly topEvents: number;
  /** Whether an attribute counts for the tenant (its current selection policy). */
  readonly isSelected: (attribute: PolicyAttribute, kind: IndicatorKind) => boolean;
}

/** The store's figures for one tenant and month, before any rounding or layout. */
export interface MonthReportRows {
  /** Distinct indicators on at least one of the tenant's lists at some time in the month. */
  readonly indicators: number;
  readonly byKind: readonly { readonly kind: string; readonly indicators: number }[];
  /** Per source: indicators with at least one selected attribute from it. */
  readonly bySource: readonly { readonly source: string; readonly indicators: number }[];
  /** Indicators no stored attribute gives the tenant under the current policy. */
  readonly withoutSource: number;
  readonly topEvents: readonly EventContribution[];
  /** Per UTC day with a publication: list entries added and removed. */
  readonly days: readonly {
    readonly day: number;
    readonly added: number;
    readonly removed: number;
  }[];
  readonly devices: readonly DeviceMonth[];
  readonly timeToBlock: TimeToBlockSamples;
}

/** One device (identity and client address) seen in the month. */
export interface DeviceMonth {
  readonly device: string;
  readonly clientIp: string;
  /** Intervals of the month with at least one fetch answered 200 or 304. */
  readonly activeIntervals: number;
  /** Fetches answered 200, 304 or 403 in the month. */
  readonly fetches: number;
  readonly lastFetchAt: number;
}

// The indicators a list carried at some time in [start, end): its content at the last
// publication at or before start (or its first one, if later), plus what it added before end.
// That content is the current one rolled back: an indicator changed since carried it then if
// its first change since was a removal. The first publication logs no `added` rows, which the
// roll-back covers, as it starts at that publication.
const COLLECT_LIST_SQL = `
WITH ch AS (
  SELECT c.indicator_id, c.publication_id, c.change, p.published_at
  FROM publication p JOIN list_change c ON c.publication_id = p.id
  WHERE p.tenant = @tenant AND p.list = @list AND p.status = 'published' AND p.id > @from
), firsts AS (
  SELECT indicator_id, min(publication_id) AS publication_id FROM ch GROUP BY indicator_id
)
INSERT OR IGNORE INTO temp.report_indicator (indicator_id)
SELECT ch.indicator_id FROM firsts JOIN ch USING (indicator_id, publication_id)
WHERE ch.change = 'removed'
UNION ALL
SELECT indicator_id FROM list_entry WHERE tenant = @tenant AND list = @list
  AND indicator_id NOT IN (SELECT indicator_id FROM firsts)
UNION ALL
SELECT indicator_id FROM ch WHERE change = 'added' AND published_at < @end`;

const FROM_PUBLICATION_SQL = `
SELECT coalesce(
  (SELECT max(id) FROM publication WHERE tenant = @tenant AND list = @list
     AND status = 'published' AND published_at <= @start),
  (SELECT min(id) FROM publication WHERE tenant = @tenant AND list = @list
     AND status = 'published' AND published_at < @end))`;

/**
 * The figures of a tenant's monthly report. Reads the lists' publications and change log
 * since the month began, the attributes of the month's indicators, and the month's fetches;
 * the selected indicators sit in a temporary table for the length of the call.
 *
 * @example
 * monthReport(database, { tenant: 'acme', lists: ['ip.txt'], start, end, … });
 * // { indicators: 3, byKind: [{ kind: 'ip', indicators: 3 }], … }
 */
export function monthReport(
  database: BetterSqlite3.Database,
  query: MonthReportQuery,
): MonthReportRows {
  database.exec(
    'CREATE TEMP TABLE IF NOT EXISTS report_indicator (indicator_id INTEGER PRIMARY KEY)',
  );
  const run = database.transaction((): MonthReportRows => {
    database.exec('DELETE FROM temp.report_indicator');
    collectIndicators(database, query);

    const byKind = database
      .prepare<[], { kind: string; indicators: number }>(
        `SELECT i.kind, count(*) AS indicators FROM temp.report_indicator r
         JOIN indicator i ON i.id = r.indicator_id GROUP BY i.kind ORDER BY i.kind`,
      )
      .all();
    const provenance = readProvenance(database, query);
    const rows: MonthReportRows = {
      indicators: byKind.reduce((sum, row) => sum + row.indicators, 0),
      byKind,
      ...provenance,
      days: dailyChanges(database, query),
      devices: deviceMonths(database, query),
      timeToBlock: firstDeliveries(database, query, provenance.recordedAt),
    };
    database.exec('DELETE FROM temp.report_indicator');
    return rows;
  });
  return run();
}

function collectIndicators(database: BetterSqlite3.Database, query: MonthReportQuery): void {
  const fromPublication = database
    .prepare<{ tenant: string; list: string; start: number; end: number }, number | null>(
      FROM_PUBLICATION_SQL,
    )
    .pluck();
  const collect = database.prepare<{ tenant: string; list: string; from: number; end: number }>(
    COLLECT_LIST_SQL,
  );

  for (const list of query.lists) {
    const { tenant, start, end } = query;
    const from = fromPublication.get({ tenant, list, start, end }) ?? null;
    if (from !== null) collect.run({ tenant, list, from, end });
  }
}

const DAY_MS = 86_400_000;

function dailyChanges(
  database: BetterSqlite3.Database,
  query: MonthReportQuery,
): MonthReportRows['days'] {
  return database
    .prepare<
      { tenant: string; lists: string; start: number; end: number },
      { day: number; added: number; removed: number }
    >(
      `SELECT CAST(@start AS INTEGER) + (published_at - CAST(@start AS INTEGER)) / ${DAY_MS} * ${DAY_MS} AS day,
         sum(added) AS added, sum(removed) AS removed
       FROM publication WHERE tenant = @tenant AND status = 'published'
         AND list IN (SELECT value FROM json_each(@lists))
         AND published_at >= @start AND published_at < @end
       GROUP BY day ORDER BY day`,
    )
    .all({
      tenant: query.tenant,
      lists: JSON.stringify(query.lists),
      start: query.start,
      end: query.end,
    });
}

function deviceMonths(database: BetterSqlite3.Database, query: MonthReportQuery): DeviceMonth[] {
  const rows = database
    .prepare<
      { tenant: string; start: number; end: number; interval: number },
      { device: string; client_ip: string; active: number; fetches: number; last_at: number }
    >(
      `SELECT device, client_ip, count(*) AS fetches, max(at) AS last_at,
         count(DISTINCT CASE WHEN status IN (200, 304) THEN (at - CAST(@start AS INTEGER)) / CAST(@interval AS INTEGER) END)
           AS active
       FROM fetch WHERE tenant = @tenant AND at >= @start AND at < @end
         AND ${ATTRIBUTED_FETCH_SQL}
       GROUP BY device, client_ip ORDER BY device, client_ip`,
    )
    .all({ tenant: query.tenant, start: query.start, end: query.end, interval: query.intervalMs });

  return rows.map((row) => ({
    device: row.device,
    clientIp: row.client_ip,
    activeIntervals: row.active,
    fetches: row.fetches,
    lastFetchAt: row.last_at,
  }));
}

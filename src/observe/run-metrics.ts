import { POLICY_RULES } from '../policy/list-policy.js';
import { recentRuns } from '../store/runs.js';
import type { ListReport, SourceReport, SyncReport } from '../sync/sync-report.js';
import type { IocrelayMetrics } from './metrics-registry.js';
import type { ObserveDatabase } from './observe-database.js';

/** A configured tenant list, as labelled in the metrics. */
export interface ListLabels {
  readonly tenant: string;
  readonly list: string;
}

// Runs read at start to find each source's last pull: a source missing from the latest run
// (a failed run stops at the failing source) is usually in one of the few before it.
const SEED_RUNS = 20;

/**
 * Counts a finished run: its outcome, the attributes each source gave and the values
 * rejected, then the gauges of recordRunGauges.
 *
 * @example
 * recordRun(metrics, report, Date.now());
 */
export function recordRun(metrics: IocrelayMetrics, report: SyncReport, finishedAt: number): void {
  metrics.syncRuns.inc({ status: report.status });
  for (const source of report.sources)
    metrics.sourceAttributesRead.inc({ source: source.source }, source.attributes);
  for (const [reason, count] of Object.entries(report.rejected)) {
    if (count !== undefined && count > 0) metrics.rejectedValues.inc({ reason }, count);
  }
  recordRunGauges(metrics, report, finishedAt);
}

/**
 * Sets the gauges a run decides: each source's last pull, the last run's time and duration,
 * and per list whether it was held and how many entries each rule kept off it.
 * Also used at start on the runs in the store, so it reads the run report defensively.
 *
 * @example
 * recordRunGauges(metrics, report, Date.now());
 */
export function recordRunGauges(
  metrics: IocrelayMetrics,
  report: Partial<Pick<SyncReport, 'status' | 'sources' | 'lists' | 'durationMs'>>,
  finishedAt: number,
): void {
  const seconds = finishedAt / 1000;
  for (const source of report.sources ?? []) setSourceGauges(metrics, source, seconds);
  metrics.lastRunTimestamp.set(seconds);
  if (typeof report.durationMs === 'number') metrics.lastRunDuration.set(report.durationMs / 1000);

  for (const list of report.lists ?? []) setListGauges(metrics, list);
}

/**
 * Seeds the gauges from the store before the first run, so a restarted serve reports the
 * state it left: the last runs (sources, success, rules) and each list's last publication.
 *
 * @example
 * await seedRunMetrics(metrics, observe, configuredLists);
 */
export async function seedRunMetrics(
  metrics: IocrelayMetrics,
  observe: Pick<ObserveDatabase, 'db' | 'database' | 'lastSuccessfulSyncAt'>,
  lists: readonly ListLabels[],
): Promise<void> {
  const runs = (await recentRuns(observe.db, SEED_RUNS)).filter((run) => run.finishedAt !== null);
  const configured = new Set(lists.map((labels) => `${labels.tenant}/${labels.list}`));

  // Oldest first, so each source and list ends with its newest run's values.
  for (const run of [...runs].reverse()) {
    const summary = (run.summary ?? {}) as Partial<SyncReport>;
    // A list since removed from the configuration gets no series back.
    const reported: readonly ListReport[] = Array.isArray(summary.lists) ? summary.lists : [];
    const sources: readonly SourceReport[] = Array.isArray(summary.sources) ? summary.sources : [];
    recordRunGauges(
      metrics,
      {
        sources,
        lists: reported.filter((list) => configured.has(`${list.tenant}/${list.list}`)),
        ...(typeof summary.durationMs === 'number' ? { durationMs: summary.durationMs } : {}),
      },
      run.finishedAt ?? 0,
    );
  }
  refreshStoreGauges(metrics, observe, lists);
}

/**
 * Sets from the store what it holds exactly: the time the last successful run finished, and
 * each list's entries and last publication time (what the folder, S3 and the feed server
 * hold; a list never published is left out). Synchronous, one index seek per list, so a
 * scrape right after a run sees the run's values.
 *
 * @example
 * refreshStoreGauges(metrics, observe, [{ tenant: 'acme', list: 'ip.txt' }]);
 */
export function refreshStoreGauges(
  metrics: IocrelayMetrics,
  observe: Pick<ObserveDatabase, 'database' | 'lastSuccessfulSyncAt'>,
  lists: readonly ListLabels[],
): void {
  const lastSuccessAt = observe.lastSuccessfulSyncAt();
  if (lastSuccessAt !== null) metrics.lastSuccessfulSync.set(lastSuccessAt / 1000);

  const last = observe.database.prepare<ListLabels, { entries: number; published_at: number }>(
    `SELECT entries, published_at FROM publication
     WHERE tenant = @tenant AND list = @list AND status = 'published' ORDER BY id DESC LIMIT 1`,
  );
  for (const labels of lists) {
    const row = last.get(labels);
    if (row === undefined) continue;

    metrics.listEntries.set(labels, row.entries);
    metrics.listLastPublication.set(labels, row.published_at / 1000);
  }
}

function setSourceGauges(metrics: IocrelayMetrics, source: SourceReport, seconds: number): void {
  const labels = { source: source.source };
  metrics.sourceLastSyncTimestamp.set(labels, seconds);
  metrics.sourceLastSyncDuration.set(labels, source.durationMs / 1000);
  metrics.sourceLastSyncSuccess.set(labels, source.status === 'ok' ? 1 : 0);
}

function setListGauges(metrics: IocrelayMetrics, list: ListReport): void {
  const labels = { tenant: list.tenant, list: list.list };
  metrics.listHeld.set(labels, list.status === 'held' || list.status === 'failed' ? 1 : 0);
  // Every rule gets a value, so a rule that stopped removing entries drops to 0.
  for (const rule of POLICY_RULES)
    metrics.listRemovedEntries.set({ ...labels, rule }, list.removedByRule[rule] ?? 0);
}

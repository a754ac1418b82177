import { Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { SyncReport } from '../sync/sync-report.js';

/**
 * Every `status` of `iocrelay_sync_runs_total`, each exposed at 0 from the start: a series
 * that appears only at its first increment hides that increment from `increase()`.
 */
export const SYNC_RUN_STATUSES = [
  'ok',
  'held',
  'partial',
  'failed',
] as const satisfies readonly SyncReport['status'][];

/**
 * Buckets of `iocrelay_time_to_block_seconds`, from one minute (a device polling every
 * minute right after a run) to a week; an indicator MISP recorded long before iocrelay first
 * pulled it lands in +Inf.
 */
export const TIME_TO_BLOCK_BUCKETS = [
  60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 86_400, 604_800,
] as const;

/** The metrics of one `iocrelay serve`, on a registry of their own (never the global one). */
export interface IocrelayMetrics {
  readonly registry: Registry;
  readonly sourceLastSyncTimestamp: Gauge<'source'>;
  readonly sourceLastSyncDuration: Gauge<'source'>;
  readonly sourceLastSyncSuccess: Gauge<'source'>;
  readonly sourceAttributesRead: Counter<'source'>;
  readonly syncRuns: Counter<'status'>;
  readonly lastSuccessfulSync: Gauge;
  readonly lastRunTimestamp: Gauge;
  readonly lastRunDuration: Gauge;
  readonly listEntries: Gauge<'tenant' | 'list'>;
  readonly listLastPublication: Gauge<'tenant' | 'list'>;
  readonly listHeld: Gauge<'tenant' | 'list'>;
  readonly rejectedValues: Counter<'reason'>;
  readonly listRemovedEntries: Gauge<'tenant' | 'list' | 'rule'>;
  readonly feedFetches: Counter<'tenant' | 'list' | 'status'>;
  readonly staleDevices: Gauge<'tenant' | 'list'>;
  readonly timeToBlock: Histogram<'tenant' | 'source_kind'>;
}

/**
 * Creates every iocrelay metric on a new registry. Names and labels are a contract with the
 * alert rules in deploy/prometheus/iocrelay-rules.yml and docs/metrics.md: a test scrapes a
 * real serve and checks every rule against them.
 *
 * `collectStaleDevices` runs at each scrape and sets `iocrelay_stale_devices`.
 *
 * @example
 * const metrics = createIocrelayMetrics(async (gauge) => gauge.set({ tenant, list }, 0));
 * await metrics.registry.metrics(); // Prometheus text
 */
export function createIocrelayMetrics(
  collectStaleDevices: (gauge: Gauge<'tenant' | 'list'>) => Promise<void> | void,
): IocrelayMetrics {
  const registry = new Registry();
  const registers = [registry];
  const syncRuns = new Counter({
    name: 'iocrelay_sync_runs_total',
    help: 'Sync runs since the serve started, by outcome (ok, held, partial, failed).',
    labelNames: ['status'],
    registers,
  });
  for (const status of SYNC_RUN_STATUSES) syncRuns.inc({ status }, 0);

  return {
    registry,
    sourceLastSyncTimestamp: new Gauge({
      name: 'iocrelay_source_last_sync_timestamp_seconds',
      help: 'Unix time the last run that pulled this source finished.',
      labelNames: ['source'],
      registers,
    }),
    sourceLastSyncDuration: new Gauge({
      name: 'iocrelay_source_last_sync_duration_seconds',
      help: 'How long the last pull of this source took.',
      labelNames: ['source'],
      registers,
    }),
    sourceLastSyncSuccess: new Gauge({
      name: 'iocrelay_source_last_sync_success',
      help: '1 when the last pull of this source succeeded, 0 when it failed.',
      labelNames: ['source'],
      registers,
    }),
    sourceAttributesRead: new Counter({
      name: 'iocrelay_source_attributes_read_total',
      help: 'MISP attributes read from this source since the serve started.',
      labelNames: ['source'],
      registers,
    }),
    syncRuns,
    lastSuccessfulSync: new Gauge({
      name: 'iocrelay_last_successful_sync_timestamp_seconds',
      help: 'Unix time the last successful run (ok or held) finished; 0 before one.',
      registers,
    }),
    lastRunTimestamp: new Gauge({
      name: 'iocrelay_last_sync_run_timestamp_seconds',
      help: 'Unix time the last run finished, whatever its outcome; 0 before one.',
      registers,
    }),
    lastRunDuration: new Gauge({
      name: 'iocrelay_last_sync_run_duration_seconds',
      help: 'How long the last run took.',
      registers,
    }),
    listEntries: new Gauge({
      name: 'iocrelay_list_entries',
      help: 'Entries of the list as last published.',
      labelNames: ['tenant', 'list'],
      registers,
    }),
    listLastPublication: new Gauge({
      name: 'iocrelay_list_last_publication_timestamp_seconds',
      help: 'Unix time the list last changed (last publication of new content).',
      labelNames: ['tenant', 'list'],
      registers,
    }),
    listHeld: new Gauge({
      name: 'iocrelay_list_held',
      help: '1 when the last run held the list back (shrink guard) or failed to write it.',
      labelNames: ['tenant', 'list'],
      registers,
    }),
    rejectedValues: new Counter({
      name: 'iocrelay_rejected_values_total',
      help: 'MISP values rejected by normalization since the serve started, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    listRemovedEntries: new Gauge({
      name: 'iocrelay_list_removed_entries',
      help: 'Indicators of the list’s kinds kept off it by each policy rule in the last build.',
      labelNames: ['tenant', 'list', 'rule'],
      registers,
    }),
    feedFetches: new Counter({
      name: 'iocrelay_feed_fetches_total',
      help: 'Feed requests answered, by configured tenant and list ("" for any other path) and HTTP status.',
      labelNames: ['tenant', 'list', 'status'],
      registers,
    }),
    staleDevices: new Gauge({
      name: 'iocrelay_stale_devices',
      help: 'Devices of the list with no fetch for longer than server.stale_after.',
      labelNames: ['tenant', 'list'],
      registers,
      async collect() {
        await collectStaleDevices(this);
      },
    }),
    timeToBlock: new Histogram({
      name: 'iocrelay_time_to_block_seconds',
      help: 'From MISP recording an indicator to the first device fetch of a publication of the list carrying it.',
      labelNames: ['tenant', 'source_kind'],
      buckets: [...TIME_TO_BLOCK_BUCKETS],
      registers,
    }),
  };
}

import type { LoadedConfig } from '../config/load-config.js';
import { IocrelayError, isIocrelayError } from '../errors/iocrelay-error.js';
import type { Logger } from '../log/logger.js';
import type { Publisher } from '../publish/publisher.js';
import { findStrayLists } from '../publish/stray-lists.js';
import type { PullProgress, Source } from '../sources/source.js';
import type { Store } from '../store/store.js';
import { compilePolicies } from '../policy/compile-policies.js';
import { runtimeAllowlist } from '../policy/runtime-allowlist.js';
import type { TenantPolicy } from '../policy/list-policy.js';
import { buildLists } from './build-lists.js';
import { publishLists } from './publish-lists.js';
import { pullSources } from './pull-sources.js';
import type { ListReport, SyncReport } from './sync-report.js';

export interface SyncOptions {
  readonly config: LoadedConfig;
  readonly store: Store;
  readonly sources: readonly Source[];
  readonly publisher: Publisher;
  readonly log: Logger;
  /** Publish lists the shrink guard would hold back. */
  readonly isForced?: boolean;
  /** Pull everything from every source, whatever the schedule says. */
  readonly isFullForced?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (source: string, progress: PullProgress) => void;
  readonly clock?: () => number;
}

/**
 * One run of the main job: pull every source, store, build each tenant's lists, publish.
 * Fail-safe: if any source fails, the store and every cursor roll back and nothing is
 * published, so the last good lists stay byte for byte and the next run starts from the same
 * point.
 *
 * @example
 * const report = await runSync({ config, store, sources, publisher, log });
 */
export async function runSync(options: SyncOptions): Promise<SyncReport> {
  const clock = options.clock ?? Date.now;
  const startedAt = clock();
  const log = options.log.child({ component: 'sync' });
  const runId = await options.store.startRun(startedAt);
  log.info({ run: runId, sources: options.sources.map((s) => s.id) }, 'sync started');

  // The policy is compiled before anything is pulled: a broken warninglist folder or an
  // unknown list name fails the run at once, and nothing is published on a half policy.
  // Runtime allowlist entries are read once here: one added during the run applies next run.
  let policies: Map<string, TenantPolicy>;
  try {
    policies = await compilePolicies(options.config, {
      runtimeAllowlist: runtimeAllowlist(await options.store.allowEntries()),
    });
  } catch (error) {
    return await failRun(options, log, runId, startedAt, clock, [], {}, 'policy', error);
  }

  const ingest = await options.store.beginIngest(runId, startedAt);
  const pulled = await pullSources({
    store: options.store,
    ingest,
    sources: options.sources,
    log,
    now: startedAt,
    fullSyncIntervalS: options.config.misp?.full_sync_interval ?? 86_400,
    overlapS: options.config.misp?.incremental_overlap ?? 300,
    isFullForced: options.isFullForced ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  }).catch((error: unknown) => ({ reports: [], rejected: {}, failure: { source: 'sync', error } }));

  if (pulled.failure) {
    await ingest.rollback();
    const { reports, rejected, failure } = pulled;
    return await failRun(
      options,
      log,
      runId,
      startedAt,
      clock,
      reports,
      rejected,
      failure.source,
      failure.error,
    );
  }
  await ingest.commit();
  log.debug({ run: runId, rssMb: rssMb() }, 'ingest committed');

  const lists = await buildLists(
    options.store,
    options.config.tenants,
    policies,
    Math.floor(clock() / 1000),
  );
  log.debug({ run: runId, rssMb: rssMb() }, 'lists built');
  const listReports = await publishLists({
    store: options.store,
    publisher: options.publisher,
    lists,
    runId,
    maxShrink: options.config.publish.max_shrink,
    isForced: options.isForced ?? false,
    log,
    now: clock(),
  });

  const strayLists = await findStrayLists(options.config.publish.dir, options.config.tenants);
  for (const path of strayLists)
    log.warn({ path }, 'stray list: no configured list writes it any more');

  const status = overallStatus(listReports);
  const report: SyncReport = {
    runId,
    status,
    sources: pulled.reports,
    lists: listReports,
    rejected: pulled.rejected,
    strayLists,
    durationMs: clock() - startedAt,
  };
  await options.store.finishRun(runId, status, null, { ...report }, clock());
  log.info(
    {
      run: runId,
      status,
      durationMs: report.durationMs,
      ...countLists(listReports),
      rejected: pulled.rejected,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    'sync finished',
  );
  return report;
}

async function failRun(
  options: SyncOptions,
  log: Logger,
  runId: number,
  startedAt: number,
  clock: () => number,
  sources: SyncReport['sources'],
  rejected: SyncReport['rejected'],
  failedSource: string,
  cause: unknown,
): Promise<SyncReport> {
  const error = asIocrelayError(cause);
  const report: SyncReport = {
    runId,
    status: 'failed',
    sources,
    lists: [],
    rejected,
    strayLists: [],
    durationMs: clock() - startedAt,
    error: {
      code: error.code,
      message: error.message,
      source: failedSource,
      details: Object.fromEntries(
        Object.entries(error.details).map(([key, value]) => [key, String(value)]),
      ),
    },
  };
  await options.store.finishRun(runId, 'failed', error.code, { ...report }, clock());
  log.error(
    {
      run: runId,
      source: failedSource,
      errorCode: error.code,
      details: error.details,
      err: error.cause ?? error,
    },
    'sync failed: nothing published, last good lists kept',
  );
  return report;
}

function overallStatus(lists: readonly ListReport[]): SyncReport['status'] {
  if (lists.some((list) => list.status === 'failed')) return 'partial';
  if (lists.some((list) => list.status === 'held')) return 'held';
  return 'ok';
}

function countLists(lists: readonly ListReport[]): Record<string, number> {
  const counts: Record<string, number> = { written: 0, unchanged: 0, held: 0, failed: 0 };
  for (const list of lists) counts[list.status] = (counts[list.status] ?? 0) + 1;
  return counts;
}

// An error we did not foresee is still reported with a code, so the run record and the exit
// path stay uniform; its original is kept as the cause for the log.
function asIocrelayError(error: unknown): IocrelayError {
  return isIocrelayError(error)
    ? error
    : new IocrelayError('SYNC_SOURCE_FAILED', {}, { cause: error });
}

function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / 2 ** 20);
}

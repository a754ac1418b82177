import type { ErrorCode } from '../errors/error-catalogue.js';
import type {
  AddAllowEntryInput,
  AuditLogQuery,
  AuditRecord,
  RemoveAllowEntryInput,
  StoredAllowEntry,
} from './allow-entries.js';
import type { Logger } from '../log/logger.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import type { FetchRecord } from '../serve/feed-server-options.js';
import type { DashboardQueries } from './dashboard-queries.js';
import type { DeviceStatus, RefusedFetches } from './device-status.js';
import type { IndicatorLookup } from './indicator-lookup.js';
import type { Ingest } from './ingest.js';
import type { Candidate, CandidateOptions } from './list-candidates.js';
import type { ChangesQuery, PublicationChanges } from './list-changes.js';
import { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_CACHE_MB, openDatabase } from './open-database.js';
import type { PublicationDiff, PublicationRecord, RecordPublicationInput } from './publications.js';
import type { MonthReportQuery, MonthReportRows } from './report-queries.js';
import type { FinishedRunStatus, RunRecord, RunSummary } from './runs.js';
import type { SourceState } from './source-state.js';
import { SqliteStore } from './sqlite-store.js';
import type { ListDelivery } from './time-to-block.js';

export interface StoreOptions {
  /** SQLite file; its folder is created. `:memory:` for a throwaway store. */
  readonly path: string;
  readonly log: Logger;
  /** SQLite page cache in MiB (default 64). */
  readonly cacheMb?: number;
  /** How long to wait for another process's write lock before STORE_BUSY (default 5000). */
  readonly busyTimeoutMs?: number;
}

/**
 * Where iocrelay keeps what it pulled, what it published and its runs. Embedded SQLite today;
 * the interface is async so a PostgreSQL store can sit behind it later. One process writes at
 * a time: a second writer waits busy_timeout, then gets STORE_BUSY.
 *
 * @example
 * const store = await openStore({ path: 'var/iocrelay.db', log });
 * const runId = await store.startRun(Date.now());
 * const ingest = await store.beginIngest(runId, Date.now());
 * // … ingest.add(…), ingest.finishSource(…), ingest.commit()
 * for await (const candidate of store.iterateCandidates({ kinds: ['ip'] })) consider(candidate);
 * await store.finishRun(runId, 'ok', null, { published: 3 }, Date.now());
 * await store.close();
 */
export interface Store {
  /** Records a run as `running`; gives its id. */
  startRun(now: number): Promise<number>;
  finishRun(
    runId: number,
    status: FinishedRunStatus,
    errorCode: ErrorCode | null,
    summary: RunSummary,
    now: number,
  ): Promise<void>;
  /** Newest first. */
  recentRuns(limit: number): Promise<readonly RunRecord[]>;
  /** Null before the source's first successful pull. */
  getSourceState(source: string): Promise<SourceState | null>;
  /**
   * Opens the run's one write transaction; nothing is visible to others before commit. One
   * ingest per run id (the id marks what the run saw, for full-mode removal), one at a time;
   * call finishRun after its commit or rollback.
   */
  beginIngest(runId: number, now: number): Promise<Ingest>;
  /**
   * Indicators with at least one attribute present at its source, not deleted and to_ids,
   * ordered by sort key, optionally of some kinds only. Streams: the connection stays busy
   * until the loop ends or breaks, so call nothing else on the store inside the loop.
   */
  iterateCandidates(options?: CandidateOptions): AsyncIterable<Candidate>;
  /** The last `published` publication of a list, or null. */
  lastPublication(tenant: string, list: string): Promise<PublicationRecord | null>;
  /**
   * Records a publication. With `published`, the list's stored content becomes exactly
   * `indicatorIds`; `unchanged` and `held` only add the publication row.
   */
  recordPublication(input: RecordPublicationInput): Promise<PublicationDiff>;
  /**
   * How many entries a list carries now (as last published) that `indicatorIds` leaves out:
   * what publishing them would remove. Writes nothing.
   */
  countRemoved(tenant: string, list: string, indicatorIds: readonly number[]): Promise<number>;
  /** The indicator ids a list carries as last published, sorted. */
  listedIndicatorIds(tenant: string, list: string): Promise<Int32Array>;
  /** The latest publications of a tenant's lists with what each added and removed, and why. */
  recentChanges(query: ChangesQuery): Promise<PublicationChanges[]>;
  /** Canonical kind and value; null when never stored. */
  lookupIndicator(kind: IndicatorKind, value: string): Promise<IndicatorLookup | null>;
  /**
   * Appends device fetches to the fetch log in one write transaction, all or none. With
   * another connection holding the write lock past busy_timeout: STORE_BUSY, nothing written.
   */
  recordFetches(records: readonly FetchRecord[]): Promise<void>;
  /**
   * The devices of a tenant's lists (one, or all): each user or token, address and user agent
   * with its last fetch and the version it holds. Only fetches that prove the tenant count
   * (200, 304, 403); mark stale ones with markStaleDevices.
   */
  deviceStatus(tenant: string, list?: string): Promise<readonly DeviceStatus[]>;
  /** Fetches of a tenant's lists credited to no device of it (401, 404, 500), per answer. */
  refusedFetches(tenant: string, list?: string): Promise<readonly RefusedFetches[]>;
  /**
   * For each tenant list that ever published the indicator: when MISP recorded it, when the
   * list first carried it and when each device first fetched a version carrying it.
   */
  timeToBlock(indicatorId: number): Promise<readonly ListDelivery[]>;
  /** The figures of one tenant's monthly report (see docs/reports.md). Reads only. */
  monthReport(query: MonthReportQuery): Promise<MonthReportRows>;
  /** Deletes fetch records answered before `olderThanMs` (retention); gives how many. */
  pruneFetches(olderThanMs: number): Promise<number>;
  /** The read queries of the dashboard (`iocrelay serve` under /ui), each one indexed page. */
  dashboardQueries(): DashboardQueries;
  /**
   * Adds a runtime allowlist entry and its audit record in one write transaction. Throws
   * ALLOW_ENTRY_EXISTS when an active entry has the same tenant, kind and value.
   */
  addAllowEntry(input: AddAllowEntryInput): Promise<StoredAllowEntry>;
  /**
   * Marks an active runtime allowlist entry removed and appends its audit record, in one write
   * transaction; null (nothing written) when no active entry has that id.
   */
  removeAllowEntry(input: RemoveAllowEntryInput): Promise<StoredAllowEntry | null>;
  /** The active runtime allowlist entries, by id. */
  allowEntries(): Promise<StoredAllowEntry[]>;
  /** The audit log of runtime allowlist changes, newest first. */
  auditLog(options: AuditLogQuery): Promise<AuditRecord[]>;
  /** Rolls back an open ingest. */
  close(): Promise<void>;
}

/**
 * Opens the store: creates the folder and file if needed, sets WAL, foreign keys and
 * busy_timeout, and migrates the schema. Throws STORE_FAILED or STORE_MIGRATION_FAILED.
 *
 * @example
 * const store = await openStore({ path: config.store.path, log });
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const log = options.log.child({ component: 'store' });
  const { database, db } = await openDatabase(options.path, log, {
    cacheMb: options.cacheMb ?? DEFAULT_CACHE_MB,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
  });

  const store = SqliteStore.create(database, db);
  log.debug({ path: options.path }, 'store opened');
  return store;
}

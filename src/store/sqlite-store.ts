import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';

import type { ErrorCode } from '../errors/error-catalogue.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import type { FetchRecord } from '../serve/feed-server-options.js';
import {
  prepareAllowEntries,
  type AddAllowEntryInput,
  type AllowEntries,
  type AuditLogQuery,
  type AuditRecord,
  type RemoveAllowEntryInput,
  type StoredAllowEntry,
} from './allow-entries.js';
import {
  deviceStatus,
  refusedFetches,
  type DeviceStatus,
  type RefusedFetches,
} from './device-status.js';
import { createDashboardQueries, type DashboardQueries } from './dashboard-queries.js';
import { prepareFetchLog, type FetchLog } from './fetch-log.js';
import { lookupIndicator, type IndicatorLookup } from './indicator-lookup.js';
import { beginSqliteIngest, type Ingest } from './ingest.js';
import { prepareIngestStatements, type IngestStatements } from './ingest-statements.js';
import {
  listedIndicatorIds,
  recentChanges,
  type ChangesQuery,
  type PublicationChanges,
} from './list-changes.js';
import { listCandidates, type Candidate, type CandidateOptions } from './list-candidates.js';
import {
  lastPublication,
  prepareRecordPublication,
  type PublicationDiff,
  type PublicationRecord,
  type RecordPublication,
  type RecordPublicationInput,
} from './publications.js';
import {
  finishRun,
  recentRuns,
  startRun,
  type FinishedRunStatus,
  type RunRecord,
  type RunSummary,
} from './runs.js';
import { monthReport, type MonthReportQuery, type MonthReportRows } from './report-queries.js';
import type { StoreDatabase } from './schema.js';
import { getSourceState, type SourceState } from './source-state.js';
import type { Store } from './store.js';
import { attempt, guard, guardAsync } from './store-error.js';
import { timeToBlock, type ListDelivery } from './time-to-block.js';

/**
 * The SQLite store: Kysely for the run-level queries, prepared statements on the raw
 * better-sqlite3 connection for the per-attribute and per-entry work.
 *
 * @example
 * const store = SqliteStore.create(database, db);
 */
export class SqliteStore implements Store {
  readonly #database: BetterSqlite3.Database;
  readonly #db: Kysely<StoreDatabase>;
  readonly #ingestStatements: IngestStatements;
  readonly #recordPublication: RecordPublication;
  readonly #fetchLog: FetchLog;
  readonly #allowEntries: AllowEntries;
  #openIngest: Ingest | null = null;
  #dashboardQueries: DashboardQueries | null = null;

  private constructor(
    database: BetterSqlite3.Database,
    db: Kysely<StoreDatabase>,
    ingestStatements: IngestStatements,
    recordPublication: RecordPublication,
    fetchLog: FetchLog,
    allowEntries: AllowEntries,
  ) {
    this.#database = database;
    this.#db = db;
    this.#ingestStatements = ingestStatements;
    this.#recordPublication = recordPublication;
    this.#fetchLog = fetchLog;
    this.#allowEntries = allowEntries;
  }

  /** Prepares the statements; closes the connection if that fails. */
  static create(database: BetterSqlite3.Database, db: Kysely<StoreDatabase>): SqliteStore {
    try {
      return guard(
        'prepare',
        () =>
          new SqliteStore(
            database,
            db,
            prepareIngestStatements(database),
            prepareRecordPublication(database),
            prepareFetchLog(database),
            prepareAllowEntries(database),
          ),
      );
    } catch (err) {
      database.close();
      throw err;
    }
  }

  startRun(now: number): Promise<number> {
    return guardAsync('startRun', () => startRun(this.#db, now));
  }

  finishRun(
    runId: number,
    status: FinishedRunStatus,
    errorCode: ErrorCode | null,
    summary: RunSummary,
    now: number,
  ): Promise<void> {
    return guardAsync('finishRun', () =>
      finishRun(this.#db, runId, status, errorCode, summary, now),
    );
  }

  recentRuns(limit: number): Promise<readonly RunRecord[]> {
    return guardAsync('recentRuns', () => recentRuns(this.#db, limit));
  }

  getSourceState(source: string): Promise<SourceState | null> {
    return guardAsync('getSourceState', () => getSourceState(this.#db, source));
  }

  beginIngest(runId: number, now: number): Promise<Ingest> {
    return attempt('beginIngest', () => {
      if (this.#openIngest !== null) throw new Error('beginIngest: an ingest is already open');

      const ingest = beginSqliteIngest(this.#database, this.#ingestStatements, runId, now, () => {
        this.#openIngest = null;
      });
      this.#openIngest = ingest;
      return ingest;
    });
  }

  iterateCandidates(options?: CandidateOptions): AsyncIterable<Candidate> {
    return listCandidates(this.#database, options);
  }

  lastPublication(tenant: string, list: string): Promise<PublicationRecord | null> {
    return guardAsync('lastPublication', () => lastPublication(this.#db, tenant, list));
  }

  countRemoved(tenant: string, list: string, indicatorIds: readonly number[]): Promise<number> {
    return attempt('countRemoved', () =>
      this.#recordPublication.countRemoved(tenant, list, indicatorIds),
    );
  }

  recordPublication(input: RecordPublicationInput): Promise<PublicationDiff> {
    return attempt('recordPublication', () => this.#recordPublication(input));
  }

  listedIndicatorIds(tenant: string, list: string): Promise<Int32Array> {
    return attempt('listedIndicatorIds', () => listedIndicatorIds(this.#database, tenant, list));
  }

  recentChanges(query: ChangesQuery): Promise<PublicationChanges[]> {
    return guardAsync('recentChanges', () => recentChanges(this.#db, query));
  }

  lookupIndicator(kind: IndicatorKind, value: string): Promise<IndicatorLookup | null> {
    return guardAsync('lookupIndicator', () => lookupIndicator(this.#db, kind, value));
  }

  recordFetches(records: readonly FetchRecord[]): Promise<void> {
    return attempt('recordFetches', () => this.#fetchLog.record(records));
  }

  deviceStatus(tenant: string, list?: string): Promise<readonly DeviceStatus[]> {
    return attempt('deviceStatus', () => deviceStatus(this.#database, tenant, list));
  }

  refusedFetches(tenant: string, list?: string): Promise<readonly RefusedFetches[]> {
    return attempt('refusedFetches', () => refusedFetches(this.#database, tenant, list));
  }

  timeToBlock(indicatorId: number): Promise<readonly ListDelivery[]> {
    return attempt('timeToBlock', () => timeToBlock(this.#database, indicatorId));
  }

  monthReport(query: MonthReportQuery): Promise<MonthReportRows> {
    return attempt('monthReport', () => monthReport(this.#database, query));
  }

  pruneFetches(olderThanMs: number): Promise<number> {
    return attempt('pruneFetches', () => this.#fetchLog.prune(olderThanMs));
  }

  dashboardQueries(): DashboardQueries {
    this.#dashboardQueries ??= guard('prepare', () => createDashboardQueries(this.#database));
    return this.#dashboardQueries;
  }

  addAllowEntry(input: AddAllowEntryInput): Promise<StoredAllowEntry> {
    return attempt('addAllowEntry', () => this.#allowEntries.add(input));
  }

  removeAllowEntry(input: RemoveAllowEntryInput): Promise<StoredAllowEntry | null> {
    return attempt('removeAllowEntry', () => this.#allowEntries.remove(input));
  }

  allowEntries(): Promise<StoredAllowEntry[]> {
    return attempt('allowEntries', () => this.#allowEntries.active());
  }

  auditLog(options: AuditLogQuery): Promise<AuditRecord[]> {
    return attempt('auditLog', () => this.#allowEntries.auditLog(options));
  }

  async close(): Promise<void> {
    await this.#openIngest?.rollback();

    // Kysely holds nothing of its own for SQLite; closing the connection is the whole job.
    guard('close', () => {
      this.#database.pragma('optimize');
      this.#database.close();
    });
  }
}

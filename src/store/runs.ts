import type { Kysely, Selectable } from 'kysely';

import type { ErrorCode } from '../errors/error-catalogue.js';
import type { RunTable, StoreDatabase } from './schema.js';

/** Every status a run can have; the first while it runs. */
export const RUN_STATUSES = ['running', 'ok', 'partial', 'failed', 'held'] as const;

/**
 * `running` until finished (or forever, if the process died); `ok`; `partial`: some lists could
 * not be published; `failed`: nothing was published; `held`: a safeguard held back at least one
 * list.
 */
export type RunStatus = (typeof RUN_STATUSES)[number];

export type FinishedRunStatus = Exclude<RunStatus, 'running'>;

/** Counts and notes of a run, stored as JSON. */
export type RunSummary = Readonly<Record<string, unknown>>;

export interface RunRecord {
  readonly id: number;
  /** Unix milliseconds. */
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly status: RunStatus;
  readonly errorCode: string | null;
  readonly summary: RunSummary | null;
}

/**
 * Records the start of a run and gives its id.
 *
 * @example
 * const runId = await startRun(db, Date.now());
 */
export async function startRun(db: Kysely<StoreDatabase>, now: number): Promise<number> {
  const row = await db
    .insertInto('run')
    .values({ started_at: now, status: 'running' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Records the end of a run.
 *
 * @example
 * await finishRun(db, runId, 'failed', 'MISP_TIMEOUT', { attributes: 0 }, Date.now());
 */
export async function finishRun(
  db: Kysely<StoreDatabase>,
  runId: number,
  status: FinishedRunStatus,
  errorCode: ErrorCode | null,
  summary: RunSummary,
  now: number,
): Promise<void> {
  const result = await db
    .updateTable('run')
    .set({ finished_at: now, status, error_code: errorCode, summary: JSON.stringify(summary) })
    .where('id', '=', runId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new Error(`finishRun: no run ${runId}`);
}

/**
 * The latest runs, newest first.
 *
 * @example
 * const [last] = await recentRuns(db, 1);
 */
export async function recentRuns(
  db: Kysely<StoreDatabase>,
  limit: number,
): Promise<readonly RunRecord[]> {
  const rows = await db.selectFrom('run').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toRunRecord);
}

function toRunRecord(row: Selectable<RunTable>): RunRecord {
  const status = RUN_STATUSES.find((known) => known === row.status);
  if (status === undefined) throw new Error(`stored run has unknown status ${row.status}`);

  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status,
    errorCode: row.error_code,
    summary: row.summary === null ? null : parseSummary(row.summary),
  };
}

function parseSummary(json: string): RunSummary {
  const parsed: unknown = JSON.parse(json);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as RunSummary)
    : {};
}

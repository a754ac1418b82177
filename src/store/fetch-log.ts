import type BetterSqlite3 from 'better-sqlite3';

import type { FetchRecord } from '../serve/feed-server-options.js';

/** Writes and trims the fetch log on one connection. */
export interface FetchLog {
  /** Appends the records in one write transaction: all of them or none. */
  readonly record: (records: readonly FetchRecord[]) => void;
  /** Deletes the records answered before `olderThanMs`; gives how many. */
  readonly prune: (olderThanMs: number) => number;
}

// Rows per INSERT: one statement call for many rows costs far less than one call per row, and
// 64 rows × 10 values stay well under SQLite's 32,766 parameters.
const ROW_BATCH = 64;
const COLUMNS = 10;
const ROW_VALUES = `(${'?,'.repeat(COLUMNS - 1)}?)`;

type Value = string | number | null;

/**
 * Prepares the fetch log statements on a connection. `record` runs BEGIN IMMEDIATE, so a
 * connection opened with busy_timeout 0 fails at once with SQLITE_BUSY while another holds the
 * write lock, before it has written anything.
 *
 * @example
 * const log = prepareFetchLog(database);
 * log.record([{ tenant: 'acme', list: 'ip.txt', device: 'acme-fw', status: 200, … }]);
 */
export function prepareFetchLog(database: BetterSqlite3.Database): FetchLog {
  const insertOne = database.prepare<Value[]>(insertSql(1));
  const insertBatch = database.prepare<Value[]>(insertSql(ROW_BATCH));
  const deleteOlder = database.prepare<[number]>('DELETE FROM fetch WHERE at < ?');

  const append = database.transaction((records: readonly FetchRecord[]): void => {
    let i = 0;
    const values: Value[] = [];
    for (; i + ROW_BATCH <= records.length; i += ROW_BATCH) {
      values.length = 0;
      for (let j = i; j < i + ROW_BATCH; j++) pushValues(values, records[j] as FetchRecord);
      insertBatch.run(...values);
    }
    for (; i < records.length; i++) {
      values.length = 0;
      pushValues(values, records[i] as FetchRecord);
      insertOne.run(...values);
    }
  });

  return {
    record: (records) => {
      if (records.length > 0) append.immediate(records);
    },
    prune: (olderThanMs) => deleteOlder.run(olderThanMs).changes,
  };
}

function insertSql(rows: number): string {
  return `INSERT INTO fetch (tenant, list, device, client_ip, user_agent, method, status, sha256,
    bytes, at) VALUES ${Array.from({ length: rows }, () => ROW_VALUES).join(',')}`;
}

function pushValues(values: Value[], record: FetchRecord): void {
  values.push(
    record.tenant,
    record.list,
    record.device,
    record.clientIp,
    record.userAgent,
    record.method,
    record.status,
    record.sha256,
    record.bytes,
    record.at,
  );
}

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';

import { IocrelayError } from '../errors/iocrelay-error.js';
import type { Logger } from '../log/logger.js';
import { CodeMigrationProvider, MIGRATIONS } from './migrations/code-migration-provider.js';
import type { StoreDatabase } from './schema.js';

/** How long a write waits for another process's lock before STORE_BUSY. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/**
 * SQLite page cache; large sorts (candidates) spill to temporary files beyond it. On a
 * million-attribute sync, 16 MB ran as fast as 64 MB (the OS caches the file either way) with
 * 45–55 MB less peak memory (docs/benchmarks.md).
 */
export const DEFAULT_CACHE_MB = 16;

export interface DatabaseTuning {
  readonly cacheMb: number;
  readonly busyTimeoutMs: number;
}
// WAL keeps its largest size after a checkpoint unless told; one full ingest writes it to the
// size of the database.
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

export interface OpenedDatabase {
  readonly database: Database.Database;
  readonly db: Kysely<StoreDatabase>;
}

/**
 * Opens (creating it and its folder if needed) the SQLite file, sets it up and migrates it to
 * the latest schema.
 *
 * @example
 * const { database, db } = await openDatabase('var/iocrelay.db', log, tuning);
 */
export async function openDatabase(
  path: string,
  log: Logger,
  tuning: DatabaseTuning,
): Promise<OpenedDatabase> {
  const database = connect(path, tuning);
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });

  try {
    await migrate(db, path, log);
  } catch (err) {
    database.close();
    throw err;
  }
  return { database, db };
}

function connect(path: string, tuning: DatabaseTuning): Database.Database {
  let database: Database.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    database = new Database(path);

    // WAL lets `explain` and the server read while a sync writes. synchronous=NORMAL is
    // durable under WAL except for the last commits on power loss, which the next run redoes.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${Math.round(tuning.busyTimeoutMs)}`);
    database.pragma(`cache_size = ${-Math.round(tuning.cacheMb * 1024)}`);
    database.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    return database;
  } catch (err) {
    database?.close();
    throw new IocrelayError('STORE_FAILED', { path, operation: 'open' }, { cause: err });
  }
}

async function migrate(db: Kysely<StoreDatabase>, path: string, log: Logger): Promise<void> {
  // Unordered: applied migrations are listed by the time they ran, and a host whose clock
  // went back (a restored VM) must not make the store unopenable. The names are sequential,
  // so pending ones still run in order.
  const migrator = new Migrator({
    db,
    provider: new CodeMigrationProvider(),
    allowUnorderedMigrations: true,
  });
  const newer = await unknownMigration(db);
  if (newer !== null) throw new IocrelayError('STORE_NEWER_THAN_CODE', { path, migration: newer });
  const { error, results = [] } = await migrator.migrateToLatest();

  for (const result of results) {
    if (result.status === 'Success')
      log.info({ migration: result.migrationName }, 'store migrated');
  }

  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    throw new IocrelayError(
      'STORE_MIGRATION_FAILED',
      { path, migration: failed?.migrationName ?? null },
      { cause: error },
    );
  }
}

/** The name of an applied migration this code does not have: the store is newer than it. */
async function unknownMigration(db: Kysely<StoreDatabase>): Promise<string | null> {
  const { rows } = await sql<{ name: string }>`
    SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`.execute(db);
  if (rows.length === 0) return null;
  const applied = await sql<{
    name: string;
  }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return applied.rows.find(({ name }) => !(name in MIGRATIONS))?.name ?? null;
}

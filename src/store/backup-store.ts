import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { IocrelayError } from '../errors/iocrelay-error.js';
import { errnoCode, placeFile } from '../files/place-file.js';
import { MIGRATIONS } from './migrations/code-migration-provider.js';

export interface BackupOptions {
  /** The live database file (`database:` of the configuration). */
  readonly source: string;
  /** Where the copy goes; its folder must exist. */
  readonly target: string;
  /** Replace `target` when it exists. */
  readonly isForced: boolean;
  /** How long to wait for a lock held by a checkpoint or WAL recovery (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

/** What a finished backup holds, read back from the copy. */
export interface BackupResult {
  readonly source: string;
  readonly target: string;
  readonly bytes: number;
  readonly durationMs: number;
  /** The copy's schema: its migrations in order, the last one being its level. */
  readonly migrations: readonly string[];
  /** This iocrelay's latest migration, for comparison with the copy's level. */
  readonly latestKnownMigration: string;
  /** Rows of the copy's `publication` table, a quick sign the copy holds what it should. */
  readonly publications: number;
}

/**
 * Copies the SQLite store while `serve` or `sync` keep using it, and checks the copy before
 * it takes the target's name.
 *
 * `VACUUM INTO` rather than the online backup API (`database.backup()`): it copies inside one
 * read transaction, so the copy is one consistent snapshot and, under WAL, never blocks the
 * writer. The backup API restarts its copy each time another connection writes, and the feed
 * server writes its fetch log every second: on a large store it need never finish. The copy is
 * also compacted and a single file with no `-wal` beside it. Neither migrates nor writes the
 * source: the source is opened read-only.
 *
 * Steps: copy to a hidden temporary name in the target's folder, `PRAGMA integrity_check` it
 * and read its migration level back (it must equal the source's), give it the source's file
 * mode, fsync it, then move it to `target` (a hard link, which refuses an existing name
 * unless forced) and fsync the folder. A failure at any step removes the temporary copy.
 *
 * @example
 * const result = backupStore({ source: config.database, target: '/backup/iocrelay.db', isForced: false });
 */
export function backupStore(options: BackupOptions): BackupResult {
  const startedAt = Date.now();
  const source = resolve(options.source);
  const target = resolve(options.target);
  checkTarget(source, target, options.isForced);

  const temporary = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const sourceMigrations = copyDatabase(source, temporary, options.busyTimeoutMs ?? 5_000);
    const { migrations, publications } = checkCopy(temporary, sourceMigrations);
    finishFile(temporary, statSync(source).mode & 0o777);
    place(temporary, target, options.isForced);

    return {
      source,
      target,
      bytes: statSync(target).size,
      durationMs: Date.now() - startedAt,
      migrations,
      latestKnownMigration: Object.keys(MIGRATIONS).at(-1) ?? '',
      publications,
    };
  } finally {
    rmSync(temporary, { force: true });
  }
}

function checkTarget(source: string, target: string, isForced: boolean): void {
  if (!existsSync(target)) return;
  // Replacing the database or its WAL under a running serve would destroy it.
  const live = existsSync(source) ? realpathSync(source) : source;
  const isLive = ['', '-wal', '-shm', '-journal'].some(
    (suffix) => realpathSync(target) === `${live}${suffix}`,
  );
  if (isLive) {
    throw new IocrelayError('BACKUP_FAILED', {
      step: 'target',
      target,
      problem: '--out names the database or its -wal or -shm file',
    });
  }
  if (!isForced) throw new IocrelayError('BACKUP_TARGET_EXISTS', { target });
}

// Returns the source's migrations, read before the copy; VACUUM cannot run in a transaction,
// so the check compares them with the copy's.
function copyDatabase(source: string, temporary: string, busyTimeoutMs: number): string[] {
  let database: Database.Database | undefined;
  let step = 'open';
  try {
    database = new Database(source, { readonly: true, fileMustExist: true });
    database.pragma(`busy_timeout = ${Math.round(busyTimeoutMs)}`);
    const migrations = readMigrations(database);
    if (migrations === null) {
      throw new IocrelayError('BACKUP_FAILED', {
        step,
        path: source,
        problem: 'not an iocrelay database: it has no kysely_migration table',
      });
    }

    step = 'copy';
    database.prepare('VACUUM INTO ?').run(temporary);
    return migrations;
  } catch (err) {
    if (err instanceof IocrelayError) throw err;
    throw new IocrelayError(
      'BACKUP_FAILED',
      { step, path: source, target: temporary, problem: problemOf(err) },
      { cause: err },
    );
  } finally {
    database?.close();
  }
}

function checkCopy(
  temporary: string,
  sourceMigrations: readonly string[],
): { readonly migrations: string[]; readonly publications: number } {
  const fail = (problem: string, cause?: unknown): IocrelayError =>
    new IocrelayError('BACKUP_FAILED', { step: 'check', path: temporary, problem }, { cause });

  let copy: Database.Database | undefined;
  try {
    copy = new Database(temporary, { readonly: true, fileMustExist: true });
    const problems = copy.prepare<[], string>('PRAGMA integrity_check').pluck().all();
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw fail(`integrity_check: ${problems.slice(0, 3).join('; ')}`);
    }

    const migrations = readMigrations(copy) ?? [];
    if (migrations.join(',') !== sourceMigrations.join(',')) {
      throw fail(
        `migration level ${migrations.at(-1) ?? 'none'}, the database's ${sourceMigrations.at(-1) ?? 'none'}`,
      );
    }
    const publications = copy.prepare<[], number>('SELECT count(*) FROM publication').pluck().get();
    return { migrations, publications: publications ?? 0 };
  } catch (err) {
    if (err instanceof IocrelayError) throw err;
    throw fail(problemOf(err), err);
  } finally {
    copy?.close();
  }
}

// Kysely keeps the applied migrations in kysely_migration; names sort in the order they ran.
function readMigrations(database: Database.Database): string[] | null {
  const table = database
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`)
    .get();
  if (table === undefined) return null;
  return database
    .prepare<[], string>('SELECT name FROM kysely_migration ORDER BY name')
    .pluck()
    .all();
}

// SQLite does not fsync what VACUUM INTO writes (sqlite.org/lang_vacuum.html): do it, so the
// name never points at a copy a power loss could leave half on disk. The copy holds what the
// database holds, so it gets the database's permissions, not the umask's.
function finishFile(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
    const fd = openSync(path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new IocrelayError(
      'BACKUP_FAILED',
      { step: 'write', path, problem: problemOf(err) },
      { cause: err },
    );
  }
}

function place(temporary: string, target: string, isForced: boolean): void {
  try {
    placeFile(temporary, target, isForced);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw new IocrelayError('BACKUP_TARGET_EXISTS', { target });
    throw new IocrelayError(
      'BACKUP_FAILED',
      { step: 'rename', path: target, problem: problemOf(err) },
      { cause: err },
    );
  }
  syncFolder(dirname(target));
}

// The rename is durable once the folder's entry is on disk. Some file systems refuse to
// fsync a folder; the copy itself is already synced, so that is not a failed backup.
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    return;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function problemOf(err: unknown): string {
  const code = errnoCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code === null ? message : `${code}: ${message}`;
}

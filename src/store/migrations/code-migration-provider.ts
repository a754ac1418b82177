import type { Kysely, Migration, MigrationProvider } from 'kysely';

import * as initial from './0001-initial.js';
import * as listChange from './0002-list-change.js';
import * as attributeActivity from './0003-attribute-activity.js';
import * as fetchLog from './0004-fetch-log.js';
import * as allowEntry from './0005-allow-entry.js';

/**
 * Every schema migration, by name. Names sort in the order they run; a new migration is a new
 * file added here with the next number. Listed in code (not read from a folder) so the bundle
 * and the tests see the same set.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-list-change': listChange,
  '0003-attribute-activity': attributeActivity,
  '0004-fetch-log': fetchLog,
  '0005-allow-entry': allowEntry,
};

/**
 * Hands Kysely's Migrator the migrations compiled into iocrelay, each in its own transaction.
 *
 * @example
 * const migrator = new Migrator({ db, provider: new CodeMigrationProvider() });
 */
export class CodeMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    const entries = Object.entries(MIGRATIONS).map(([name, migration]) => [
      name,
      inTransaction(migration),
    ]);
    return Promise.resolve(Object.fromEntries(entries) as Record<string, Migration>);
  }
}

// Kysely's SQLite adapter declares no transactional DDL, so its Migrator runs migrations bare
// and a failure halfway would leave half a schema. SQLite does roll DDL back: wrap each one.
function inTransaction(migration: Migration): Migration {
  return {
    up: (db: Kysely<unknown>) => db.transaction().execute((trx) => migration.up(trx)),
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isIocrelayError } from '../src/errors/iocrelay-error.js';
import { createLogger } from '../src/log/logger.js';
import {
  CodeMigrationProvider,
  MIGRATIONS,
} from '../src/store/migrations/code-migration-provider.js';
import { openStore } from '../src/store/store.js';
import { dumpTables } from './support/store-fixtures.js';

/**
 * Upgrades as a newer iocrelay meets them: a store written at an older migration level is
 * migrated on open and keeps its data; a store newer than the code is refused.
 */

const NAMES = Object.keys(MIGRATIONS);
const LATEST = NAMES.at(-1) ?? '';
const PREVIOUS = NAMES.at(-2) ?? '';
const T0 = 1_764_800_000_000;

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-upgrade-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A store file migrated up to `level` only, as an older iocrelay left it. */
async function storeAtLevel(path: string, level: string): Promise<void> {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(path) }) });
  try {
    const migrator = new Migrator({ db, provider: new CodeMigrationProvider() });
    const { error } = await migrator.migrateTo(level);
    expect(error).toBeUndefined();
  } finally {
    await db.destroy();
  }
}

/**
 * What an older iocrelay wrote after one run: an event, two indicators with their attributes,
 * a cursor, a publication of acme/ip.txt and its content. Columns of the first schema only, so
 * the rows fit whichever level the store is at.
 */
function writeOlderData(path: string): void {
  const database = new Database(path);
  database.exec(`
    INSERT INTO run (id, started_at, finished_at, status, error_code, summary)
      VALUES (1, ${T0}, ${T0 + 900}, 'ok', NULL, '{"attributes":2}');
    INSERT INTO event (id, source, uuid, misp_id, info, org, threat_level, tags, tlp, timestamp,
        published, first_stored_at, updated_at)
      VALUES (1, 'misp', '5f0c2d1e-0000-4000-8000-000000000001', '7', 'Phishing wave',
        'CERT Example', 2, '["tlp:green"]', 'green', 1714521600, 1, ${T0}, ${T0});
    INSERT INTO indicator (id, kind, value, sort_key, first_stored_at) VALUES
      (1, 'ip', '192.0.2.1', '4c000020132', ${T0}),
      (2, 'domain', 'phish.example', 'phish.example', ${T0});
    INSERT INTO attribute (id, source, uuid, indicator_id, event_id, misp_id, type, category,
        raw_value, to_ids, deleted, present, timestamp, first_seen, last_seen, tags, tlp,
        object_uuid, object_name, comment, first_stored_at, updated_at, seen_run) VALUES
      (1, 'misp', '5f0c2d1e-0000-4000-8000-00000000000a', 1, 1, '101', 'ip-dst',
        'Network activity', '192.0.2.1', 1, 0, 1, 1714521601, NULL, NULL, '[]', NULL, NULL,
        NULL, '', ${T0}, ${T0}, 1),
      (2, 'misp', '5f0c2d1e-0000-4000-8000-00000000000b', 2, 1, '102', 'domain',
        'Network activity', 'phish.example', 1, 0, 1, 1714521602, NULL, NULL, '[]', NULL, NULL,
        NULL, '', ${T0}, ${T0}, 1);
    INSERT INTO source_state (source, cursor, last_full_at, last_success_at)
      VALUES ('misp', 1714521602, ${T0}, ${T0 + 900});
    INSERT INTO publication (id, run_id, tenant, list, published_at, entries, sha256, bytes,
        status, added, removed)
      VALUES (1, 1, 'acme', 'ip.txt', ${T0 + 800}, 1, '${'c'.repeat(64)}', 10, 'published', 1, 0);
    INSERT INTO list_entry (tenant, list, indicator_id) VALUES ('acme', 'ip.txt', 1);
    INSERT INTO indicator_publication (indicator_id, tenant, list, first_published_at)
      VALUES (1, 'acme', 'ip.txt', ${T0 + 800});
  `);
  database.close();
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

function columnsOf(path: string, table: string): string[] {
  const reader = new Database(path, { readonly: true });
  try {
    return reader
      .prepare<[], string>(`SELECT name FROM pragma_table_info('${table}')`)
      .pluck()
      .all();
  } finally {
    reader.close();
  }
}

function rowsOf(path: string, table: string, columns: readonly string[]): unknown[] {
  const reader = new Database(path, { readonly: true });
  try {
    const list = columns.map((column) => `"${column}"`).join(', ');
    return reader.prepare(`SELECT ${list} FROM "${table}" ORDER BY 1, 2, 3`).all();
  } finally {
    reader.close();
  }
}

describe('a store written by an older iocrelay', () => {
  it(`at ${PREVIOUS} is migrated to ${LATEST} on open and keeps every row`, async () => {
    const path = join(dir, 'iocrelay.db');
    await storeAtLevel(path, PREVIOUS);
    writeOlderData(path);
    const before = dumpTables(path);
    const columns = Object.fromEntries(
      Object.keys(before).map((table) => [table, columnsOf(path, table)]),
    );

    const { log, lines } = capturingLogger();
    const store = await openStore({ path, log });

    expect(lines.map(({ msg, migration }) => ({ msg, migration }))).toEqual([
      { msg: 'store migrated', migration: LATEST },
    ]);
    for (const [table, names] of Object.entries(columns)) {
      expect(rowsOf(path, table, names), table).toEqual(before[table]);
    }
    expect(await store.lastPublication('acme', 'ip.txt')).toMatchObject({
      publishedAt: T0 + 800,
      entries: 1,
      sha256: 'c'.repeat(64),
    });
    expect(await store.lookupIndicator('domain', 'phish.example')).not.toBeNull();
    const candidates: string[] = [];
    for await (const candidate of store.iterateCandidates()) candidates.push(candidate.value);
    expect(candidates.sort()).toEqual(['192.0.2.1', 'phish.example']);
    await store.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all()).toEqual(
      NAMES,
    );
    raw.close();
  });

  it.each(NAMES.slice(0, -1).map((level, i) => [level, NAMES.slice(i + 1)] as const))(
    'at %s runs exactly the migrations after it',
    async (level, expected) => {
      const path = join(dir, `${level}.db`);
      await storeAtLevel(path, level);
      const { log, lines } = capturingLogger();

      const store = await openStore({ path, log });
      await store.close();

      expect(lines.map((line) => line['migration'])).toEqual(expected);
    },
  );
});

describe('a store written by a newer iocrelay', () => {
  it('is refused with STORE_NEWER_THAN_CODE naming the migration, and left as it was', async () => {
    const path = join(dir, 'iocrelay.db');
    await storeAtLevel(path, LATEST);
    writeOlderData(path);
    const raw = new Database(path);
    raw
      .prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)')
      .run('9999-from-the-future', new Date(T0).toISOString());
    raw.close();
    const before = dumpTables(path);

    const err = await openStore({ path, log: capturingLogger().log }).then(
      () => 'opened',
      (error: unknown) => error,
    );

    expect(isIocrelayError(err, 'STORE_NEWER_THAN_CODE')).toBe(true);
    expect(err).toMatchObject({ details: { path, migration: '9999-from-the-future' } });
    expect((err as Error).message).toContain('Run that newer version');
    expect(dumpTables(path)).toEqual(before);
  });
});

describe('a store migrated on a host whose clock went back', () => {
  it('opens: applied migrations out of time order are accepted, pending ones run', async () => {
    const path = join(dir, 'iocrelay.db');
    await storeAtLevel(path, PREVIOUS);
    writeOlderData(path);
    // The previous migration ran "before" the first one, as on a restored VM.
    const raw = new Database(path);
    raw
      .prepare('UPDATE kysely_migration SET timestamp = ? WHERE name = ?')
      .run(new Date(T0 - 86_400_000).toISOString(), PREVIOUS);
    raw.close();

    const store = await openStore({ path, log: capturingLogger().log });
    await store.close();
    const names = new Database(path)
      .prepare('SELECT name FROM kysely_migration ORDER BY name')
      .pluck()
      .all();
    expect(names).toEqual(NAMES);
  });
});

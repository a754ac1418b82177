import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isIocrelayError } from '../src/errors/iocrelay-error.js';
import { createLogger } from '../src/log/logger.js';
import { openStore } from '../src/store/store.js';
import { ipv4, makeAttribute, makeEvent } from './support/store-fixtures.js';

const T0 = 1_714_600_000_000;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-open-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const log = createLogger({ level: 'info', destination });
  return {
    log,
    messages: () => lines.map(({ msg, migration, component }) => ({ msg, migration, component })),
  };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'no error',
    (err: unknown) => err,
  );
}

describe('openStore', () => {
  it('creates the folder and migrates once; reopening keeps data and migrates nothing', async () => {
    const path = join(dir, 'var', 'lib', 'iocrelay.db');
    const first = capturingLogger();
    const store = await openStore({ path, log: first.log });
    const runId = await store.startRun(T0);
    await store.close();

    const second = capturingLogger();
    const reopened = await openStore({ path, log: second.log });

    expect(first.messages()).toEqual([
      { msg: 'store migrated', migration: '0001-initial', component: 'store' },
      { msg: 'store migrated', migration: '0002-list-change', component: 'store' },
      { msg: 'store migrated', migration: '0003-attribute-activity', component: 'store' },
      { msg: 'store migrated', migration: '0004-fetch-log', component: 'store' },
      { msg: 'store migrated', migration: '0005-allow-entry', component: 'store' },
    ]);
    expect(second.messages()).toEqual([]);
    expect((await reopened.recentRuns(5)).map((run) => run.id)).toEqual([runId]);
    await reopened.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT name FROM kysely_migration').pluck().all()).toEqual([
      '0001-initial',
      '0002-list-change',
      '0003-attribute-activity',
      '0004-fetch-log',
      '0005-allow-entry',
    ]);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('fails with STORE_FAILED when the folder cannot be created', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'iocrelay.db');
    const err = await failure(openStore({ path, log: capturingLogger().log }));

    expect(isIocrelayError(err, 'STORE_FAILED')).toBe(true);
    expect(err).toMatchObject({ details: { path, operation: 'open' } });
  });

  it('fails with STORE_FAILED on a file that is not a database', async () => {
    const path = join(dir, 'notes.db');
    writeFileSync(path, 'these are not the pages you are looking for '.repeat(200));
    const err = await failure(openStore({ path, log: capturingLogger().log }));

    expect(isIocrelayError(err, 'STORE_FAILED')).toBe(true);
    expect((err as Error).cause).toMatchObject({ code: 'SQLITE_NOTADB' });
  });

  it('fails with STORE_MIGRATION_FAILED when a migration cannot run, and changes nothing', async () => {
    const path = join(dir, 'iocrelay.db');
    const foreign = new Database(path);
    foreign.exec('CREATE TABLE attribute (id INTEGER PRIMARY KEY, note TEXT)');
    foreign.close();

    const err = await failure(openStore({ path, log: capturingLogger().log }));

    expect(isIocrelayError(err, 'STORE_MIGRATION_FAILED')).toBe(true);
    expect(err).toMatchObject({ details: { path, migration: '0001-initial' } });
    const raw = new Database(path, { readonly: true });
    const tables = raw
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely%'`)
      .pluck()
      .all();
    raw.close();
    expect(tables).toEqual(['attribute']);
  });

  it('gives STORE_BUSY when another process holds the write lock', async () => {
    const path = join(dir, 'iocrelay.db');
    const writer = await openStore({ path, log: capturingLogger().log });
    const other = await openStore({ path, log: capturingLogger().log, busyTimeoutMs: 50 });
    const ingest = await writer.beginIngest(await writer.startRun(T0), T0);
    ingest.add('misp', makeAttribute(makeEvent()), [ipv4('192.0.2.1')]);

    const err = await failure(other.beginIngest(1, T0));
    expect(isIocrelayError(err, 'STORE_BUSY')).toBe(true);
    expect(err).toMatchObject({ details: { operation: 'beginIngest' } });

    // Readers still see the last committed state meanwhile.
    expect(await other.recentRuns(1)).toHaveLength(1);
    await writer.close();
    await other.close();
  });
});

describe('runs', () => {
  it('records start, finish and summary, newest first', async () => {
    const store = await openStore({ path: join(dir, 'iocrelay.db'), log: capturingLogger().log });
    const first = await store.startRun(T0);
    const second = await store.startRun(T0 + 1000);
    await store.finishRun(first, 'failed', 'MISP_TIMEOUT', { attributes: 0 }, T0 + 500);
    await store.finishRun(
      second,
      'ok',
      null,
      { attributes: 12, lists: { 'acme/ip.txt': 3 } },
      T0 + 2000,
    );

    expect(await store.recentRuns(10)).toEqual([
      {
        id: second,
        startedAt: T0 + 1000,
        finishedAt: T0 + 2000,
        status: 'ok',
        errorCode: null,
        summary: { attributes: 12, lists: { 'acme/ip.txt': 3 } },
      },
      {
        id: first,
        startedAt: T0,
        finishedAt: T0 + 500,
        status: 'failed',
        errorCode: 'MISP_TIMEOUT',
        summary: { attributes: 0 },
      },
    ]);
    expect(await store.recentRuns(1)).toHaveLength(1);
    await expect(store.finishRun(99, 'ok', null, {}, T0)).rejects.toThrow('no run 99');

    const third = await store.startRun(T0 + 3000);
    expect((await store.recentRuns(1))[0]).toEqual({
      id: third,
      startedAt: T0 + 3000,
      finishedAt: null,
      status: 'running',
      errorCode: null,
      summary: null,
    });
    await store.close();
  });
});

import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadConfig } from '../src/config/load-config.js';
import { isIocrelayError } from '../src/errors/iocrelay-error.js';
import { silentLogger } from '../src/log/logger.js';
import { createDirPublisher } from '../src/publish/dir-publisher.js';
import type { FetchRecord } from '../src/serve/feed-server-options.js';
import { backupStore } from '../src/store/backup-store.js';
import { openStore } from '../src/store/store.js';
import { createSources } from '../src/sync/create-sources.js';
import { runSync } from '../src/sync/run-sync.js';
import { runCli } from './support/cli.js';
import { ipv4, makeAttribute, makeEvent } from './support/store-fixtures.js';

const DEMO_FEED = join(import.meta.dirname, '..', 'demo', 'feed');
const BATCH = 50;

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iocrelay-backup-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A configuration of two tenants on the demo feed, its database under `<folder>/var`. */
function writeConfig(folder: string, database = './var/iocrelay.db'): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'iocrelay.yaml');
  writeFileSync(
    file,
    `database: ${database}
feeds: [{ name: demo, url: ${join(dir, 'feed')} }]
publish: { dir: ./public }
policy: { expiry: { ip: never, domain: never, url: never } }
tenants:
  - id: acme
    lists:
      - { file: ip.txt, types: [ip] }
      - { file: domain.txt, types: [domain] }
  - id: globex
    lists: [{ file: ip.txt, types: [ip] }]
`,
  );
  return file;
}

/** The demo synced in this process as `iocrelay sync` runs it: a live database with publications. */
async function syncedLive(): Promise<{ file: string; database: string }> {
  cpSync(DEMO_FEED, join(dir, 'feed'), { recursive: true });
  const file = writeConfig(join(dir, 'live'));
  const config = loadConfig(file, {});
  const log = silentLogger();
  const store = await openStore({ path: config.database, log });
  try {
    const report = await runSync({
      config,
      store,
      sources: createSources(config, log),
      publisher: createDirPublisher(config.publish.dir),
      log,
    });
    expect(report.status).toBe('ok');
  } finally {
    await store.close();
  }
  return { file, database: config.database };
}

function fetches(from: number, count: number): FetchRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    tenant: 'acme',
    list: 'ip.txt',
    device: `fw-${(from + i) % 40}`,
    clientIp: `198.51.100.${(from + i) % 250}`,
    userAgent: 'PAN-OS 11.1',
    method: 'GET',
    status: 200,
    bytes: 120,
    sha256: 'b'.repeat(64),
    at: 1_764_800_000_000 + from + i,
  }));
}

function query<T>(path: string, sql: string): T {
  const reader = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return reader.prepare<[], T>(sql).pluck().get() as T;
  } finally {
    reader.close();
  }
}

interface StatusJson {
  tenants: { tenant: string; lists: { list: string; lastPublication: unknown }[] }[];
}

async function lastPublications(
  database: string,
  lists: readonly string[],
): Promise<Record<string, unknown>> {
  const store = await openStore({ path: database, log: silentLogger() });
  try {
    const entries: [string, unknown][] = [];
    for (const name of lists) {
      const [tenant = '', list = ''] = name.split('/');
      const publication = await store.lastPublication(tenant, list);
      expect(publication).not.toBeNull();
      entries.push([name, publication]);
    }
    return Object.fromEntries(entries);
  } finally {
    await store.close();
  }
}

describe('iocrelay backup', () => {
  it('copies the database while the feed server writes fetch records, and the copy restores', async () => {
    const live = await syncedLive();
    const log = silentLogger();
    // As `iocrelay serve` records fetches: a connection of its own that never waits (busy 0).
    const tracking = await openStore({ path: live.database, log, busyTimeoutMs: 0 });
    for (let i = 0; i < 200_000; i += 5_000) await tracking.recordFetches(fetches(i, 5_000));

    let isWriting = true;
    let written = 200_000;
    const failures: unknown[] = [];
    const writer = (async () => {
      while (isWriting) {
        try {
          await tracking.recordFetches(fetches(written, BATCH));
          written += BATCH;
        } catch (error) {
          failures.push(error);
        }
        await sleep(1);
      }
    })();

    const out = join(dir, 'backups', 'iocrelay.db');
    mkdirSync(join(dir, 'backups'));
    const writtenBefore = written;
    const backup = await runCli(['backup', '--config', live.file, '--out', out]);
    const writtenAfter = written;
    isWriting = false;
    await writer;
    await tracking.close();

    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(
      /^backup written to .*iocrelay\.db\n {2}[\d.]+ MiB in [\d.]+ s, integrity ok, 3 publications\n {2}schema (\S+) \(\d+ migrations\); this iocrelay's latest is \1\n$/,
    );
    expect(JSON.parse(backup.stderr.trim())).toMatchObject({
      level: 'info',
      component: 'backup',
      target: out,
      msg: 'backup written',
    });
    // The writer never waited on the backup, and the copy is one snapshot: whole batches only.
    expect(failures).toEqual([]);
    expect(writtenAfter).toBeGreaterThan(writtenBefore);
    const copied = query<number>(out, 'SELECT count(*) FROM fetch');
    expect(copied).toBeGreaterThanOrEqual(writtenBefore);
    expect(copied).toBeLessThanOrEqual(writtenAfter);
    expect(copied % BATCH).toBe(0);
    expect(query<string>(out, 'PRAGMA integrity_check')).toBe('ok');
    expect(readdirSync(join(dir, 'backups'))).toEqual(['iocrelay.db']);

    // Restore: the copy becomes the database of a second installation, which syncs and
    // reports the publications of the first.
    const restored = writeConfig(join(dir, 'restored'));
    mkdirSync(join(dir, 'restored', 'var'));
    cpSync(out, join(dir, 'restored', 'var', 'iocrelay.db'));
    const lists = ['acme/ip.txt', 'acme/domain.txt', 'globex/ip.txt'];
    const before = await lastPublications(live.database, lists);

    const sync = await runCli(['sync', '--config', restored, '--log-level', 'warn']);
    expect(sync.code).toBe(0);
    const status = await runCli(['status', '--config', restored, '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as StatusJson;
    expect(
      Object.fromEntries(
        report.tenants.flatMap((t) =>
          t.lists.map((l) => [`${t.tenant}/${l.list}`, l.lastPublication]),
        ),
      ),
    ).toEqual(before);
    for (const list of lists) {
      expect(readFileSync(join(dir, 'restored', 'public', list), 'utf8')).toBe(
        readFileSync(join(dir, 'live', 'public', list), 'utf8'),
      );
    }
  }, 120_000);

  it('copies only what a sync in progress has committed, without waiting for it', async () => {
    const live = await syncedLive();
    const store = await openStore({ path: live.database, log: silentLogger() });
    const runId = await store.startRun(Date.now());
    const ingest = await store.beginIngest(runId, Date.now());
    const event = makeEvent();
    ingest.add('demo', makeAttribute(event, { value: '203.0.113.99' }), [ipv4('203.0.113.99')]);

    const out = join(dir, 'during-sync.db');
    const result = backupStore({ source: live.database, target: out, isForced: false });
    await ingest.commit();
    await store.close();

    const count = "SELECT count(*) FROM indicator WHERE value = '203.0.113.99'";
    expect(result).toMatchObject({ target: out, publications: 3 });
    expect(query<number>(out, count)).toBe(0);
    expect(query<number>(live.database, count)).toBe(1);
  }, 120_000);

  it('exits 2 rather than overwrite, replaces with --force, and 1 when it cannot back up', async () => {
    const live = await syncedLive();
    const out = join(dir, 'iocrelay-backup.db');
    writeFileSync(out, 'an older backup');

    const refused = await runCli(['backup', '--config', live.file, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      `error BACKUP_TARGET_EXISTS: The backup file named by --out already exists; nothing was written. Choose another name, or add --force to replace it.\n  target: ${out}\n`,
    );
    expect(readFileSync(out, 'utf8')).toBe('an older backup');

    const forced = await runCli(['backup', '--config', live.file, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(query<string>(out, 'PRAGMA integrity_check')).toBe('ok');

    const noFolder = join(dir, 'missing', 'backup.db');
    const failed = await runCli(['backup', '--config', live.file, '--out', noFolder]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error BACKUP_FAILED: ');
    expect(failed.stderr).toContain('  step: copy\n');
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  }, 120_000);

  it('refuses the database itself as the target, and a database that does not exist', async () => {
    const live = await syncedLive();
    const failure = (source: string, target: string): unknown => {
      try {
        return backupStore({ source, target, isForced: true });
      } catch (error) {
        return error;
      }
    };

    const problem = '--out names the database or its -wal or -shm file';
    const itself = failure(live.database, live.database);
    expect(isIocrelayError(itself, 'BACKUP_FAILED')).toBe(true);
    expect(itself).toMatchObject({ details: { step: 'target', problem } });
    // While a connection is open the WAL file exists beside the database.
    const open = await openStore({ path: live.database, log: silentLogger() });
    const wal = failure(live.database, `${live.database}-wal`);
    await open.close();
    expect(wal).toMatchObject({ code: 'BACKUP_FAILED', details: { step: 'target', problem } });
    expect(query<number>(live.database, 'SELECT count(*) FROM publication')).toBe(3);

    const absent = failure(join(dir, 'empty', 'var', 'iocrelay.db'), join(dir, 'x.db'));
    expect(isIocrelayError(absent, 'BACKUP_FAILED')).toBe(true);
    expect(absent).toMatchObject({ details: { step: 'open' } });
    expect(existsSync(join(dir, 'empty'))).toBe(false);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  }, 120_000);

  it('gives the copy the permissions of the database', async () => {
    const live = await syncedLive();
    chmodSync(live.database, 0o640);
    const out = join(dir, 'mode.db');
    backupStore({ source: live.database, target: out, isForced: false });

    expect(statSync(out).mode & 0o777).toBe(0o640);
  }, 120_000);
});

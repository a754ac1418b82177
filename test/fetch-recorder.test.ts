import { Writable } from 'node:stream';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createLogger, silentLogger } from '../src/log/logger.js';
import { createFetchRecorder } from '../src/serve/fetch-recorder.js';
import type { FetchRecord } from '../src/serve/feed-server-options.js';
import { openStore, type Store } from '../src/store/store.js';
import { tempStore, type TempStore } from './support/store-fixtures.js';

const T0 = 1_714_600_000_000;
// Long enough that the timer never fires during a test: each test flushes itself.
const NO_TIMER = 3_600_000;

let temp: TempStore;
let tracking: Store;
let locker: Database.Database | null = null;

beforeEach(async () => {
  temp = await tempStore();
  // As in `iocrelay serve`: a connection of its own that never waits for the write lock.
  tracking = await openStore({ path: temp.path, log: silentLogger(), busyTimeoutMs: 0 });
});

afterEach(async () => {
  locker?.close();
  locker = null;
  await tracking.close();
  await temp.cleanup();
});

function fetch(at: number): FetchRecord {
  return {
    tenant: 'acme',
    list: 'ip.txt',
    device: 'token#1',
    clientIp: '198.51.100.3',
    userAgent: 'curl/8.5.0',
    method: 'GET',
    status: 304,
    bytes: 0,
    sha256: 'a1',
    at,
  };
}

function storedTimes(): number[] {
  return (temp.dump().fetch as { at: number }[]).map((row) => row.at);
}

/** Another process's sync: a write transaction held on another connection. */
function holdWriteLock(): Database.Database {
  locker = new Database(temp.path);
  locker.exec('BEGIN IMMEDIATE');
  return locker;
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level: 'warn', destination }), lines };
}

describe('createFetchRecorder', () => {
  it('buffers records and writes them in one batch per flush', async () => {
    const recorder = createFetchRecorder({
      store: tracking,
      log: silentLogger(),
      flushIntervalMs: NO_TIMER,
    });
    for (let i = 0; i < 3; i++) recorder.record(fetch(T0 + i));

    expect(storedTimes()).toEqual([]);
    await recorder.flush();
    expect(storedTimes()).toEqual([T0, T0 + 1, T0 + 2]);

    recorder.record(fetch(T0 + 3));
    await recorder.close();
    recorder.record(fetch(T0 + 4));
    await recorder.flush();
    expect(storedTimes()).toEqual([T0, T0 + 1, T0 + 2, T0 + 3]);
  });

  it('flushes on its timer', async () => {
    const recorder = createFetchRecorder({
      store: tracking,
      log: silentLogger(),
      flushIntervalMs: 20,
    });
    recorder.record(fetch(T0));

    await expect.poll(storedTimes, { timeout: 2_000, interval: 10 }).toEqual([T0]);
    await recorder.close();
  });

  it('keeps the records while another connection holds the write lock', async () => {
    const { log, lines } = capturingLogger();
    const recorder = createFetchRecorder({ store: tracking, log, flushIntervalMs: NO_TIMER });
    const sync = holdWriteLock();

    recorder.record(fetch(T0));
    recorder.record(fetch(T0 + 1));
    await recorder.flush();
    recorder.record(fetch(T0 + 2));
    await recorder.flush();
    expect(storedTimes()).toEqual([]);

    sync.exec('COMMIT');
    await recorder.flush();
    expect(storedTimes()).toEqual([T0, T0 + 1, T0 + 2]);
    expect(lines).toEqual([]);
    await recorder.close();
  });

  it('drops the oldest records beyond maxBuffered and warns once per flush', async () => {
    const { log, lines } = capturingLogger();
    const recorder = createFetchRecorder({
      store: tracking,
      log,
      flushIntervalMs: NO_TIMER,
      maxBuffered: 3,
    });
    const sync = holdWriteLock();

    for (let i = 0; i < 5; i++) recorder.record(fetch(T0 + i));
    await recorder.flush();
    for (let i = 5; i < 7; i++) recorder.record(fetch(T0 + i));
    sync.exec('COMMIT');
    await recorder.flush();

    expect(storedTimes()).toEqual([T0 + 4, T0 + 5, T0 + 6]);
    expect(
      lines.map(({ level, msg, component, dropped }) => ({ level, msg, component, dropped })),
    ).toEqual([
      {
        level: 'warn',
        msg: 'fetch records dropped: buffer full',
        component: 'delivery',
        dropped: 2,
      },
      {
        level: 'warn',
        msg: 'fetch records dropped: buffer full',
        component: 'delivery',
        dropped: 2,
      },
    ]);
    await recorder.close();
  });

  it('keeps order and the bound with records that arrive while a write is under way', async () => {
    const { log, lines } = capturingLogger();
    // The same store, answering only when the test lets it, as a networked store would later.
    let hasBatch = (): void => undefined;
    let answer = (): void => undefined;
    const batchTaken = new Promise<void>((resolve) => (hasBatch = resolve));
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const slow = {
      recordFetches: async (records: readonly FetchRecord[]) => {
        hasBatch();
        await gate;
        await tracking.recordFetches(records);
      },
    };
    const recorder = createFetchRecorder({
      store: slow,
      log,
      flushIntervalMs: NO_TIMER,
      maxBuffered: 3,
    });
    const sync = holdWriteLock();

    recorder.record(fetch(T0));
    recorder.record(fetch(T0 + 1));
    const writing = recorder.flush();
    await batchTaken;
    for (let i = 2; i < 6; i++) recorder.record(fetch(T0 + i));
    answer();
    await writing;
    sync.exec('COMMIT');
    await recorder.flush();

    expect(storedTimes()).toEqual([T0 + 3, T0 + 4, T0 + 5]);
    expect(lines.map(({ msg, dropped }) => ({ msg, dropped }))).toEqual([
      { msg: 'fetch records dropped: buffer full', dropped: 3 },
    ]);
    await recorder.close();
  });

  it('writes what is left at close, and says what a held lock made it drop', async () => {
    const { log, lines } = capturingLogger();
    const recorder = createFetchRecorder({ store: tracking, log, flushIntervalMs: NO_TIMER });
    recorder.record(fetch(T0));
    await recorder.close();
    expect(storedTimes()).toEqual([T0]);

    const second = createFetchRecorder({ store: tracking, log, flushIntervalMs: NO_TIMER });
    holdWriteLock();
    second.record(fetch(T0 + 1));
    await second.close();
    expect(lines.map(({ msg, dropped }) => ({ msg, dropped }))).toEqual([
      { msg: 'fetch records dropped at close: store busy', dropped: 1 },
    ]);
  });

  it('drops a batch the store refuses for another reason, with one error record', async () => {
    const { log, lines } = capturingLogger();
    const recorder = createFetchRecorder({ store: tracking, log, flushIntervalMs: NO_TIMER });
    recorder.record({ ...fetch(T0), method: 'POST' } as unknown as FetchRecord);
    await recorder.flush();
    recorder.record(fetch(T0 + 1));
    await recorder.flush();

    expect(storedTimes()).toEqual([T0 + 1]);
    expect(lines.map(({ level, msg, records, err }) => ({ level, msg, records, err }))).toEqual([
      {
        level: 'error',
        msg: 'fetch records not written: dropped',
        records: 1,
        err: expect.objectContaining({ code: 'STORE_FAILED' }),
      },
    ]);
    await recorder.close();
  });

  it('costs little on the request path', async () => {
    const recorder = createFetchRecorder({
      store: tracking,
      log: silentLogger(),
      flushIntervalMs: NO_TIMER,
      maxBuffered: 10_000,
    });
    const record = fetch(T0);
    const started = performance.now();
    for (let i = 0; i < 200_000; i++) recorder.record(record);
    const perRecordUs = ((performance.now() - started) * 1000) / 200_000;

    // Typically well under 0.1 µs; the bound only catches a per-record copy or write.
    expect(perRecordUs).toBeLessThan(2);
    await recorder.close();
    expect(storedTimes()).toHaveLength(10_000);
  });
});

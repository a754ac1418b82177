import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isIocrelayError } from '../src/errors/iocrelay-error.js';
import type { FetchRecord } from '../src/serve/feed-server-options.js';
import { markStaleDevices } from '../src/store/device-status.js';
import type { RecordPublicationInput } from '../src/store/publications.js';
import type { Store } from '../src/store/store.js';
import {
  ipv4,
  makeAttribute,
  makeEvent,
  tempStore,
  type TempStore,
} from './support/store-fixtures.js';

const T0 = 1_714_600_000_000;
const MINUTE = 60_000;
// MISP's attribute timestamp (seconds), two minutes before the store took the indicators.
const MISP_TIMESTAMP = (T0 - 2 * MINUTE) / 1000;

let temp: TempStore;
let store: Store;
let runId: number;

beforeEach(async () => {
  temp = await tempStore();
  store = temp.store;
  runId = await store.startRun(T0);

  // Indicators 1..3: 192.0.2.1 … 192.0.2.3.
  const event = makeEvent();
  const ingest = await store.beginIngest(runId, T0);
  for (let i = 1; i <= 3; i++) {
    const value = `192.0.2.${i}`;
    ingest.add('misp', makeAttribute(event, { value, timestamp: MISP_TIMESTAMP }), [ipv4(value)]);
  }
  await ingest.finishSource('misp', { mode: 'full', cursor: 1 });
  await ingest.commit();
});

afterEach(async () => {
  await temp.cleanup();
});

function publish(overrides: Partial<RecordPublicationInput>): Promise<unknown> {
  return store.recordPublication({
    runId,
    tenant: 'acme',
    list: 'ip.txt',
    status: 'published',
    entries: 0,
    sha256: 'a1',
    bytes: 0,
    indicatorIds: [],
    now: T0,
    ...overrides,
  });
}

function fetch(overrides: Partial<FetchRecord>): FetchRecord {
  return {
    tenant: 'acme',
    list: 'ip.txt',
    device: 'acme-fw',
    clientIp: '192.0.2.7',
    userAgent: 'PAN-OS 11.1',
    method: 'GET',
    status: 200,
    bytes: 0,
    sha256: null,
    at: T0,
    ...overrides,
  };
}

const FIREWALL = { device: 'acme-fw', clientIp: '192.0.2.7', userAgent: 'PAN-OS 11.1' };
const CURL = { device: 'token#1', clientIp: '198.51.100.3', userAgent: 'curl/8.5.0' };
const BLOCKED = { device: 'token#1', clientIp: '203.0.113.9', userAgent: 'curl/8.5.0' };
const FORTIGATE = { device: 'token#1', clientIp: '198.51.100.20', userAgent: 'FortiGate' };

/**
 * acme/ip.txt: a1 = [1] at +1m, a2 = [1, 2] at +2m, then unchanged at +3m.
 * globex/ip.txt: g1 = [1, 2] at +1m.
 */
async function publishAndFetch(): Promise<void> {
  await publish({ indicatorIds: [1], entries: 1, now: T0 + MINUTE });
  await publish({ tenant: 'globex', indicatorIds: [1, 2], sha256: 'g1', now: T0 + MINUTE });
  await publish({ indicatorIds: [1, 2], entries: 2, sha256: 'a2', now: T0 + 2 * MINUTE });
  await publish({ status: 'unchanged', sha256: 'a2', now: T0 + 3 * MINUTE });

  await store.recordFetches([
    // Before the first publication: 404, credited to no device.
    fetch({ ...FIREWALL, status: 404, at: T0 + 30_000 }),
    fetch({ ...FIREWALL, sha256: 'a1', bytes: 10, at: T0 + 65_000 }),
    fetch({ ...FORTIGATE, tenant: 'globex', sha256: 'g1', bytes: 20, at: T0 + 61_000 }),
    fetch({ ...CURL, sha256: 'a1', bytes: 10, at: T0 + 70_000 }),
    fetch({
      device: null,
      clientIp: '203.0.113.50',
      userAgent: null,
      status: 401,
      at: T0 + 100_000,
    }),
    fetch({
      device: null,
      clientIp: '203.0.113.50',
      userAgent: null,
      status: 401,
      at: T0 + 110_000,
    }),
    // A HEAD names the new version without sending it: no delivery.
    fetch({ ...FIREWALL, method: 'HEAD', sha256: 'a2', at: T0 + 125_000 }),
    fetch({ ...FIREWALL, sha256: 'a2', bytes: 20, at: T0 + 130_000 }),
    // globex's token on acme's path: 404, never an acme device.
    fetch({ ...FORTIGATE, status: 404, at: T0 + 150_000 }),
    fetch({ ...FIREWALL, status: 304, sha256: 'a2', at: T0 + 190_000 }),
    fetch({ ...BLOCKED, status: 403, at: T0 + 200_000 }),
  ]);
}

describe('recordFetches', () => {
  it('writes every record, in batches and one by one, all in one transaction', async () => {
    const records = Array.from({ length: 130 }, (_, i) => fetch({ at: T0 + i, bytes: i }));
    await store.recordFetches(records);
    await store.recordFetches([]);

    const rows = temp.dump().fetch as { id: number; at: number; bytes: number }[];
    expect(rows).toHaveLength(130);
    expect(rows[129]).toEqual({
      id: 130,
      tenant: 'acme',
      list: 'ip.txt',
      device: 'acme-fw',
      client_ip: '192.0.2.7',
      user_agent: 'PAN-OS 11.1',
      method: 'GET',
      status: 200,
      sha256: null,
      bytes: 129,
      at: T0 + 129,
    });
    expect(rows.map((row) => row.at)).toEqual(records.map((record) => record.at));
  });

  it('writes nothing of a batch with a bad record', async () => {
    const bad = { ...fetch({}), method: 'POST' } as unknown as FetchRecord;
    const records = [...Array.from({ length: 70 }, () => fetch({})), bad];
    const failure = await store.recordFetches(records).catch((err: unknown) => err);

    expect(isIocrelayError(failure, 'STORE_FAILED')).toBe(true);
    expect(failure).toMatchObject({ details: { operation: 'recordFetches' } });
    expect(temp.dump().fetch).toEqual([]);
  });

  it('prunes records older than the retention', async () => {
    await store.recordFetches([fetch({ at: T0 }), fetch({ at: T0 + 5 }), fetch({ at: T0 + 9 })]);

    expect(await store.pruneFetches(T0 + 5)).toBe(1);
    expect((temp.dump().fetch as { at: number }[]).map((row) => row.at)).toEqual([T0 + 5, T0 + 9]);
  });
});

describe('deviceStatus', () => {
  it("gives each device of a tenant's list its last fetch and the version it holds", async () => {
    await publishAndFetch();

    expect(await store.deviceStatus('acme')).toEqual([
      {
        tenant: 'acme',
        list: 'ip.txt',
        ...FIREWALL,
        fetches: 4,
        lastFetchAt: T0 + 190_000,
        lastStatus: 304,
        sha256: 'a2',
        deliveredAt: T0 + 190_000,
        isCurrent: true,
      },
      {
        tenant: 'acme',
        list: 'ip.txt',
        ...CURL,
        fetches: 1,
        lastFetchAt: T0 + 70_000,
        lastStatus: 200,
        sha256: 'a1',
        deliveredAt: T0 + 70_000,
        isCurrent: false,
      },
      {
        tenant: 'acme',
        list: 'ip.txt',
        ...BLOCKED,
        fetches: 1,
        lastFetchAt: T0 + 200_000,
        lastStatus: 403,
        sha256: null,
        deliveredAt: null,
        isCurrent: false,
      },
    ]);
    expect(await store.deviceStatus('globex', 'ip.txt')).toEqual([
      {
        tenant: 'globex',
        list: 'ip.txt',
        ...FORTIGATE,
        fetches: 1,
        lastFetchAt: T0 + 61_000,
        lastStatus: 200,
        sha256: 'g1',
        deliveredAt: T0 + 61_000,
        isCurrent: true,
      },
    ]);
    expect(await store.deviceStatus('acme', 'dns.txt')).toEqual([]);
  });

  it('keeps the version of the last delivery when later fetches deliver nothing', async () => {
    await publish({ indicatorIds: [1], sha256: 'a1', now: T0 });
    await store.recordFetches([
      fetch({ ...FIREWALL, sha256: 'a1', at: T0 + 1 }),
      fetch({ ...FIREWALL, method: 'HEAD', sha256: 'a1', at: T0 + 2 }),
      fetch({ ...FIREWALL, status: 403, at: T0 + 3 }),
    ]);

    expect(await store.deviceStatus('acme', 'ip.txt')).toEqual([
      {
        tenant: 'acme',
        list: 'ip.txt',
        ...FIREWALL,
        fetches: 3,
        lastFetchAt: T0 + 3,
        lastStatus: 403,
        sha256: 'a1',
        deliveredAt: T0 + 1,
        isCurrent: true,
      },
    ]);
  });

  it('counts 401 and 404 fetches per list instead of crediting a device', async () => {
    await publishAndFetch();

    expect(await store.refusedFetches('acme')).toEqual([
      { tenant: 'acme', list: 'ip.txt', status: 401, fetches: 2, lastAt: T0 + 110_000 },
      { tenant: 'acme', list: 'ip.txt', status: 404, fetches: 2, lastAt: T0 + 150_000 },
    ]);
    expect(await store.refusedFetches('globex')).toEqual([]);
  });

  it('marks devices silent for longer than stale_after', async () => {
    await publishAndFetch();
    const now = T0 + 190_000 + 3_600_000;

    const checked = markStaleDevices(await store.deviceStatus('acme'), now, 3_600);
    expect(checked.map(({ device, clientIp, isStale }) => [device, clientIp, isStale])).toEqual([
      ['acme-fw', '192.0.2.7', false], // exactly stale_after ago: not yet stale
      ['token#1', '198.51.100.3', true],
      ['token#1', '203.0.113.9', false],
    ]);
  });
});

describe('timeToBlock', () => {
  it('gives per list when MISP had it, its first publication and each device fetch', async () => {
    await publishAndFetch();

    expect(await store.timeToBlock(2)).toEqual([
      {
        tenant: 'acme',
        list: 'ip.txt',
        recordedInMispAt: T0 - 2 * MINUTE,
        firstStoredAt: T0,
        firstPublishedAt: T0 + 2 * MINUTE,
        publishDelayMs: 4 * MINUTE,
        devices: [
          {
            ...FIREWALL,
            firstFetchedAt: T0 + 130_000,
            sha256: 'a2',
            fetchDelayMs: 10_000,
            timeToBlockMs: 250_000,
          },
          // Fetching since, but refused by allowed_clients: not blocking it yet.
          {
            ...BLOCKED,
            firstFetchedAt: null,
            sha256: null,
            fetchDelayMs: null,
            timeToBlockMs: null,
          },
        ],
      },
      {
        tenant: 'globex',
        list: 'ip.txt',
        recordedInMispAt: T0 - 2 * MINUTE,
        firstStoredAt: T0,
        firstPublishedAt: T0 + MINUTE,
        publishDelayMs: 3 * MINUTE,
        devices: [
          {
            ...FORTIGATE,
            firstFetchedAt: T0 + 61_000,
            sha256: 'g1',
            fetchDelayMs: 1_000,
            timeToBlockMs: 181_000,
          },
        ],
      },
    ]);

    const first = await store.timeToBlock(1);
    expect(first[0]?.devices.map((d) => [d.device, d.clientIp, d.firstFetchedAt])).toEqual([
      ['acme-fw', '192.0.2.7', T0 + 65_000],
      ['token#1', '198.51.100.3', T0 + 70_000],
      ['token#1', '203.0.113.9', null],
    ]);
    expect(await store.timeToBlock(3)).toEqual([]);
    expect(await store.timeToBlock(999)).toEqual([]);
  });

  it('counts only versions that carried the indicator, not a later one without it', async () => {
    // 3 enters with a3 and leaves with the next publication, whose bytes equal a2's.
    await publish({ indicatorIds: [1, 2], sha256: 'a2', now: T0 + MINUTE });
    await publish({ indicatorIds: [1, 2, 3], sha256: 'a3', now: T0 + 2 * MINUTE });
    await publish({ indicatorIds: [1, 2], sha256: 'a2', now: T0 + 3 * MINUTE });
    await store.recordFetches([
      fetch({ ...FIREWALL, sha256: 'a2', at: T0 + 2 * MINUTE + 1 }),
      fetch({ ...FIREWALL, sha256: 'a3', at: T0 + 2 * MINUTE + 2 }),
      fetch({ ...CURL, sha256: 'a2', at: T0 + 3 * MINUTE + 5 }),
    ]);

    const [delivery] = await store.timeToBlock(3);
    expect(delivery?.devices).toEqual([
      {
        ...FIREWALL,
        firstFetchedAt: T0 + 2 * MINUTE + 2,
        sha256: 'a3',
        fetchDelayMs: 2,
        timeToBlockMs: 4 * MINUTE + 2,
      },
      { ...CURL, firstFetchedAt: null, sha256: null, fetchDelayMs: null, timeToBlockMs: null },
    ]);
  });

  it('counts an attribute edited after it was stored from when it was stored', async () => {
    const event = makeEvent();
    const ingest = await store.beginIngest(await store.startRun(T0 + 10), T0 + 10);
    // MISP's timestamp after the store took it: an edit, or MISP's clock ahead.
    const edited = makeAttribute(event, { value: '198.51.100.9', timestamp: (T0 + MINUTE) / 1000 });
    ingest.add('misp', edited, [ipv4('198.51.100.9')]);
    await ingest.commit();
    await publish({ indicatorIds: [4], sha256: 'b1', now: T0 + 20 });

    expect(await store.timeToBlock(4)).toEqual([
      {
        tenant: 'acme',
        list: 'ip.txt',
        recordedInMispAt: T0 + 10,
        firstStoredAt: T0 + 10,
        firstPublishedAt: T0 + 20,
        publishDelayMs: 10,
        devices: [],
      },
    ]);
  });
});

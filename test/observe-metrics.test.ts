import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { POLICY_RULES } from '../src/policy/list-policy.js';
import {
  ACME_TOKEN,
  removeObserved,
  startObserved,
  valueOf,
  type ObservedServe,
} from './support/observe-harness.js';

const ACME = { authorization: `Bearer ${ACME_TOKEN}` };
const HOUR = 3_600_000;

let observed: ObservedServe | undefined;
let dir = '';
afterEach(async () => {
  await observed?.stop();
  observed = undefined;
  removeObserved(dir);
  dir = '';
});

async function synced(): Promise<ObservedServe> {
  observed = await startObserved();
  dir = observed.dir;
  await observed.serve.syncNow();
  return observed;
}

/** Adds a TLP:CLEAR event with one ip-dst attribute that MISP recorded at `timestamp`. */
function addFeedEvent(feed: string, ip: string, timestamp: number): void {
  const uuid = '0f5e7c1a-6d0b-5c39-9a57-4c1e2b3d4f50';
  const manifest = JSON.parse(readFileSync(join(feed, 'manifest.json'), 'utf8')) as object;
  const event = { info: 'Added by the time-to-block test', timestamp: String(timestamp) };
  const attribute = {
    uuid: '7d1c2e3f-4a5b-5c6d-8e7f-9a0b1c2d3e4f',
    type: 'ip-dst',
    category: 'Network activity',
    to_ids: true,
    value: ip,
    timestamp: String(timestamp),
  };
  writeFileSync(
    join(feed, 'manifest.json'),
    JSON.stringify({ ...manifest, [uuid]: { ...event, Tag: [{ name: 'tlp:clear' }] } }),
  );
  writeFileSync(
    join(feed, `${uuid}.json`),
    JSON.stringify({
      Event: {
        uuid,
        ...event,
        published: true,
        Tag: [{ name: 'tlp:clear' }],
        Attribute: [attribute],
      },
    }),
  );
}

/** Waits until delivery tracking has written `count` fetches of acme/ip.txt to the store. */
async function storedFetches(serve: ObservedServe, count: number): Promise<void> {
  const fetches = async (): Promise<number> =>
    (await serve.store.deviceStatus('acme', 'ip.txt')).reduce((sum, d) => sum + d.fetches, 0);
  await expect.poll(fetches, { timeout: 3_000 }).toBe(count);
}

describe('GET /metrics', () => {
  it('exposes every sync run status at 0 before the first run ends', async () => {
    observed = await startObserved({ isGated: true });
    dir = observed.dir;
    const samples = await observed.scrape();

    expect(
      samples
        .filter((sample) => sample.name === 'iocrelay_sync_runs_total')
        .map((sample) => [sample.labels['status'], sample.value]),
    ).toEqual([
      ['ok', 0],
      ['held', 0],
      ['partial', 0],
      ['failed', 0],
    ]);
  });

  it('reports the published lists, the run and its sources with real values', async () => {
    const serve = await synced();
    const feed = await serve.get('/feeds/acme/ip.txt', ACME);
    const samples = await serve.scrape();
    const published = readFileSync(join(serve.config.publish.dir, 'acme', 'ip.txt'), 'utf8');
    const last = await serve.store.lastPublication('acme', 'ip.txt');

    expect(feed.status).toBe(200);
    expect(feed.body).toBe(published);
    expect(valueOf(samples, 'iocrelay_list_entries', { tenant: 'acme', list: 'ip.txt' })).toBe(
      Number(feed.headers['x-entry-count']),
    );
    expect(
      valueOf(samples, 'iocrelay_list_last_publication_timestamp_seconds', {
        tenant: 'acme',
        list: 'ip.txt',
      }),
    ).toBe((last?.publishedAt ?? 0) / 1000);
    expect(valueOf(samples, 'iocrelay_sync_runs_total', { status: 'ok' })).toBe(1);
    expect(valueOf(samples, 'iocrelay_source_last_sync_success', { source: 'feed:demo' })).toBe(1);
    expect(
      valueOf(samples, 'iocrelay_source_attributes_read_total', { source: 'feed:demo' }),
    ).toBeGreaterThan(0);
    const lastSuccess = valueOf(samples, 'iocrelay_last_successful_sync_timestamp_seconds') ?? 0;
    expect(Math.abs(lastSuccess * 1000 - Date.now())).toBeLessThan(60_000);
    const rules = samples.filter(
      (sample) =>
        sample.name === 'iocrelay_list_removed_entries' &&
        sample.labels['tenant'] === 'acme' &&
        sample.labels['list'] === 'ip.txt',
    );
    expect(rules.map((sample) => sample.labels['rule']).sort()).toEqual([...POLICY_RULES].sort());
  });

  it('counts feed fetches per configured list and status, others under empty labels', async () => {
    const serve = await synced();
    const answers = [
      await serve.get('/feeds/acme/ip.txt', ACME),
      await serve.get('/feeds/acme/ip.txt', { authorization: 'Bearer wrong-token-000000000000' }),
      await serve.get('/feeds/made-up-tenant/anything.txt'),
      await serve.get('/feeds/acme/not-a-list.txt', ACME),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 401, 401, 404]);

    // The delivery record is made once the answer is sent.
    await expect
      .poll(
        async () =>
          valueOf(await serve.scrape(), 'iocrelay_feed_fetches_total', {
            tenant: '',
            list: '',
            status: '404',
          }),
        { timeout: 3_000 },
      )
      .toBe(1);
    const samples = await serve.scrape();
    const fetches = samples
      .filter((sample) => sample.name === 'iocrelay_feed_fetches_total')
      .map(
        (sample) =>
          `${sample.labels['tenant']}/${sample.labels['list']} ${sample.labels['status']} ${sample.value}`,
      )
      .sort();
    expect(fetches).toEqual(['/ 401 1', '/ 404 1', 'acme/ip.txt 200 1', 'acme/ip.txt 401 1']);
  });

  it('observes time to block once per indicator at its first delivery, as explain computes it', async () => {
    const serve = await synced();
    const first = await serve.get('/feeds/acme/ip.txt', ACME);
    const again = await serve.get('/feeds/acme/ip.txt', {
      ...ACME,
      'if-none-match': String(first.headers.etag),
    });
    expect([first.status, again.status]).toEqual([200, 304]);
    await storedFetches(serve, 2);

    const ids = await serve.store.listedIndicatorIds('acme', 'ip.txt');
    let expectedSum = 0;
    for (const id of ids) {
      const delivery = (await serve.store.timeToBlock(id)).find((d) => d.list === 'ip.txt');
      expectedSum += (delivery?.devices[0]?.timeToBlockMs ?? Number.NaN) / 1000;
    }
    const samples = await serve.scrape();
    const acme = { tenant: 'acme', source_kind: 'feed' };

    expect(ids.length).toBeGreaterThan(0);
    expect(valueOf(samples, 'iocrelay_time_to_block_seconds_count', acme)).toBe(ids.length);
    expect(valueOf(samples, 'iocrelay_time_to_block_seconds_sum', acme)).toBeCloseTo(
      expectedSum,
      3,
    );
  });

  it('labels each observation with the kind of source that set its MISP time', async () => {
    const serve = await synced();
    const ids = await serve.store.listedIndicatorIds('acme', 'ip.txt');
    const fromMisp = ids[0] ?? -1;
    // As if a MISP server, not the demo feed, had given this indicator its attributes.
    const database = new Database(serve.config.database);
    try {
      database.prepare("UPDATE attribute SET source = 'misp' WHERE indicator_id = ?").run(fromMisp);
    } finally {
      database.close();
    }
    const first = await serve.get('/feeds/acme/ip.txt', ACME);
    await storedFetches(serve, 1);
    const misp = (await serve.store.timeToBlock(fromMisp)).find((d) => d.list === 'ip.txt');
    const samples = await serve.scrape();
    const count = (kind: string): number | undefined =>
      valueOf(samples, 'iocrelay_time_to_block_seconds_count', {
        tenant: 'acme',
        source_kind: kind,
      });

    expect(first.status).toBe(200);
    expect(ids.length).toBeGreaterThan(1);
    expect([count('misp'), count('feed')]).toEqual([1, ids.length - 1]);
    expect(
      valueOf(samples, 'iocrelay_time_to_block_seconds_sum', {
        tenant: 'acme',
        source_kind: 'misp',
      }),
    ).toBeCloseTo((misp?.devices[0]?.timeToBlockMs ?? Number.NaN) / 1000, 3);
  });

  it('observes only the indicator a new publication adds, at its first delivery', async () => {
    const serve = await synced();
    const first = await serve.get('/feeds/acme/ip.txt', ACME);
    await storedFetches(serve, 1);
    const before = await serve.scrape();
    const recordedS = Math.floor(Date.now() / 1000) - 600;
    addFeedEvent(join(serve.dir, 'feed'), '198.51.100.77', recordedS);
    await serve.serve.syncNow();
    const second = await serve.get('/feeds/acme/ip.txt', {
      ...ACME,
      'if-none-match': String(first.headers.etag),
    });
    await storedFetches(serve, 2);
    const after = await serve.scrape();

    const added = await serve.store.lookupIndicator('ip', '198.51.100.77');
    const delivery = (await serve.store.timeToBlock(added?.id ?? -1)).find(
      (d) => d.list === 'ip.txt',
    );
    const expected = (delivery?.devices[0]?.timeToBlockMs ?? Number.NaN) / 1000;
    const acme = { tenant: 'acme', source_kind: 'feed' };
    const delta = (name: string, labels: Record<string, string> = acme): number =>
      (valueOf(after, name, labels) ?? 0) - (valueOf(before, name, labels) ?? 0);

    expect(second.status).toBe(200);
    expect(second.body).toContain('198.51.100.77\n');
    expect(delivery?.recordedInMispAt).toBe(recordedS * 1000);
    expect(delta('iocrelay_time_to_block_seconds_count')).toBe(1);
    expect(delta('iocrelay_time_to_block_seconds_sum')).toBeCloseTo(expected, 3);
    expect(expected).toBeGreaterThanOrEqual(600);
    expect(delta('iocrelay_time_to_block_seconds_bucket', { ...acme, le: '600' })).toBe(0);
    expect(delta('iocrelay_time_to_block_seconds_bucket', { ...acme, le: '900' })).toBe(1);
  });

  it('counts a device with no fetch for over server.stale_after as stale', async () => {
    const serve = await synced();
    const fresh = await serve.get('/feeds/acme/ip.txt', ACME);
    expect(fresh.status).toBe(200);
    await storedFetches(serve, 1);
    // A device last seen two hours ago, in the store as a restarted serve finds it.
    await serve.store.recordFetches([
      {
        tenant: 'acme',
        list: 'ip.txt',
        device: 'token#1',
        clientIp: '198.51.100.3',
        userAgent: null,
        method: 'GET',
        status: 200,
        bytes: 10,
        sha256: 'a'.repeat(64),
        at: Date.now() - 2 * HOUR,
      },
    ]);
    const live = await serve.scrape();
    await serve.stop();
    observed = await startObserved({ dir, isGated: true });
    const restarted = await observed.scrape();
    const status = await observed.store.deviceStatus('acme', 'ip.txt');

    expect(valueOf(live, 'iocrelay_stale_devices', { tenant: 'acme', list: 'ip.txt' })).toBe(0);
    expect(status.map((device) => device.clientIp).sort()).toEqual(['127.0.0.1', '198.51.100.3']);
    expect(valueOf(restarted, 'iocrelay_stale_devices', { tenant: 'acme', list: 'ip.txt' })).toBe(
      1,
    );
    expect(valueOf(restarted, 'iocrelay_stale_devices', { tenant: 'acme', list: 'ip.nft' })).toBe(
      0,
    );
    // globex has no feed_auth: the feed server does not serve it, so it has no devices.
    expect(
      valueOf(restarted, 'iocrelay_stale_devices', { tenant: 'globex', list: 'ip.txt' }),
    ).toBeUndefined();
  });

  it('is seeded from the store after a restart, and counts no delivery twice', async () => {
    const serve = await synced();
    const before = await serve.get('/feeds/acme/ip.txt', ACME);
    await storedFetches(serve, 1);
    const entries = Number(before.headers['x-entry-count']);
    const firstSamples = await serve.scrape();
    await serve.stop();
    observed = undefined;

    observed = await startObserved({ dir, isGated: true });
    const after = await observed.get('/feeds/acme/ip.txt', ACME);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const samples = await observed.scrape();

    expect(after.status).toBe(200);
    expect(valueOf(samples, 'iocrelay_list_entries', { tenant: 'acme', list: 'ip.txt' })).toBe(
      entries,
    );
    expect(valueOf(samples, 'iocrelay_last_successful_sync_timestamp_seconds')).toBe(
      valueOf(firstSamples, 'iocrelay_last_successful_sync_timestamp_seconds'),
    );
    expect(valueOf(samples, 'iocrelay_source_last_sync_success', { source: 'feed:demo' })).toBe(1);
    expect(valueOf(samples, 'iocrelay_sync_runs_total', { status: 'ok' })).toBe(0);
    expect(
      valueOf(samples, 'iocrelay_time_to_block_seconds_count', {
        tenant: 'acme',
        source_kind: 'feed',
      }),
    ).toBe(undefined);
  });
});

import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDirPublisher } from '../src/publish/dir-publisher.js';
import { openStore } from '../src/store/store.js';
import { createSources } from '../src/sync/create-sources.js';
import { runSync } from '../src/sync/run-sync.js';
import { startMispApiServer, type Failure, type MispApiServer } from './support/misp-api-server.js';
import { wireAttribute, wireEvent, type MispWireAttribute } from './support/misp-fixtures.js';
import { syncFixture, type SyncFixture } from './support/sync-harness.js';

const API_KEY = 'syncTESTkey0000000000000000000000000000000';
const GREEN = wireEvent(1, { Tag: [{ name: 'tlp:green' }] });
const OTHER = wireEvent(2, { threat_level_id: '1', Tag: [] });

function attributes(): MispWireAttribute[] {
  return [
    wireAttribute(1, GREEN, { type: 'ip-dst', value: '198.51.100.7' }),
    wireAttribute(2, GREEN, { type: 'ip-dst|port', value: '203.0.113.5|8443' }),
    wireAttribute(3, GREEN, { type: 'domain|ip', value: 'Evil.Example|192.0.2.44' }),
    wireAttribute(4, OTHER, { type: 'url', value: 'hxxps://evil[.]example/login' }),
    wireAttribute(5, OTHER, { type: 'sha256', value: 'A'.repeat(64) }),
    wireAttribute(6, OTHER, { type: 'ip-src', value: '2001:DB8::0:1' }),
    wireAttribute(7, OTHER, { type: 'ip-dst', value: '198.51.100.0/24' }),
    wireAttribute(8, OTHER, { type: 'hostname', value: 'c2.evil.example.' }),
    wireAttribute(9, OTHER, { type: 'ip-dst', value: '010.1.1.1' }),
  ];
}

const servers: MispApiServer[] = [];
const fixtures: SyncFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setUp(
  pageSize = 3,
  extra = '',
): Promise<{ misp: MispApiServer; fixture: SyncFixture }> {
  const misp = await startMispApiServer({ apiKey: API_KEY, attributes: attributes() });
  servers.push(misp);
  const fixture = await syncFixture(
    `database: ./var/iocrelay.db
misp:
  url: \${MISP_URL}
  api_key: \${MISP_API_KEY}
  page_size: ${pageSize}
  retries: 1
  timeout: 2s
  query:
    type: [ip-src, ip-dst, ip-src|port, ip-dst|port, domain, domain|ip, hostname, url, md5, sha1, sha256]
    to_ids: true
    published: true
publish:
  dir: ./public
# The OTHER event carries no TLP tag (MISP's empty Tag quirk); these events are shared.
tlp_default: green
tenants:
  - id: acme
    lists:
      - { file: ip.txt, types: [ip] }
      - { file: domain.txt, types: [domain] }
      - { file: url.txt, types: [url] }
      - { file: sha256.txt, types: [sha256] }
${extra}`,
    { MISP_URL: misp.url, MISP_API_KEY: API_KEY },
  );
  fixtures.push(fixture);
  return { misp, fixture };
}

describe('sync from the MISP REST API', () => {
  it('writes every list, canonical, deduplicated and in order, paging until a short page', async () => {
    const { misp, fixture } = await setUp(3);
    const report = await fixture.sync();

    expect(report.status).toBe('ok');
    expect(fixture.list('acme', 'ip.txt')).toBe(
      '192.0.2.44\n198.51.100.0/24\n198.51.100.7\n203.0.113.5\n2001:db8::1\n',
    );
    expect(fixture.list('acme', 'domain.txt')).toBe('c2.evil.example\nevil.example\n');
    expect(fixture.list('acme', 'url.txt')).toBe('https://evil.example/login\n');
    expect(fixture.list('acme', 'sha256.txt')).toBe(`${'a'.repeat(64)}\n`);
    expect(report.rejected).toEqual({ ipv4_leading_zero: 1 });

    // 9 attributes in pages of 3: three full pages, then an empty one ends the pull.
    const pages = misp.requests.map((r) => [r.body['page'], r.body['limit']]);
    expect(pages).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
      [4, 3],
    ]);
    expect(misp.requests[0]?.headers['authorization']).toBe(API_KEY);
    expect(misp.requests[0]?.headers['accept']).toBe('application/json');
    expect(misp.requests[0]?.body).toMatchObject({
      to_ids: true,
      published: true,
      returnFormat: 'json',
    });
  });

  it('pulls only changes on the next run and follows deletes and to_ids flips', async () => {
    const { misp, fixture } = await setUp(50);
    await fixture.sync();
    const cursor = Math.max(...attributes().map((a) => Number(a.timestamp)));

    misp.mutate((held) => {
      const deleted = held.find((a) => a.id === '1');
      const flipped = held.find((a) => a.id === '7');
      Object.assign(deleted ?? {}, { deleted: true, timestamp: String(cursor + 10) });
      Object.assign(flipped ?? {}, { to_ids: false, timestamp: String(cursor + 11) });
      held.push(
        wireAttribute(10, GREEN, {
          type: 'ip-dst',
          value: '203.0.113.99',
          timestamp: String(cursor + 12),
        }),
      );
    });
    misp.requests.length = 0;
    const report = await fixture.sync();

    expect(report.sources[0]).toMatchObject({ mode: 'incremental', status: 'ok' });
    expect(misp.requests[0]?.body).toMatchObject({ timestamp: cursor - 300, deleted: [0, 1] });
    expect(misp.requests[0]?.body).not.toHaveProperty('to_ids');
    expect(fixture.list('acme', 'ip.txt')).toBe(
      '192.0.2.44\n203.0.113.5\n203.0.113.99\n2001:db8::1\n',
    );

    // Flipped back: it returns.
    misp.mutate((held) => {
      Object.assign(held.find((a) => a.id === '7') ?? {}, {
        to_ids: true,
        timestamp: String(cursor + 20),
      });
    });
    await fixture.sync();
    expect(fixture.list('acme', 'ip.txt')).toContain('198.51.100.0/24\n');
  });

  it('sees an event re-tagged TLP:RED at the next incremental run', async () => {
    const { misp, fixture } = await setUp(50);
    await fixture.sync();
    const cursor = Math.max(...attributes().map((a) => Number(a.timestamp)));

    misp.mutate((held) => {
      const red = { ...GREEN, Tag: [{ name: 'tlp:red' }], timestamp: String(cursor + 100) };
      for (const attribute of held) {
        if (attribute.Event.id === GREEN.id) Object.assign(attribute, { Event: red });
      }
    });
    misp.requests.length = 0;
    // Three of five addresses leave at once: the shrink guard would hold that, so force it.
    const report = await fixture.sync({ isForced: true });

    expect(report.sources[0]?.mode).toBe('incremental');
    expect(misp.requests.map((r) => [r.body['timestamp'], r.body['event_timestamp']])).toEqual([
      [cursor - 300, undefined],
      [undefined, cursor - 300],
    ]);
    expect(fixture.list('acme', 'ip.txt')).toBe('198.51.100.0/24\n2001:db8::1\n');
  });

  it('never lets a future attribute timestamp become the cursor', async () => {
    const { misp, fixture } = await setUp(50);
    misp.mutate((held) =>
      held.push(wireAttribute(50, GREEN, { value: '192.0.2.50', timestamp: '4000000000' })),
    );
    const now = Date.now();
    await fixture.sync({ now });

    misp.requests.length = 0;
    await fixture.sync({ now: now + 1000 });
    expect(misp.requests[0]?.body['timestamp']).toBe(Math.floor(now / 1000) - 300);
  });

  it('drops what MISP no longer has at the next full reconcile', async () => {
    const { misp, fixture } = await setUp(50);
    await fixture.sync();
    misp.mutate((held) =>
      held.splice(
        held.findIndex((a) => a.id === '8'),
        1,
      ),
    );

    await fixture.sync();
    expect(fixture.list('acme', 'domain.txt')).toBe('c2.evil.example\nevil.example\n');

    const report = await fixture.sync({ isFullForced: true });
    expect(report.sources[0]?.mode).toBe('full');
    expect(fixture.list('acme', 'domain.txt')).toBe('evil.example\n');
  });

  it('never lists loopback, private, broadcast or multicast space, whatever MISP holds', async () => {
    const { misp, fixture } = await setUp(50);
    misp.mutate((held) => {
      const harmful = [
        '127.0.0.1',
        '0.0.0.0',
        '10.0.0.0/8',
        '255.255.255.255',
        '::',
        '::ffff:10.1.1.1',
        '8.0.0.0/5',
      ];
      harmful.forEach((value, i) => held.push(wireAttribute(100 + i, GREEN, { value })));
    });

    await fixture.sync();
    expect(fixture.list('acme', 'ip.txt')).toBe(
      '192.0.2.44\n198.51.100.0/24\n198.51.100.7\n203.0.113.5\n2001:db8::1\n',
    );
  });

  it('writes an empty list with a comment line instead of skipping it', async () => {
    const { fixture } = await setUp(50, '      - { file: md5.txt, types: [md5] }\n');
    await fixture.sync();
    expect(fixture.list('acme', 'md5.txt')).toBe('# iocrelay: acme/md5.txt has no entries\n');
  });
});

describe('fail-safe: a failing source publishes nothing', () => {
  const failures: [string, Failure, string][] = [
    ['HTTP 500 after retries', { kind: 'status', status: 500 }, 'MISP_HTTP_ERROR'],
    ['403 on a bad key', { kind: 'forbidden' }, 'MISP_AUTH_FAILED'],
    ['302 to /users/login', { kind: 'login-redirect' }, 'MISP_LOGIN_REDIRECT'],
    ['an HTML page', { kind: 'html' }, 'MISP_NOT_JSON'],
    ['a truncated body', { kind: 'truncated' }, 'MISP_TRUNCATED'],
    ['JSON of the wrong shape', { kind: 'bad-shape' }, 'MISP_BAD_SHAPE'],
    ['a PHP memory error', { kind: 'php-memory' }, 'MISP_MEMORY_EXHAUSTED'],
    ['a connection reset', { kind: 'reset' }, 'MISP_UNREACHABLE'],
  ];

  it.each(failures)(
    '%s on the second page keeps the last good lists byte for byte',
    async (_name, failure, code) => {
      const { misp, fixture } = await setUp(3);
      await fixture.sync();
      const before = fixture.snapshot();
      const cursorBefore = await fixture.store.getSourceState('misp');

      // A change that would alter every list, then a failure after the first good page (every
      // retry fails too).
      misp.mutate((held) => held.splice(0, 2, wireAttribute(20, GREEN, { value: '192.0.2.1' })));
      misp.requests.length = 0;
      misp.failNext(failure, 3, 1);
      const report = await fixture.sync({ isFullForced: true });

      expect(misp.requests.length).toBeGreaterThanOrEqual(2);
      expect(misp.requests[1]?.body['page']).toBe(2);
      expect(report.status).toBe('failed');
      expect(report.error?.code).toBe(code);
      expect(report.lists).toEqual([]);
      expect(fixture.snapshot()).toEqual(before);
      expect(await fixture.store.getSourceState('misp')).toEqual(cursorBefore);
    },
  );

  it('keeps the cursor, so the next good run asks for the same changes', async () => {
    const { misp, fixture } = await setUp(50);
    await fixture.sync();
    misp.requests.length = 0;

    misp.failNext({ kind: 'status', status: 503 }, 2);
    expect((await fixture.sync()).status).toBe('failed');
    const failedAsk = misp.requests[0]?.body['timestamp'];

    misp.requests.length = 0;
    expect((await fixture.sync()).status).toBe('ok');
    expect(misp.requests[0]?.body['timestamp']).toBe(failedAsk);
  });

  it('holds back a list that would lose more than max_shrink, and --force publishes it', async () => {
    const { misp, fixture } = await setUp(50);
    await fixture.sync();
    const before = fixture.list('acme', 'ip.txt');
    misp.mutate((held) =>
      held.splice(0, held.length, wireAttribute(1, GREEN, { value: '198.51.100.7' })),
    );

    const held = await fixture.sync({ isFullForced: true });
    expect(held.status).toBe('held');
    expect(held.lists.find((l) => l.list === 'ip.txt')).toMatchObject({
      status: 'held',
      entries: 1,
      previousEntries: 5,
    });
    expect(fixture.list('acme', 'ip.txt')).toBe(before);

    const again = await fixture.sync({ isFullForced: true });
    expect(again.status).toBe('held');

    const forced = await fixture.sync({ isFullForced: true, isForced: true });
    expect(forced.status).toBe('ok');
    expect(fixture.list('acme', 'ip.txt')).toBe('198.51.100.7\n');
  });

  it('holds back a list whose content would be swapped, even at the same size', async () => {
    const { misp, fixture } = await setUp(50);
    await fixture.sync();
    const before = fixture.list('acme', 'ip.txt');
    misp.mutate((held) =>
      held.splice(
        0,
        held.length,
        ...['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.6'].map(
          (value, i) => wireAttribute(60 + i, GREEN, { value }),
        ),
      ),
    );

    const report = await fixture.sync({ isFullForced: true });
    expect(report.lists.find((l) => l.list === 'ip.txt')).toMatchObject({
      status: 'held',
      entries: 5,
      previousEntries: 5,
    });
    expect(fixture.list('acme', 'ip.txt')).toBe(before);
  });

  it('compares with the list on disk when the database was lost, and holds an emptied list', async () => {
    const { misp, fixture } = await setUp(50);
    await fixture.sync();
    const before = fixture.list('acme', 'ip.txt');
    await fixture.close();
    rmSync(fixture.config.database, { force: true });
    rmSync(`${fixture.config.database}-wal`, { force: true });
    rmSync(`${fixture.config.database}-shm`, { force: true });
    misp.mutate((held) => held.splice(0, held.length));

    const store = await openStore({ path: fixture.config.database, log: fixture.log });
    const report = await runSync({
      config: fixture.config,
      store,
      sources: createSources(fixture.config, fixture.log),
      publisher: createDirPublisher(fixture.config.publish.dir),
      log: fixture.log,
    });
    await store.close();

    expect(report.status).toBe('held');
    expect(report.lists.find((l) => l.list === 'ip.txt')).toMatchObject({
      status: 'held',
      entries: 0,
      previousEntries: 5,
    });
    expect(fixture.list('acme', 'ip.txt')).toBe(before);
  });
});

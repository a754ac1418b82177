import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { startMispApiServer, type MispApiServer } from './support/misp-api-server.js';
import {
  testUuid,
  wireAttribute,
  wireEvent,
  type MispWireAttribute,
} from './support/misp-fixtures.js';
import { writeFeed } from './support/feed-fixtures.js';
import { syncFixture, type SyncFixture } from './support/sync-harness.js';

const API_KEY = 'policyTESTkey00000000000000000000000000000';
const tag = (name: string) => ({ name });

// One event per sharing case. Attribute ids give their order on the MISP side only.
const SHARED = wireEvent(1, { Tag: [tag('tlp:green')] });
const ACME = wireEvent(2, { Tag: [tag('tlp:amber'), tag('customer:acme')] });
const GLOBEX = wireEvent(3, { Tag: [tag('tlp:amber+strict'), tag('customer:globex')] });
const NOBODY = wireEvent(4, { Tag: [tag('tlp:amber')] });
const RED = wireEvent(5, { Tag: [tag('tlp:red'), tag('customer:acme')] });
const UNTAGGED = wireEvent(6, { Tag: [] });
const LOW = wireEvent(7, { threat_level_id: '3', Tag: [tag('tlp:clear')] });

function attributes(): MispWireAttribute[] {
  let n = 0;
  const a = (event: typeof SHARED, type: string, value: string, extra = {}) =>
    wireAttribute(++n, event, { type, value, ...extra });
  return [
    a(SHARED, 'ip-dst', '198.51.100.7'),
    a(SHARED, 'ip-dst', '192.0.2.10'), // on the global allowlist
    a(SHARED, 'ip-dst', '203.0.113.0/29'), // split around acme's 203.0.113.5
    a(SHARED, 'ip-dst', '198.51.100.64/26'), // on the test warninglist
    a(SHARED, 'ip-dst', '198.0.0.0/15'), // wider than /16
    a(SHARED, 'domain', 'co.uk'), // a public suffix
    a(SHARED, 'domain', 'shared.example'),
    a(SHARED, 'domain', 'www.intranet.example'), // under the global allowlist
    a(ACME, 'ip-dst', '198.51.100.20'),
    a(ACME, 'domain', 'acme-only.example'),
    a(GLOBEX, 'ip-dst', '198.51.100.30'),
    a(GLOBEX, 'domain', 'globex-only.example'),
    a(NOBODY, 'ip-dst', '198.51.100.40'),
    a(RED, 'ip-dst', '198.51.100.50'),
    a(SHARED, 'ip-dst', '198.51.100.51', { Tag: [tag('tlp:red')] }), // red attribute, green event
    a(UNTAGGED, 'ip-dst', '198.51.100.60'),
    a(UNTAGGED, 'ip-dst', '198.51.100.61', { Tag: [tag('customer:globex')] }),
    a(LOW, 'ip-dst', '198.51.100.170'),
    a(SHARED, 'ip-dst', '198.51.100.8'),
    a(SHARED, 'ip-dst', '198.51.100.9'),
  ];
}

function warninglistDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-wl-'));
  mkdirSync(join(dir, 'test-ranges'));
  writeFileSync(
    join(dir, 'test-ranges', 'list.json'),
    JSON.stringify({
      name: 'Test ranges of a well-known service',
      description: 'made up for the tests',
      version: 1,
      type: 'cidr',
      matching_attributes: ['ip-src', 'ip-dst', 'domain|ip'],
      list: ['198.51.100.64/26'],
    }),
  );
  return dir;
}

const servers: MispApiServer[] = [];
const fixtures: SyncFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setUp(tenantsYaml: string): Promise<SyncFixture> {
  const misp = await startMispApiServer({ apiKey: API_KEY, attributes: attributes() });
  servers.push(misp);
  const fixture = await syncFixture(
    `misp:
  url: \${MISP_URL}
  api_key: \${MISP_API_KEY}
  retries: 0
publish: { dir: ./public }
warninglists: { dir: ${warninglistDir()} }
allow: [192.0.2.10, intranet.example]
${/^policy:/m.test(tenantsYaml) ? '' : 'policy: { expiry: { ip: never, domain: never, url: never } }'}
${tenantsYaml}`,
    { MISP_URL: misp.url, MISP_API_KEY: API_KEY },
  );
  fixtures.push(fixture);
  return fixture;
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('tenant policy, end to end', () => {
  it('gives each tenant its own and the shared indicators, and keeps every unsafe entry off', async () => {
    const fixture = await setUp(`tenants:
  - id: acme
    owner_tag: customer:acme
    allow: [203.0.113.5]
    lists:
      - { file: ip.txt, types: [ip] }
      - { file: domain.txt, types: [domain] }
  - id: globex
    owner_tag: customer:globex
    lists:
      - { file: ip.txt, types: [ip] }
      - { file: domain.txt, types: [domain] }
`);
    const report = await fixture.sync();
    expect(report.status).toBe('ok');

    expect(lines(fixture.list('acme', 'ip.txt'))).toEqual([
      '198.51.100.7',
      '198.51.100.8',
      '198.51.100.9',
      '198.51.100.20',
      '198.51.100.170',
      '203.0.113.0/30',
      '203.0.113.4',
      '203.0.113.6/31',
    ]);
    expect(lines(fixture.list('globex', 'ip.txt'))).toEqual([
      '198.51.100.7',
      '198.51.100.8',
      '198.51.100.9',
      '198.51.100.30',
      '198.51.100.61',
      '198.51.100.170',
      '203.0.113.0/29',
    ]);
    expect(lines(fixture.list('acme', 'domain.txt'))).toEqual([
      'acme-only.example',
      'shared.example',
    ]);
    expect(lines(fixture.list('globex', 'domain.txt'))).toEqual([
      'globex-only.example',
      'shared.example',
    ]);

    const acmeIp = report.lists.find((l) => l.tenant === 'acme' && l.list === 'ip.txt');
    expect(acmeIp?.removedByRule).toEqual({
      allowlist: 1,
      breadth: 1,
      owner: 4,
      tlp: 2,
      warninglist: 1,
    });
    expect(acmeIp?.split).toBe(1);
    const globexDomain = report.lists.find((l) => l.tenant === 'globex' && l.list === 'domain.txt');
    expect(globexDomain?.removedByRule).toEqual({ allowlist: 1, owner: 1, public_suffix: 1 });
  });

  it('applies selection keys, aggregation and capacity per list', async () => {
    const fixture =
      await setUp(`policy: { min_threat_level: medium, expiry: { ip: never, domain: never, url: never } }
tenants:
  - id: acme
    owner_tag: customer:acme
    warninglists: []
    lists:
      - { file: ip-agg.txt, types: [ip], aggregate: true }
      - { file: ip-top3.txt, types: [ip], max_entries: 3 }
      - { file: mixed-agg.csv, types: [ip, domain], format: csv, aggregate: true }
`);
    const report = await fixture.sync();

    // 198.51.100.64/26 stays (no warninglist selected); .170 is a low-threat event.
    expect(lines(fixture.list('acme', 'ip-agg.txt'))).toEqual([
      '198.51.100.7',
      '198.51.100.8/31',
      '198.51.100.20',
      '198.51.100.64/26',
      '203.0.113.0/29',
    ]);
    // Newest attribute timestamps first (they grow with the attribute id), kept in list order.
    expect(lines(fixture.list('acme', 'ip-top3.txt'))).toEqual([
      '198.51.100.8',
      '198.51.100.9',
      '198.51.100.20',
    ]);
    // Merged networks stand for several indicators and carry no event; a domain keeps its own.
    const csvRows = lines(fixture.list('acme', 'mixed-agg.csv')).map((row) => row.split(','));
    expect(csvRows.map((row) => [row[0], row[2]])).toEqual([
      ['value', 'event_uuid'],
      ['198.51.100.7', ''],
      ['198.51.100.8/31', ''],
      ['198.51.100.20', ''],
      ['198.51.100.64/26', ''],
      ['203.0.113.0/29', ''],
      ['acme-only.example', ACME.uuid],
      ['shared.example', SHARED.uuid],
    ]);
    const top3 = report.lists.find((l) => l.list === 'ip-top3.txt');
    expect(top3?.removedByRule.capacity).toBe(3);
    expect(top3?.removedByRule.threat_level).toBe(1);
    expect(fixture.logLines.some((line) => line.includes('list over capacity'))).toBe(true);
  });

  it('keeps a change log: what each publication added and removed, and the rule that removed it', async () => {
    const fixture = await setUp(`tenants:
  - id: acme
    owner_tag: customer:acme
    lists: [{ file: ip.txt, types: [ip] }]
`);
    expect((await fixture.sync()).status).toBe('ok');

    const misp = servers[0];
    if (misp === undefined) throw new Error('no server');
    misp.mutate((held) => {
      const byValue = (value: string) => held.find((a) => a.value === value);
      const stamp = String(Number(byValue('198.51.100.9')?.timestamp) + 1000);
      Object.assign(byValue('198.51.100.7') ?? {}, { deleted: true, timestamp: stamp });
      Object.assign(byValue('198.51.100.8') ?? {}, { Tag: [tag('tlp:red')], timestamp: stamp });
      held.push(wireAttribute(99, SHARED, { value: '198.51.100.33', timestamp: stamp }));
    });
    expect((await fixture.sync({ isFullForced: true })).status).toBe('ok');

    const [latest, first] = await fixture.store.recentChanges({
      tenant: 'acme',
      limit: 5,
      maxChanges: 10,
    });
    expect(first?.isFirst).toBe(true);
    expect(first?.changes).toEqual([]);
    expect(latest?.isFirst).toBe(false);
    expect(latest?.changes).toEqual([
      {
        change: 'removed',
        kind: 'ip',
        value: '198.51.100.7',
        rule: 'inactive',
        detail: 'no longer active at its source (deleted or gone in MISP, or to_ids off)',
      },
      {
        change: 'removed',
        kind: 'ip',
        value: '198.51.100.8',
        rule: 'tlp',
        detail: 'TLP:RED never leaves the store',
      },
      { change: 'added', kind: 'ip', value: '198.51.100.33', rule: null, detail: null },
    ]);
    expect(latest?.publication).toMatchObject({ added: 1, removed: 2 });
  });

  it("gives a tenant's own feed and MISP query to that tenant alone, as its own", async () => {
    const feedDir = mkdtempSync(join(tmpdir(), 'iocrelay-own-feed-'));
    const ownEvent = testUuid(20, 1);
    writeFeed(feedDir, {
      'manifest.json': { [ownEvent]: { info: 'Acme internal', timestamp: '1714521600' } },
      [`${ownEvent}.json`]: {
        Event: {
          uuid: ownEvent,
          info: 'Acme internal',
          timestamp: '1714521600',
          Tag: [{ name: 'tlp:amber' }],
          Attribute: [
            {
              uuid: testUuid(21, 1),
              type: 'ip-dst',
              value: '203.0.113.200',
              to_ids: true,
              timestamp: '1714521600',
            },
            {
              uuid: testUuid(21, 2),
              type: 'ip-dst',
              value: '203.0.113.201',
              to_ids: true,
              timestamp: '1714521600',
              Tag: [{ name: 'tlp:red' }],
            },
          ],
        },
      },
    });
    const fixture = await setUp(`tenants:
  - id: acme
    misp: { query: { type: [ip-dst], tags: [customer:acme] } }
    feeds: [{ name: acme-intel, url: ${feedDir} }]
    lists: [{ file: ip.txt, types: [ip] }]
  - id: globex
    owner_tag: customer:globex
    lists: [{ file: ip.txt, types: [ip] }]
`);
    const report = await fixture.sync();
    expect(report.sources.map((source) => source.source)).toEqual([
      'misp',
      'misp:acme',
      'feed:acme-intel',
    ]);
    const misp = servers[0];
    expect(misp?.requests.map((request) => request.body['tags'])).toEqual([
      undefined,
      ['customer:acme'],
    ]);

    // Amber without an owner tag: acme's own (its feed), and never globex's. Red stays home.
    expect(lines(fixture.list('acme', 'ip.txt'))).toContain('203.0.113.200');
    expect(lines(fixture.list('acme', 'ip.txt'))).not.toContain('203.0.113.201');
    expect(lines(fixture.list('globex', 'ip.txt'))).not.toContain('203.0.113.200');
    // Indicators only acme's query gave carry acme's source: globex gets them only through
    // the shared query, as shared ones.
    const globex = report.lists.find((l) => l.tenant === 'globex');
    expect(globex?.removedByRule.source).toBeGreaterThan(0);
  });

  it('reads sightings and decay scores when asked, and expires or drops by them', async () => {
    const now = 1_714_521_600 + 90 * 86_400; // 90 days after the fixtures' timestamps
    const stamp = (days: number) => String(now - days * 86_400);
    const held = [
      { value: '198.51.100.101', Sighting: [{ type: '0', date_sighting: stamp(2) }] },
      {
        value: '198.51.100.102',
        Sighting: [{ type: '2', date_sighting: stamp(1) }],
        timestamp: stamp(5),
      },
      { value: '198.51.100.103', decay_score: [{ score: 3, decayed: true }], timestamp: stamp(1) },
      { value: '198.51.100.104', timestamp: stamp(1) },
      { value: '198.51.100.105' }, // 90 days old, never sighted: expired
    ].map((extra, index) => ({ ...wireAttribute(200 + index, SHARED), ...extra }));
    const misp = await startMispApiServer({ apiKey: API_KEY, attributes: held });
    servers.push(misp);
    const fixture = await syncFixture(
      `misp:
  url: \${MISP_URL}
  api_key: \${MISP_API_KEY}
  sightings: true
  decay_score: true
publish: { dir: ./public }
policy: { expiry: { ip: 30d } }
tenants: [{ id: acme, lists: [{ file: ip.txt, types: [ip] }] }]
`,
      { MISP_URL: misp.url, MISP_API_KEY: API_KEY },
    );
    fixtures.push(fixture);

    const report = await fixture.sync({ now: now * 1000 });
    expect(misp.requests[0]?.body).toMatchObject({
      includeSightings: true,
      includeDecayScore: true,
    });
    expect(lines(fixture.list('acme', 'ip.txt'))).toEqual(['198.51.100.101', '198.51.100.104']);
    expect(report.lists[0]?.removedByRule).toEqual({ decayed: 1, expired: 2 });
  });

  it('publishes a removal by a safety rule at once, past the shrink guard', async () => {
    // publish.max_shrink is 0.5 by default.
    const fixture = await setUp(`tenants: [{ id: acme, lists: [{ file: ip.txt, types: [ip] }] }]
`);
    expect((await fixture.sync()).status).toBe('ok');
    const before = lines(fixture.list('acme', 'ip.txt'));

    // Every shared IP turns red: far more than half the list, all of it by a safety rule.
    servers[0]?.mutate((held) => {
      for (const attribute of held) {
        if (attribute.event_id === SHARED.id) {
          Object.assign(attribute, {
            Tag: [tag('tlp:red')],
            timestamp: String(Number(attribute.timestamp) + 1000),
          });
        }
      }
    });
    const report = await fixture.sync({ isFullForced: true });
    expect(report.status).toBe('ok');
    const after = lines(fixture.list('acme', 'ip.txt'));
    expect(after.length).toBeLessThan(before.length / 2);
    expect(after).toEqual(['198.51.100.170']);
  });

  it('fails the run and publishes nothing when a warninglist name is unknown', async () => {
    const fixture = await setUp(`tenants:
  - id: acme
    warninglists: [No such list]
    lists: [{ file: ip.txt, types: [ip] }]
`);
    const report = await fixture.sync();
    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('WARNINGLIST_UNKNOWN');
    expect(report.lists).toEqual([]);
  });
});

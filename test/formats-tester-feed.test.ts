import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { createDirPublisher } from '../src/publish/dir-publisher.js';
import { createPublisherSet } from '../src/publish/publisher-set.js';
import { rendererOf } from '../src/render/renderers.js';
import { createCatalogPublisher } from '../src/serve/catalog-publisher.js';
import { createFeedCatalog } from '../src/serve/feed-catalog.js';
import { listEntryCounter } from '../src/serve/feed-tenants.js';
import { createSources } from '../src/sync/create-sources.js';
import { runSync } from '../src/sync/run-sync.js';
import { inNamespace, probe, titled, writeTempFiles } from './support/firewall-tools.js';
import { writeFeed } from './support/feed-fixtures.js';
import { testUuid } from './support/misp-fixtures.js';
import { syncFixture, type SyncFixture } from './support/sync-harness.js';

// A real sync of the event a tester's feed held: a wildcard domain next to its bare name and a
// deeper name, an IPv4-mapped IPv6 address, URLs PAN-OS folds into one line or leaves out.
// Each list is published to the folder and to the feed server's catalog, as `iocrelay serve`
// does, and read back as a device would.

const EVENT = testUuid(40, 1);
// Quotes, `$`, `?` and a non-ASCII letter: all escaped in a RouterOS comment.
const INFO = 'Wild "quoted" $HOME? café';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const ATTRIBUTES: readonly [string, string][] = [
  ['domain', '*.wild.example'],
  ['domain', 'wild.example'],
  ['domain', 'deep.sub.wild.example'],
  ['ip-dst', '::ffff:203.0.113.9'],
  ['ip-dst', '198.51.100.7'],
  ['ip-src', '2001:db8::7'],
  ['url', 'http://evil.example/login'],
  ['url', 'https://evil.example/login'],
  ['url', 'http://evil.example/a*b'],
  ['sha256', SHA256],
];

// Every list the config names, with the entries its file holds, counted by the format's rules.
const LISTS: readonly [file: string, types: string, format: string, entries: number][] = [
  ['plain.txt', 'ip, domain, url, sha256', 'plain', 10],
  ['pan-ip.txt', 'ip', 'paloalto', 3],
  ['pan-domain.txt', 'domain', 'paloalto', 3],
  ['pan-url.txt', 'url', 'paloalto', 1],
  ['fortigate.txt', 'ip, domain, url, sha256', 'fortigate', 9],
  ['checkpoint.csv', 'ip, domain, url, sha256', 'checkpoint', 8],
  ['cisco.txt', 'ip, domain, url', 'cisco', 8],
  ['sophos.txt', 'ip, domain, url', 'sophos', 7],
  ['mikrotik.rsc', 'ip', 'mikrotik', 3],
  ['ip.nft', 'ip', 'nftables', 3],
  ['ip.ipset', 'ip', 'ipset', 3],
  ['ip.v4', 'ip', 'iptables', 2],
  ['ip.v6', 'ip', 'ip6tables', 1],
  ['suricata.txt', 'ip', 'suricata', 3],
  ['block.rpz', 'domain', 'rpz', 2],
  ['block.hosts', 'domain', 'hosts', 2],
  ['all.csv', 'ip, domain, url, sha256', 'csv', 10],
  ['all.json', 'ip, domain, url, sha256', 'json', 10],
  ['all.stix', 'ip, domain, url, sha256', 'stix2', 10],
];

const fixtures: SyncFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

async function syncTesterFeed(): Promise<{
  fixture: SyncFixture;
  catalog: ReturnType<typeof createFeedCatalog>;
  report: Awaited<ReturnType<typeof runSync>>;
}> {
  const feed = mkdtempSync(join(tmpdir(), 'iocrelay-tester-feed-'));
  const tags = [{ name: 'tlp:green' }];
  writeFeed(feed, {
    'manifest.json': { [EVENT]: { info: INFO, timestamp: '1764700000', Tag: tags } },
    [`${EVENT}.json`]: {
      Event: {
        uuid: EVENT,
        info: INFO,
        timestamp: '1764700000',
        threat_level_id: '2',
        published: true,
        Orgc: { name: 'Example SOC', uuid: testUuid(2, 1) },
        Tag: tags,
        Attribute: ATTRIBUTES.map(([type, value], i) => ({
          uuid: testUuid(41, i + 1),
          type,
          category: 'Network activity',
          to_ids: true,
          value,
          timestamp: '1764700000',
        })),
      },
    },
  });

  const lists = LISTS.map(
    ([file, types, format]) => `      - { file: ${file}, types: [${types}], format: ${format} }`,
  );
  const fixture = await syncFixture(`feeds: [{ name: tester, url: ${feed} }]
publish: { dir: ./public }
tenants:
  - id: acme
    owner_tag: customer:acme
    lists:
${lists.join('\n')}
`);
  fixtures.push(fixture);

  const catalog = createFeedCatalog();
  const report = await runSync({
    config: fixture.config,
    store: fixture.store,
    sources: createSources(fixture.config, fixture.log),
    publisher: createPublisherSet([
      createDirPublisher(fixture.config.publish.dir),
      createCatalogPublisher(catalog),
    ]),
    log: fixture.log,
  });
  return { fixture, catalog, report };
}

describe('formats through a real sync of a tester feed', () => {
  it('sends X-Entry-Count equal to the entries of the served file, for every format', async () => {
    const { fixture, catalog, report } = await syncTesterFeed();
    expect(report.status).toBe('ok');
    const countAtStart = listEntryCounter(fixture.config);

    const counted = LISTS.map(([file, , format]) => {
      const version = catalog.get('acme', file);
      const bytes = version?.bytes ?? Buffer.alloc(0);
      return [
        file,
        version?.plain.okHeaders['x-entry-count'],
        rendererOf(format).entriesOf(bytes.toString('utf8')).length,
        countAtStart('acme', file, bytes),
        report.lists.find((l) => l.list === file)?.entries,
      ];
    });
    expect(counted).toEqual(
      LISTS.map(([file, , , entries]) => [file, String(entries), entries, entries, entries]),
    );

    // 3 URLs, 2 lines folded into one, 1 left out: PAN-OS reads one entry.
    expect(fixture.list('acme', 'pan-url.txt')).toBe('evil.example/login\n');
    expect(fixture.logLines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          list: 'pan-url.txt',
          leftOut: { 'wildcard in url': 1 },
          msg: 'entries the format cannot carry left out',
        }),
        expect.objectContaining({
          list: 'fortigate.txt',
          leftOut: { 'wildcard in url': 1 },
          msg: 'entries the format cannot carry left out',
        }),
      ]),
    );
  });

  it('writes a wildcard domain as hosts and rpz can carry it, each name once', async () => {
    const { fixture } = await syncTesterFeed();

    expect(fixture.list('acme', 'block.hosts')).toBe(
      '# iocrelay: acme/block.hosts, 2 names\n' +
        '0.0.0.0 wild.example\n:: wild.example\n' +
        '0.0.0.0 deep.sub.wild.example\n:: deep.sub.wild.example\n',
    );
    const rpzRecords = fixture
      .list('acme', 'block.rpz')
      .split('\n')
      .filter((line) => line.endsWith(' CNAME .'));
    expect(rpzRecords).toEqual([
      'wild.example CNAME .',
      '*.wild.example CNAME .',
      'deep.sub.wild.example CNAME .',
      '*.deep.sub.wild.example CNAME .',
    ]);
  });

  it('comments each MikroTik entry with its MISP event, escaped for RouterOS', async () => {
    const { fixture } = await syncTesterFeed();

    const comment = `comment="${EVENT} Wild \\"quoted\\" \\$HOME\\? caf\\C3\\A9"`;
    const adds = fixture
      .list('acme', 'mikrotik.rsc')
      .split('\n')
      .filter((line) => line.startsWith('add '));
    expect(adds).toEqual([
      `add list="iocrelay_acme_mikrotik_rsc_new" address=198.51.100.7 ${comment}`,
      `add list="iocrelay_acme_mikrotik_rsc_new" address=203.0.113.9 ${comment}`,
      `add list="iocrelay_acme_mikrotik_rsc_new" address=2001:db8::7 ${comment}`,
    ]);
  });

  it('lists an IPv4-mapped address as IPv4 in every format', async () => {
    const { fixture } = await syncTesterFeed();

    const files = LISTS.map(([file]) => [file, fixture.list('acme', file)] as const);
    expect(files.filter(([, text]) => /::ffff:/i.test(text)).map(([file]) => file)).toEqual([]);

    const entriesOf = (file: string, format: string): string[] =>
      rendererOf(format).entriesOf(fixture.list('acme', file));
    expect(entriesOf('pan-ip.txt', 'paloalto')).toContain('203.0.113.9');
    expect(entriesOf('cisco.txt', 'cisco')).toContain('203.0.113.9');
    expect(entriesOf('sophos.txt', 'sophos')).toContain('203.0.113.9');
    expect(entriesOf('checkpoint.csv', 'checkpoint')).toContain('203.0.113.9');
    expect(entriesOf('ip.v4', 'iptables')).toEqual(['198.51.100.7', '203.0.113.9']);
    expect(entriesOf('ip.v6', 'ip6tables')).toEqual(['2001:db8::7']);
  });
});

const nft = probe('nft', ['unshare', '-rn', 'nft', 'list', 'ruleset']);
const ipset = probe('ipset', ['unshare', '-rn', 'ipset', 'list']);

describe('the tester feed under the real firewall tools', () => {
  it.skipIf(!nft.ok)(titled('nft loads 203.0.113.9 into the IPv4 set', nft), async () => {
    const { fixture } = await syncTesterFeed();
    const files = writeTempFiles({ 'ip.nft': fixture.list('acme', 'ip.nft') });

    const result = inNamespace('nft -f "$1" && nft list table inet iocrelay', [
      files.paths['ip.nft'] ?? '',
    ]);
    files.remove();
    expect(result.stderr).toBe('');
    const elements = [...result.stdout.matchAll(/set (\S+) \{[^}]*elements = \{ ([^}]*) \}/g)];
    expect(elements.map((match) => [match[1], match[2]?.trim()])).toEqual([
      ['iocrelay_acme_ip_nft_v4', '198.51.100.7, 203.0.113.9'],
      ['iocrelay_acme_ip_nft_v6', '2001:db8::7'],
    ]);
  });

  it.skipIf(!ipset.ok)(titled('ipset puts 203.0.113.9 in the inet set', ipset), async () => {
    const { fixture } = await syncTesterFeed();
    const files = writeTempFiles({ 'ip.ipset': fixture.list('acme', 'ip.ipset') });

    const result = inNamespace('ipset restore < "$1" && ipset save', [
      files.paths['ip.ipset'] ?? '',
    ]);
    files.remove();
    expect(result.stderr).toBe('');
    // `ipset save` lists members in hash order.
    const members = result.stdout.split('\n').filter((line) => line.startsWith('add '));
    expect(members.sort()).toEqual([
      'add iocrelay_acme_ip_ipset_v4 198.51.100.7',
      'add iocrelay_acme_ip_ipset_v4 203.0.113.9',
      'add iocrelay_acme_ip_ipset_v6 2001:db8::7',
    ]);
  });
});

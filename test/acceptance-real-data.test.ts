import { protectedRangeOf } from '../src/policy/protected-ranges.js';
import { existsSync, readFileSync } from 'node:fs';
import { getPublicSuffix } from 'tldts';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RejectReason } from '../src/normalize/indicator.js';
import {
  normalizeAttribute,
  SUPPORTED_ATTRIBUTE_TYPES,
} from '../src/normalize/normalize-attribute.js';
import type { SyncReport } from '../src/sync/sync-report.js';
import { startMispApiServer, type MispApiServer } from './support/misp-api-server.js';
import type { MispWireAttribute, MispWireEvent } from './support/misp-fixtures.js';
import {
  compareIpLines,
  findEventFiles,
  isTlpRed,
  LIST_KINDS,
  readFeedFolder,
  REAL_MISP_DIR,
  simpleIndicators,
  SUPPORTED_TYPES,
  type ListKind,
  type RealAttribute,
  type RealEvent,
} from './support/real-data.js';
import { syncFixture, type SyncFixture } from './support/sync-harness.js';

/**
 * Acceptance: the main job on real third-party MISP data (../shared/data/misp, read in place),
 * checked against lists computed in this file from the event JSON. Values the simple rules of
 * support/real-data.ts cannot decide (IDN, IPv6, CIDR, defanged, …) are not required on a
 * list; they are normalized by iocrelay itself only to tell where an extra line came from.
 */

const FEEDS = ['feed-tweetfeed', 'feed-infoblox'] as const;
const EVENTS_DIR = join(REAL_MISP_DIR, 'events');
const HAS_DATA =
  FEEDS.every((feed) => existsSync(join(REAL_MISP_DIR, feed, 'manifest.json'))) &&
  existsSync(EVENTS_DIR);
const API_KEY = 'acceptanceTESTkey000000000000000000000000';
const PAGE_SIZE = 50;
const TENANT = 'soc';

if (!HAS_DATA) {
  console.warn(`acceptance tests on real MISP data skipped: ${REAL_MISP_DIR} is missing`);
}

// The real events are years old and many carry no TLP tag: expiry is off and an untagged
// event counts as TLP:CLEAR here, so the lists can be checked against every attribute. The
// policy rules themselves are tested in src/policy and test/tenant-policy.test.ts.
const TENANTS_YAML = `publish:
  dir: ./public
tlp_default: clear
policy: { expiry: { ip: never, domain: never, url: never } }
tenants:
  - id: ${TENANT}
    lists:
${LIST_KINDS.map((kind) => `      - { file: ${kind}.txt, types: [${kind}] }`).join('\n')}
`;

/** What the lists and the report must show, computed from the event files alone. */
interface Expected {
  /** Attributes the source hands over. */
  readonly pulled: number;
  readonly unsupported: number;
  /** Supported attributes the simple rules decided, and those they left to iocrelay. */
  readonly decided: number;
  readonly skipped: number;
  readonly accepted: number;
  readonly indicators: number;
  readonly rejected: Partial<Record<RejectReason, number>>;
  /** Per kind: values that must be listed (simple rules). */
  readonly mustList: Record<ListKind, Set<string>>;
  /** Per kind: values from skipped attributes, which may be listed. */
  readonly fromSkipped: Record<ListKind, Set<string>>;
  /** Indicators whose every active attribute is TLP:RED: never listed. */
  readonly redOnly: readonly string[];
  /** Kept off by a safety rule: protected ranges, public suffixes. */
  readonly protectedOnes: readonly string[];
}

// A sighting of type 2 (expiration) newer than every other sign of life ends the attribute.
function hasExpirationSighting(attribute: RealAttribute): boolean {
  const sightings = Array.isArray(attribute.raw['Sighting']) ? attribute.raw['Sighting'] : [];
  const dates = (type: string) =>
    sightings
      .filter((s: { type?: string | number }) => String(s.type ?? '0') === type)
      .map((s: { date_sighting?: unknown }) => Number(s.date_sighting));
  const expired = Math.max(-Infinity, ...dates('2'));
  const active = Math.max(Number(attribute.raw['timestamp'] ?? 0), ...dates('0'));
  return expired >= active;
}

function expectFrom(attributes: readonly RealAttribute[]): Expected {
  const rejected: Partial<Record<RejectReason, number>> = {};
  const counts = { unsupported: 0, decided: 0, skipped: 0, accepted: 0, indicators: 0 };
  const seen = new Map<string, { isSimple: boolean; isSkipped: boolean; isAllRed: boolean }>();

  for (const attribute of attributes) {
    if (!SUPPORTED_TYPES.includes(attribute.type)) {
      counts.unsupported += 1;
      rejected.unsupported_type = (rejected.unsupported_type ?? 0) + 1;
      continue;
    }

    let indicators = simpleIndicators(attribute.type, attribute.value);
    const isSimple = indicators !== null;
    if (indicators === null) {
      counts.skipped += 1;
      const result = normalizeAttribute(attribute.type, attribute.value);
      if (!result.ok) {
        rejected[result.reason] = (rejected[result.reason] ?? 0) + 1;
        continue;
      }
      indicators = result.indicators.map(({ kind, value }) => ({ kind, value }));
    } else counts.decided += 1;
    counts.accepted += 1;
    counts.indicators += indicators.length;

    if (!attribute.isToIds || attribute.isDeleted || hasExpirationSighting(attribute)) continue;
    const isRed = isTlpRed(attribute.tags, attribute.eventTags);
    for (const { kind, value } of indicators) {
      const key = `${kind} ${value}`;
      const entry = seen.get(key) ?? { isSimple: false, isSkipped: false, isAllRed: true };
      seen.set(key, {
        isSimple: entry.isSimple || isSimple,
        isSkipped: entry.isSkipped || !isSimple,
        isAllRed: entry.isAllRed && isRed,
      });
    }
  }

  const mustList = emptySets();
  const fromSkipped = emptySets();
  const redOnly: string[] = [];
  const protectedOnes: string[] = [];
  for (const [key, entry] of seen) {
    const [kind, value] = key.split(' ') as [ListKind, string];
    if (entry.isAllRed) redOnly.push(key);
    else if (kind === 'ip' && isPrivateIPv4(value)) protectedOnes.push(key);
    else if (kind === 'url' && isPrivateIPv4(urlHost(value))) protectedOnes.push(key);
    // A public suffix (private PSL section included, like staticrun.app) is never listed.
    else if (kind === 'domain' && getPublicSuffix(value, { allowPrivateDomains: true }) === value)
      protectedOnes.push(key);
    // Values only iocrelay's normalizer decides are vetted by its own protected-range rule.
    else if (kind === 'ip' && !entry.isSimple && protectedRangeOf(value) !== null)
      protectedOnes.push(key);
    else if (entry.isSimple) mustList[kind].add(value);
    else fromSkipped[kind].add(value);
  }
  return {
    pulled: attributes.length,
    ...counts,
    rejected,
    mustList,
    fromSkipped,
    redOnly,
    protectedOnes,
  };
}

function emptySets(): Record<ListKind, Set<string>> {
  return Object.fromEntries(LIST_KINDS.map((kind) => [kind, new Set<string>()])) as Record<
    ListKind,
    Set<string>
  >;
}

function listLines(fixture: SyncFixture, kind: ListKind): string[] {
  const text = fixture.list(TENANT, `${kind}.txt`);
  if (text === `# iocrelay: ${TENANT}/${kind}.txt has no entries\n`) return [];
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

function checkCounts(report: SyncReport, expected: Expected): void {
  const sum = (pick: (s: SyncReport['sources'][number]) => number): number =>
    report.sources.reduce((total, source) => total + pick(source), 0);
  const rejected = sum((s) => s.rejected);

  expect(report.status).toBe('ok');
  expect(sum((s) => s.attributes)).toBe(expected.pulled);
  expect(report.rejected).toEqual(expected.rejected);
  expect(Object.values(report.rejected).reduce((a, b) => a + b, 0)).toBe(rejected);
  expect(rejected + expected.accepted).toBe(expected.pulled);
  expect(report.rejected.unsupported_type ?? 0).toBe(expected.unsupported);
  expect(sum((s) => s.indicators)).toBe(expected.indicators);
}

function checkList(
  fixture: SyncFixture,
  report: SyncReport,
  expected: Expected,
  kind: ListKind,
): void {
  const lines = listLines(fixture, kind);
  const onList = new Set(lines);
  const must = expected.mustList[kind];
  const may = expected.fromSkipped[kind];

  const missing = [...must].filter((value) => !onList.has(value));
  expect(missing, `values the simple rules give, missing from ${kind}.txt`).toEqual([]);
  const unexplained = lines.filter((line) => !must.has(line) && !may.has(line));
  expect(unexplained, `lines of ${kind}.txt no attribute gives`).toEqual([]);
  expect(lines.length, 'lines = distinct accepted values').toBe(must.size + may.size);
  expect(onList.size, `duplicates in ${kind}.txt`).toBe(lines.length);

  const sorted = kind === 'ip' ? [...lines].sort(compareIpLines) : [...lines].sort();
  expect(lines, `${kind}.txt in list order`).toEqual(sorted);
  expect(report.lists.find((l) => l.list === `${kind}.txt`)?.entries).toBe(lines.length);

  const red = expected.redOnly.filter((key) => key.startsWith(`${kind} `));
  expect(red.filter((key) => onList.has(key.slice(kind.length + 1)))).toEqual([]);
  const guarded = expected.protectedOnes.filter((key) => key.startsWith(`${kind} `));
  expect(guarded.filter((key) => onList.has(key.slice(kind.length + 1)))).toEqual([]);
}

function summarize(name: string, report: SyncReport, expected: Expected, ms: number): void {
  const lists = report.lists.map((l) => `${l.list} ${l.entries}`).join(', ');
  console.info(
    `${name}: ${expected.pulled} attributes pulled, ${expected.accepted} accepted ` +
      `(${expected.decided} by the simple rules, ${expected.skipped} left to iocrelay of which ` +
      `${expected.accepted - expected.decided} accepted), ` +
      `rejected ${JSON.stringify(report.rejected)}; lists: ${lists}; ` +
      `TLP:RED-only indicators: ${expected.redOnly.length}; protected: ${expected.protectedOnes.join(' ')}; first sync ${Math.round(ms)} ms`,
  );
}

describe.skipIf(!HAS_DATA)('acceptance: real MISP data from ../shared/data/misp', () => {
  it('knows the same supported types as iocrelay', () => {
    expect([...SUPPORTED_TYPES].sort()).toEqual([...SUPPORTED_ATTRIBUTE_TYPES].sort());
  });

  describe('both feeds through the feed source', () => {
    const perFeed = new Map<string, RealEvent[]>();
    let fixture: SyncFixture;
    let report: SyncReport;
    let expected: Expected;

    beforeAll(async () => {
      for (const feed of FEEDS) perFeed.set(feed, readFeedFolder(join(REAL_MISP_DIR, feed)));
      expected = expectFrom([...perFeed.values()].flat().flatMap((e) => e.attributes));

      const feeds = FEEDS.map(
        (feed) => `  - { name: ${feed}, url: '${join(REAL_MISP_DIR, feed)}' }`,
      ).join('\n');
      fixture = await syncFixture(`database: ./var/iocrelay.db\nfeeds:\n${feeds}\n${TENANTS_YAML}`);
      const startedAt = performance.now();
      report = await fixture.sync();
      summarize('feeds', report, expected, performance.now() - startedAt);
    });
    afterAll(async () => fixture?.close());

    it('reads every event file the manifests name, and only those', () => {
      for (const feed of FEEDS) {
        const folder = join(REAL_MISP_DIR, feed);
        const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as object;
        const files = (perFeed.get(feed) ?? []).map((e) => e.file.slice(folder.length + 1));
        expect(files).toEqual(
          Object.keys(manifest)
            .map((uuid) => `${uuid}.json`)
            .sort(),
        );
      }
    });

    it('pulls every attribute of each feed and counts each rejection by reason', () => {
      for (const feed of FEEDS) {
        const attributes = (perFeed.get(feed) ?? []).flatMap((e) => e.attributes);
        const source = report.sources.find((s) => s.source === `feed:${feed}`);
        expect(source).toMatchObject({ status: 'ok', mode: 'full' });
        expect(source?.attributes).toBe(attributes.length);
      }
      checkCounts(report, expected);
    });

    it.each(LIST_KINDS)('%s.txt holds exactly the expected values, sorted, once each', (kind) => {
      checkList(fixture, report, expected, kind);
    });

    it('a second run changes nothing: every list unchanged, same bytes and mtimes', async () => {
      const before = fixture.snapshot();
      const again = await fixture.sync();

      expect(again.status).toBe('ok');
      expect(again.lists.map((l) => l.status)).toEqual(LIST_KINDS.map(() => 'unchanged'));
      expect(fixture.snapshot()).toEqual(before);
    });
  });

  describe('single events through the MISP API test server', () => {
    let misp: MispApiServer;
    let fixture: SyncFixture;
    let report: SyncReport;
    let expected: Expected;
    let events: RealEvent[];

    beforeAll(async () => {
      events = findEventFiles(EVENTS_DIR);
      const wire = toWireAttributes(events);
      const served = events
        .flatMap((e) => e.attributes)
        .filter((a) => SUPPORTED_TYPES.includes(a.type) && a.isToIds && !a.isDeleted);
      expected = expectFrom(served);

      misp = await startMispApiServer({ apiKey: API_KEY, attributes: wire });
      fixture = await syncFixture(
        `database: ./var/iocrelay.db
misp:
  url: \${MISP_URL}
  api_key: \${MISP_API_KEY}
  page_size: ${PAGE_SIZE}
  retries: 0
  timeout: 10s
  query:
    to_ids: true
${TENANTS_YAML}`,
        { MISP_URL: misp.url, MISP_API_KEY: API_KEY },
      );
      const startedAt = performance.now();
      report = await fixture.sync();
      summarize('events', report, expected, performance.now() - startedAt);
    });
    afterAll(async () => {
      await fixture?.close();
      await misp?.close();
    });

    it('finds the event files, wrapped or bare, and leaves other files out', () => {
      expect(events.length).toBeGreaterThan(10);
      expect(events.some((e) => e.file.endsWith('misp_event.json'))).toBe(true);
      expect(events.every((e) => e.file.endsWith('.json'))).toBe(true);
    });

    it('pages through every supported, to_ids, not deleted attribute', () => {
      expect(report.sources[0]).toMatchObject({ source: 'misp', mode: 'full', status: 'ok' });
      expect(misp.requests.map((r) => r.body['page'])).toEqual(
        Array.from({ length: Math.floor(expected.pulled / PAGE_SIZE) + 1 }, (_, i) => i + 1),
      );
      checkCounts(report, expected);
    });

    it.each(LIST_KINDS)('%s.txt holds exactly the expected values, sorted, once each', (kind) => {
      checkList(fixture, report, expected, kind);
    });

    it('a second run changes nothing: every list unchanged, same bytes and mtimes', async () => {
      const before = fixture.snapshot();
      const again = await fixture.sync();

      expect(again.status).toBe('ok');
      expect(again.sources[0]?.mode).toBe('incremental');
      expect(again.lists.map((l) => l.status)).toEqual(LIST_KINDS.map(() => 'unchanged'));
      expect(fixture.snapshot()).toEqual(before);
    });
  });
});

// Fields restSearch does not return for an attribute (without withAttachments) or an event
// context; everything else is served as the file holds it.
const ATTRIBUTE_ONLY_IN_FILES = new Set(['data', 'ShadowAttribute', 'RelatedAttribute']);
const EVENT_ONLY_IN_FILES = new Set(['ShadowAttribute', 'RelatedEvent', 'EventReport']);

/**
 * Every attribute of every event, objects' included, as restSearch attributes: values, types,
 * to_ids, deleted and Tag as the files hold them (a missing flag is false, an attribute of a
 * deleted object is deleted), a unique id, and the event's own fields as its context.
 */
function toWireAttributes(events: readonly RealEvent[]): MispWireAttribute[] {
  let id = 0;
  return events.flatMap((real, index) => {
    const event: MispWireEvent = {
      ...without(real.event, EVENT_ONLY_IN_FILES),
      id: String(index + 1),
      uuid: String(real.event['uuid']),
      published: real.event['published'] === true,
    };

    return real.attributes.map((attribute): MispWireAttribute => {
      id += 1;
      const { raw, object } = attribute;
      return {
        ...without(raw, ATTRIBUTE_ONLY_IN_FILES),
        id: String(id),
        uuid: String(raw['uuid']),
        type: attribute.type,
        value: attribute.value,
        timestamp: String(raw['timestamp']),
        event_id: event.id,
        object_id:
          object === null ? '0' : typeof object['id'] === 'string' ? object['id'] : `${id}`,
        to_ids: attribute.isToIds,
        deleted: attribute.isDeleted,
        Tag: raw['Tag'] ?? [],
        Event: event,
      };
    });
  });
}

function without(
  record: Record<string, unknown>,
  keys: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.has(key)));
}

// Independent of src/policy: the IPv4 blocks no list may carry (RFC 1918, loopback, this
// network, shared space, link-local, multicast and reserved), checked on the first octets.
function isPrivateIPv4(value: string): boolean {
  const match = /^(\d+)\.(\d+)\.\d+\.\d+(?:\/\d+)?$/.exec(value);
  if (!match) return false;
  const [a, b] = [Number(match[1]), Number(match[2])];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

function urlHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

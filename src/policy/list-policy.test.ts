import { describe, expect, it } from 'vitest';

import { configSchema, type Config } from '../config/config-schema.js';
import { normalizeAttribute } from '../normalize/normalize-attribute.js';
import { compileTenantPolicy } from './compile-policies.js';
import { decideListing, type PolicyCandidate } from './list-policy.js';
import type { Warninglist } from './warninglists/warninglist.js';

const NOW = Date.parse('2026-06-01T00:00:00Z') / 1000;
const DAY = 86_400;

function policyOf(raw: Record<string, unknown>, warninglists: Warninglist[] | null = null) {
  const config = configSchema.parse({
    tenants: [
      {
        id: 'acme',
        owner_tag: 'customer:acme',
        lists: [{ file: 'all.txt', types: ['ip', 'domain', 'url', 'sha256'] }],
      },
    ],
    ...raw,
  }) as Config;
  const tenant = config.tenants[0];
  if (tenant === undefined) throw new Error('no tenant');
  return { policy: compileTenantPolicy(config, tenant, warninglists), list: tenant.lists[0]! };
}

interface AttributeSpec {
  readonly lastSightingDaysAgo?: number;
  readonly expirationDaysAgo?: number;
  readonly decayed?: boolean;
  readonly tags?: string[];
  readonly eventTags?: string[];
  readonly toIds?: boolean;
  readonly ageDays?: number;
  readonly lastSeen?: string | null;
  readonly threatLevel?: number | null;
  readonly source?: string;
  readonly type?: string;
}

function candidate(kind: PolicyCandidate['kind'], value: string, ...specs: AttributeSpec[]) {
  return {
    kind,
    value,
    attributes: specs.map((spec) => ({
      source: spec.source ?? 'misp',
      type: spec.type ?? (kind === 'ip' ? 'ip-dst' : kind),
      tags: spec.tags ?? [],
      tlp: null,
      toIds: spec.toIds ?? true,
      timestamp: NOW - (spec.ageDays ?? 1) * DAY,
      lastSeen: spec.lastSeen ?? null,
      lastSighting:
        spec.lastSightingDaysAgo === undefined ? null : NOW - spec.lastSightingDaysAgo * DAY,
      expirationSighting:
        spec.expirationDaysAgo === undefined ? null : NOW - spec.expirationDaysAgo * DAY,
      decayed: spec.decayed ?? null,
      event: {
        tags: spec.eventTags ?? ['tlp:green'],
        tlp: null,
        threatLevel: spec.threatLevel === undefined ? 2 : spec.threatLevel,
      },
    })),
  } satisfies PolicyCandidate;
}

// The store gives attribute and event TLP columns already read from the tags.
function withTlp(c: ReturnType<typeof candidate>): PolicyCandidate {
  return {
    ...c,
    attributes: c.attributes.map((a) => ({
      ...a,
      tlp: tlpOf(a.tags),
      event: { ...a.event, tlp: tlpOf(a.event.tags) },
    })),
  };
}

function tlpOf(tags: readonly string[]) {
  const levels = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
  const found = tags.map((t) => t.toLowerCase().replace('tlp:', '').replace('white', 'clear'));
  return [...levels].reverse().find((level) => found.includes(level)) ?? null;
}

function verdict(raw: Record<string, unknown>, c: ReturnType<typeof candidate>): string {
  const { policy, list } = policyOf(raw);
  const decision = decideListing(withTlp(c), policy, list, NOW);
  if (!decision.isListed) return `${decision.rule}: ${decision.detail}`;
  return decision.values === null ? 'listed' : `listed as ${decision.values.join(' ')}`;
}

describe('decideListing: TLP and ownership (FIRST TLP 2.0)', () => {
  it.each([
    ['green event', {}, {}, 'listed'],
    ['clear event', {}, { eventTags: ['tlp:clear'] }, 'listed'],
    ['white is the old clear', {}, { eventTags: ['TLP:WHITE'] }, 'listed'],
    ['red event', {}, { eventTags: ['tlp:red'] }, 'tlp: TLP:RED never leaves the store'],
    [
      'red attribute in a green event',
      {},
      { tags: ['tlp:red'] },
      'tlp: TLP:RED never leaves the store',
    ],
    [
      'clear attribute in a red event: the stricter wins',
      {},
      { tags: ['tlp:clear'], eventTags: ['tlp:red'] },
      'tlp: TLP:RED never leaves the store',
    ],
    ['amber, owner tag on the event', {}, { eventTags: ['tlp:amber', 'customer:acme'] }, 'listed'],
    [
      'amber+strict, owner tag on the attribute',
      {},
      { tags: ['customer:acme'], eventTags: ['tlp:amber+strict'] },
      'listed',
    ],
    [
      'amber of another tenant',
      {},
      { eventTags: ['tlp:amber', 'customer:globex'] },
      'owner: TLP:AMBER and not tagged customer:acme',
    ],
    [
      'no TLP: amber by default',
      {},
      { eventTags: [] },
      'owner: TLP:AMBER and not tagged customer:acme',
    ],
    ['no TLP, tlp_default green', { tlp_default: 'green' }, { eventTags: [] }, 'listed'],
    [
      'shared refused',
      { policy: { shared: false } },
      {},
      'shared: TLP:GREEN is shared; the tenant takes no shared indicators',
    ],
  ])('%s', (_name, raw, spec, expected) => {
    expect(verdict(raw, candidate('ip', '198.51.100.7', spec))).toBe(expected);
  });

  it('lists an indicator when one of its attributes counts, whatever the others say', () => {
    const c = candidate(
      'ip',
      '198.51.100.7',
      { eventTags: ['tlp:red'] },
      { eventTags: ['tlp:green'] },
    );
    expect(verdict({}, c)).toBe('listed');
  });
});

describe('decideListing: ownership across tenants', () => {
  const config = configSchema.parse({
    tenants: [
      { id: 'acme', owner_tag: 'customer:acme', lists: [{ file: 'ip.txt', types: ['ip'] }] },
      { id: 'globex', owner_tag: 'customer:globex', lists: [{ file: 'ip.txt', types: ['ip'] }] },
    ],
  }) as Config;
  const decide = (tenantIndex: number, c: ReturnType<typeof candidate>) => {
    const tenant = config.tenants[tenantIndex]!;
    const decision = decideListing(
      withTlp(c),
      compileTenantPolicy(config, tenant, null),
      tenant.lists[0]!,
      NOW,
    );
    return decision.isListed ? 'listed' : `${decision.rule}: ${decision.detail}`;
  };

  it('lets the owner tag on the attribute decide, not the one on its event', () => {
    const c = candidate('ip', '203.0.113.66', {
      tags: ['tlp:amber', 'Customer:ACME'],
      eventTags: ['tlp:green', 'customer:globex'],
    });
    expect(decide(0, c)).toBe('listed');
    expect(decide(1, c)).toBe('owner: TLP:AMBER and not tagged customer:globex');
  });

  it("takes the event's owner tag when the attribute carries none", () => {
    const c = candidate('ip', '203.0.113.66', { eventTags: ['tlp:amber', 'customer:globex'] });
    expect(decide(0, c)).toBe('owner: TLP:AMBER and not tagged customer:acme');
    expect(decide(1, c)).toBe('listed');
  });
});

describe('decideListing: selection keys', () => {
  it.each([
    [
      'exclude',
      { policy: { tags: { exclude: ['osint:*'] } } },
      { tags: ['OSINT:source-type="blog"'] },
      'tags: tagged OSINT:source-type="blog" (tags.exclude)',
    ],
    [
      'require met',
      { policy: { tags: { require: ['kill-chain:*'] } } },
      { eventTags: ['tlp:green', 'kill-chain:c2'] },
      'listed',
    ],
    [
      'require missing',
      { policy: { tags: { require: ['kill-chain:*', 'vetted'] } } },
      {},
      'tags: lacks vetted, kill-chain:* (tags.require)',
    ],
    [
      'accept none',
      { policy: { tags: { accept: ['a', 'b'] } } },
      {},
      'tags: carries none of tags.accept',
    ],
    [
      'threat level too low',
      { policy: { min_threat_level: 'high' } },
      { threatLevel: 2 },
      'threat_level: event threat level medium is below policy.min_threat_level',
    ],
    [
      'threat level unknown',
      { policy: { min_threat_level: 'low' } },
      { threatLevel: null },
      'threat_level: event threat level undefined is below policy.min_threat_level',
    ],
    ['threat level met', { policy: { min_threat_level: 'medium' } }, { threatLevel: 1 }, 'listed'],
    ['to_ids off', {}, { toIds: false }, 'to_ids: not flagged for detection (to_ids off)'],
    ['to_ids off, taken', { policy: { to_ids_only: false } }, { toIds: false }, 'listed'],
    [
      'other source',
      { policy: { sources: ['feed:osint'] } },
      {},
      'source: source misp is not in policy.sources',
    ],
    [
      'kind not taken',
      { policy: { kinds: ['domain'] } },
      {},
      'kind: the tenant takes no ip indicators (policy.kinds)',
    ],
  ])('%s', (_name, raw, spec, expected) => {
    expect(verdict(raw, candidate('ip', '198.51.100.7', spec))).toBe(expected);
  });

  it('lets a tenant override one key of the defaults and keep the others', () => {
    const raw = {
      policy: { tags: { exclude: ['noisy'] }, min_threat_level: 'high' },
      tenants: [
        {
          id: 'acme',
          policy: { min_threat_level: null },
          lists: [{ file: 'ip.txt', types: ['ip'] }],
        },
      ],
    };
    expect(verdict(raw, candidate('ip', '198.51.100.7', { threatLevel: 3 }))).toBe('listed');
    expect(verdict(raw, candidate('ip', '198.51.100.7', { tags: ['noisy'] }))).toBe(
      'tags: tagged noisy (tags.exclude)',
    );
  });
});

describe('decideListing: expiry', () => {
  it.each([
    ['ip inside 30 days', 'ip', '198.51.100.7', { ageDays: 29 }, {}, 'listed'],
    [
      'ip past 30 days',
      'ip',
      '198.51.100.7',
      { ageDays: 31 },
      {},
      'expired: expired 2026-05-31: last activity 2026-05-01, lifetime 30 days',
    ],
    [
      'last_seen renews it',
      'ip',
      '198.51.100.7',
      { ageDays: 100, lastSeen: '2026-05-20T00:00:00Z' },
      {},
      'listed',
    ],
    ['domain inside 90 days', 'domain', 'bad.example', { ageDays: 89 }, {}, 'listed'],
    ['hashes never expire', 'sha256', 'a'.repeat(64), { ageDays: 3000 }, {}, 'listed'],
    [
      'tenant lifetime',
      'ip',
      '198.51.100.7',
      { ageDays: 8 },
      { policy: { expiry: { ip: '7d' } } },
      'expired: expired 2026-05-31: last activity 2026-05-24, lifetime 7 days',
    ],
    [
      'max_age caps every kind',
      'sha256',
      'a'.repeat(64),
      { ageDays: 400 },
      { policy: { max_age: '365d' } },
      'expired: expired 2026-04-27: last activity 2025-04-27, lifetime 365 days',
    ],
  ] as const)('%s', (_name, kind, value, spec, raw, expected) => {
    expect(verdict(raw, candidate(kind, value, spec))).toBe(expected);
  });

  it.each([
    [
      'a recent sighting renews an old indicator',
      { ageDays: 60, lastSightingDaysAgo: 3 },
      'listed',
    ],
    [
      'an expiration sighting expires it',
      { ageDays: 5, expirationDaysAgo: 1 },
      'expired: expiration sighting on 2026-05-31',
    ],
    [
      'activity after the expiration sighting brings it back',
      { ageDays: 1, expirationDaysAgo: 3 },
      'listed',
    ],
    ['decayed', { decayed: true }, 'decayed: a MISP decaying model marks it decayed'],
    ['not decayed', { decayed: false }, 'listed'],
  ] as const)('%s', (_name, spec, expected) => {
    expect(verdict({}, candidate('ip', '198.51.100.7', spec))).toBe(expected);
  });

  it('ignores activity dated in the future, which would keep an indicator forever', () => {
    const c = candidate('ip', '198.51.100.7', { ageDays: 400, lastSeen: '2099-01-01T00:00:00Z' });
    expect(verdict({}, c)).toBe(
      'expired: expired 2025-05-27: last activity 2025-04-27, lifetime 30 days',
    );
  });

  it('counts expiry from the newest attribute that counts', () => {
    const c = candidate('ip', '198.51.100.7', { ageDays: 60 }, { ageDays: 2 });
    expect(verdict({}, c)).toBe('listed');
  });
});

describe('decideListing: warninglists and composite types', () => {
  it('checks a hostname|port attribute against lists that name hostname', () => {
    const lists = [
      {
        name: 'Top sites',
        description: 'test',
        version: 1,
        type: 'hostname',
        matchingAttributes: ['hostname', 'domain'],
        entries: ['top.example'],
        file: '/tmp/test/list.json',
      } as Warninglist,
    ];
    const config = configSchema.parse({
      tlp_default: 'green',
      tenants: [{ id: 'acme', lists: [{ file: 'd.txt', types: ['domain'] }] }],
    }) as Config;
    const tenant = config.tenants[0]!;
    const policy = compileTenantPolicy(config, tenant, lists);
    const c = candidate('domain', 'www.top.example', { type: 'hostname|port' });
    expect(decideListing(withTlp(c), policy, tenant.lists[0]!, NOW)).toEqual({
      isListed: false,
      rule: 'warninglist',
      detail: 'on the warninglist "Top sites" (top.example)',
    });
  });
});

describe('decideListing: safety filters', () => {
  it.each([
    ['protected', 'ip', '10.1.2.3', {}, 'protected: overlaps the protected range 10.0.0.0/8'],
    [
      'protected URL host',
      'url',
      'http://127.0.0.1/x',
      {},
      'protected: overlaps the protected range 127.0.0.0/8',
    ],
    [
      'breadth',
      'ip',
      '198.0.0.0/15',
      {},
      'breadth: 198.0.0.0/15 is wider than the IPv4 limit of /16',
    ],
    [
      'breadth intended',
      'ip',
      '198.18.0.0/15',
      { policy: { breadth: { intended: ['198.18.0.0/15'] } } },
      'listed',
    ],
    [
      'public suffix',
      'domain',
      'co.uk',
      {},
      'public_suffix: co.uk is a public suffix; blocking it would block every site under it',
    ],
    [
      'allowlisted address',
      'ip',
      '192.0.2.10',
      { allow: ['192.0.2.10'] },
      'allowlist: allowlisted by allow.0 (192.0.2.10)',
    ],
    [
      'tenant allowlist',
      'domain',
      'www.intranet.example',
      {
        tenants: [
          {
            id: 'acme',
            allow: ['intranet.example'],
            lists: [{ file: 'd.txt', types: ['domain'] }],
          },
        ],
      },
      'allowlist: allowlisted by tenants.0.allow.0 (intranet.example)',
    ],
    [
      'network split',
      'ip',
      '192.0.2.0/30',
      { allow: ['192.0.2.1'] },
      'listed as 192.0.2.0 192.0.2.2/31',
    ],
    [
      'URL entry covers other ports of the scheme and path case',
      'url',
      'http://portal.example:443/Login/x',
      { allow: ['https://portal.example/login'] },
      'allowlist: allowlisted by allow.0 (https://portal.example/login)',
    ],
    [
      'localhost names',
      'domain',
      'app.localhost',
      {},
      'protected: localhost is a special-use name for the host itself',
    ],
    [
      'IPv4-mapped entry protects the IPv4 address',
      'ip',
      '192.0.2.10',
      { allow: ['::ffff:192.0.2.10'] },
      'allowlist: allowlisted by allow.0 (192.0.2.10)',
    ],
    [
      'NAT64 entry splits an IPv4 network',
      'ip',
      '192.0.2.8/30',
      { allow: ['64:ff9b::192.0.2.10'] },
      'listed as 192.0.2.8/31 192.0.2.11',
    ],
  ] as const)('%s', (_name, kind, value, raw, expected) => {
    expect(verdict(raw, candidate(kind, value, {}))).toBe(expected);
  });

  it('names the warninglist and its entry', () => {
    const lists: Warninglist[] = [
      {
        name: 'Test resolvers',
        version: 1,
        description: 'test',
        type: 'cidr',
        matchingAttributes: ['ip-dst'],
        entries: ['203.0.113.0/25'],
        file: '/tmp/test/list.json',
      } as unknown as Warninglist,
    ];
    const config = configSchema.parse({
      tenants: [{ id: 'acme', lists: [{ file: 'ip.txt', types: ['ip'] }] }],
    }) as Config;
    const policy = compileTenantPolicy(config, config.tenants[0]!, lists);
    const decision = decideListing(
      withTlp(candidate('ip', '203.0.113.9', {})),
      policy,
      config.tenants[0]!.lists[0]!,
      NOW,
    );
    expect(decision).toEqual({
      isListed: false,
      rule: 'warninglist',
      detail: 'on the warninglist "Test resolvers" (203.0.113.0/25)',
    });
    for (const form of ['::ffff:203.0.113.9', '64:ff9b::203.0.113.9', '::203.0.113.9']) {
      const embedded = decideListing(
        withTlp(candidate('ip', canonicalIp(form), {})),
        policy,
        config.tenants[0]!.lists[0]!,
        NOW,
      );
      expect(embedded.isListed ? 'listed' : embedded.rule).toBe('warninglist');
    }
  });
});

function canonicalIp(value: string): string {
  const result = normalizeAttribute('ip-dst', value);
  if (!result.ok) throw new Error(`bad test value ${value}`);
  return result.indicators[0]!.value;
}

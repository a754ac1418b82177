import type { PolicyDefaults, PolicyOverride, ThreatLevelName } from '../config/policy-schema.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import { TagMatcher } from './tag-matcher.js';
import { mostRestrictiveTlp, type Tlp } from './tlp.js';

/** What selection needs to know of one attribute and its event. */
export interface PolicyAttribute {
  readonly source: string;
  readonly tags: readonly string[];
  /** The attribute's own TLP tag. */
  readonly tlp: Tlp | null;
  readonly toIds: boolean;
  /** MISP attribute timestamp, Unix seconds. */
  readonly timestamp: number;
  /** ISO 8601 or null. */
  readonly lastSeen: string | null;
  /** Newest sighting, Unix seconds; absent or null when unknown. */
  readonly lastSighting?: number | null;
  /** Newest expiration sighting (type 2), Unix seconds. */
  readonly expirationSighting?: number | null;
  /** A MISP decaying model marks it decayed. */
  readonly decayed?: boolean | null;
  readonly event: {
    readonly tags: readonly string[];
    readonly tlp: Tlp | null;
    /** 1 high, 2 medium, 3 low, 4 undefined. */
    readonly threatLevel: number | null;
  };
}

/** Why one attribute does not count for a tenant; `rule` is a stable name (metrics, explain). */
export interface Exclusion {
  readonly rule: SelectionRule;
  readonly detail: string;
}

export type SelectionRule =
  'tlp' | 'owner' | 'shared' | 'tags' | 'threat_level' | 'decayed' | 'to_ids' | 'source' | 'kind';

/** One tenant's selection rules: its `policy` merged over the top-level one, compiled. */
export interface TenantSelection {
  readonly tenant: string;
  readonly ownerTag: string | null;
  readonly owner: TagMatcher | null;
  /** Every tenant's owner tag: an attribute carrying one decides ownership over its event. */
  readonly anyOwner: TagMatcher;
  readonly tlpDefault: Tlp;
  readonly shared: boolean;
  readonly require: TagMatcher;
  readonly accept: TagMatcher;
  readonly exclude: TagMatcher;
  /** Highest threat_level_id taken (1 high … 3 low); null takes all. */
  readonly maxThreatLevelId: number | null;
  readonly toIdsOnly: boolean;
  readonly kinds: ReadonlySet<IndicatorKind>;
  /** Null takes every shared source. */
  readonly sources: ReadonlySet<string> | null;
  /** Sources private to one tenant, with their owner: only it gets their indicators. */
  readonly privateSources: ReadonlyMap<string, string>;
  /** Seconds an indicator stays listed after its newest activity, per kind; null: forever. */
  readonly lifetime: Readonly<Record<IndicatorKind, number | null>>;
}

const THREAT_LEVEL_ID: Readonly<Record<ThreatLevelName, number>> = { high: 1, medium: 2, low: 3 };
const SHARED_LEVELS: ReadonlySet<Tlp> = new Set(['clear', 'green']);
const NO_TAGS: readonly string[] = [];
/** Clock skew allowed between MISP and iocrelay. */
const FUTURE_SKEW = 86_400;

/**
 * Merges a tenant's `policy` over the defaults, key by key (and kind by kind for expiry), and
 * compiles the tag patterns.
 *
 * @example
 * const selection = compileSelection('acme', 'customer:acme', 'amber', config.policy, tenant.policy);
 */
export function compileSelection(
  tenant: string,
  ownerTag: string | null,
  tlpDefault: Tlp | 'white',
  defaults: PolicyDefaults,
  own: PolicyOverride | undefined,
  privateSources: ReadonlyMap<string, string> = new Map(),
  allOwnerTags: readonly string[] = ownerTag === null ? [] : [ownerTag],
): TenantSelection {
  const tags = { ...defaults.tags, ...stripUndefined(own?.tags) };
  const expiry = { ...defaults.expiry, ...stripUndefined(own?.expiry) };
  const maxAge = own?.max_age !== undefined ? own.max_age : defaults.max_age;
  const minThreat =
    own?.min_threat_level !== undefined ? own.min_threat_level : defaults.min_threat_level;
  const sources = own?.sources ?? defaults.sources;

  const lifetime = {} as Record<IndicatorKind, number | null>;
  for (const [kind, seconds] of Object.entries(expiry) as [IndicatorKind, number | null][]) {
    lifetime[kind] = shortest(seconds, maxAge);
  }

  return {
    tenant,
    ownerTag,
    owner: ownerTag === null ? null : new TagMatcher([ownerTag]),
    anyOwner: new TagMatcher(allOwnerTags),
    tlpDefault: tlpDefault === 'white' ? 'clear' : tlpDefault,
    shared: own?.shared ?? defaults.shared,
    require: new TagMatcher(tags.require),
    accept: new TagMatcher(tags.accept),
    exclude: new TagMatcher(tags.exclude),
    maxThreatLevelId: minThreat === null ? null : THREAT_LEVEL_ID[minThreat],
    toIdsOnly: own?.to_ids_only ?? defaults.to_ids_only,
    kinds: new Set(own?.kinds ?? defaults.kinds),
    sources: sources.length === 0 ? null : new Set(sources),
    privateSources,
    lifetime,
  };
}

/**
 * Whether one attribute counts for the tenant (null) or the rule that keeps it out. An
 * indicator is listed for a tenant when at least one of its attributes counts.
 *
 * TLP follows FIRST TLP 2.0: CLEAR and GREEN go to every tenant that takes shared indicators,
 * AMBER and AMBER+STRICT only to the tenant whose owner tag is on the attribute or its event,
 * RED never leaves the store. The TLP is the most restrictive of the attribute's and the
 * event's tags, so an attribute can be marked tighter than its event, never looser; with
 * neither, `tlp_default`.
 *
 * @example
 * excludeAttribute(attribute, 'ip', selection); // { rule: 'tlp', detail: 'TLP:RED never …' }
 */
export function excludeAttribute(
  attribute: PolicyAttribute,
  kind: IndicatorKind,
  selection: TenantSelection,
): Exclusion | null {
  if (!selection.kinds.has(kind)) {
    return { rule: 'kind', detail: `the tenant takes no ${kind} indicators (policy.kinds)` };
  }
  const owner = selection.privateSources.get(attribute.source);
  if (owner !== undefined && owner !== selection.tenant) {
    return { rule: 'source', detail: `source ${attribute.source} is private to tenant ${owner}` };
  }
  const isOwnSource = owner === selection.tenant;
  if (!isOwnSource && selection.sources !== null && !selection.sources.has(attribute.source)) {
    return { rule: 'source', detail: `source ${attribute.source} is not in policy.sources` };
  }
  if (selection.toIdsOnly && !attribute.toIds) {
    return { rule: 'to_ids', detail: 'not flagged for detection (to_ids off)' };
  }

  const tlpExclusion = excludeByTlp(attribute, selection, isOwnSource);
  if (tlpExclusion !== null) return tlpExclusion;

  const { tags, event } = attribute;
  const excluded = selection.exclude.firstMatch(tags, event.tags);
  if (excluded !== null) return { rule: 'tags', detail: `tagged ${excluded} (tags.exclude)` };
  const missing = selection.require.unmatched(tags, event.tags);
  if (missing.length > 0) {
    return { rule: 'tags', detail: `lacks ${missing.join(', ')} (tags.require)` };
  }
  if (!selection.accept.isEmpty && selection.accept.firstMatch(tags, event.tags) === null) {
    return { rule: 'tags', detail: 'carries none of tags.accept' };
  }

  if (attribute.decayed === true) {
    return { rule: 'decayed', detail: 'a MISP decaying model marks it decayed' };
  }

  const limit = selection.maxThreatLevelId;
  if (limit !== null && (event.threatLevel === null || event.threatLevel > limit)) {
    return {
      rule: 'threat_level',
      detail: `event threat level ${threatLevelName(event.threatLevel)} is below policy.min_threat_level`,
    };
  }
  return null;
}

/**
 * Unix seconds of an attribute's newest activity: the latest of its MISP timestamp, its
 * last_seen and its newest sighting. A time more than a day past `now` is bogus (a typo, or
 * milliseconds) and would keep the indicator alive forever: it is ignored.
 *
 * @example
 * lastActivity({ timestamp: 1714521600, lastSeen: '2024-06-01T00:00:00Z' }, now); // 1717200000
 */
export function lastActivity(
  attribute: Pick<PolicyAttribute, 'timestamp' | 'lastSeen' | 'lastSighting'>,
  now: number,
): number {
  const latest = now + FUTURE_SKEW;
  const times = [attribute.timestamp, attribute.lastSighting ?? 0];
  if (attribute.lastSeen !== null) {
    const lastSeenMs = Date.parse(attribute.lastSeen);
    if (!Number.isNaN(lastSeenMs)) times.push(Math.floor(lastSeenMs / 1000));
  }
  let newest = 0;
  for (const time of times) if (time <= latest && time > newest) newest = time;
  return newest;
}

function excludeByTlp(
  attribute: PolicyAttribute,
  selection: TenantSelection,
  isOwnSource: boolean,
): Exclusion | null {
  const tlp = mostRestrictiveTlp(attribute.tlp, attribute.event.tlp) ?? selection.tlpDefault;
  const label = `TLP:${tlp.toUpperCase()}`;

  if (tlp === 'red') return { rule: 'tlp', detail: 'TLP:RED never leaves the store' };
  if (isOwnSource) return null;
  if (SHARED_LEVELS.has(tlp)) {
    return selection.shared
      ? null
      : { rule: 'shared', detail: `${label} is shared; the tenant takes no shared indicators` };
  }

  const { owner, ownerTag } = selection;
  if (owner === null || ownerTag === null) {
    return { rule: 'owner', detail: `${label}, and the tenant has no owner_tag` };
  }
  // An owner tag on the attribute names its owner, whatever its event says: an analyst may
  // file one customer's amber indicator in an event of another.
  const ownerTags =
    selection.anyOwner.firstMatch(attribute.tags, NO_TAGS) !== null
      ? attribute.tags
      : attribute.event.tags;
  if (owner.firstMatch(ownerTags, NO_TAGS) === null) {
    return { rule: 'owner', detail: `${label} and not tagged ${ownerTag}` };
  }
  return null;
}

function threatLevelName(level: number | null): string {
  return (['high', 'medium', 'low', 'undefined'] as const)[(level ?? 4) - 1] ?? 'undefined';
}

function shortest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}

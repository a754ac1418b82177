import type { ListConfig } from '../config/config-schema.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import { urlHost } from '../normalize/url.js';
import type { Allowlist } from './allowlist.js';
import { checkBreadth, type BreadthLimits } from './breadth.js';
import { subtractSpans } from './ip-sets/subtract-spans.js';
import { protectedNameOf, protectedRangeOf } from './protected-ranges.js';
import { checkPublicSuffix } from './public-suffix.js';
import {
  excludeAttribute,
  lastActivity,
  type Exclusion,
  type PolicyAttribute,
  type SelectionRule,
  type TenantSelection,
} from './tenant-selection.js';
import type { WarninglistMatcher } from './warninglists/compile-warninglists.js';

/** Every rule that can keep an indicator off a list: stable names, used in counts and explain. */
export const POLICY_RULES = [
  'kind',
  'source',
  'to_ids',
  'tlp',
  'shared',
  'owner',
  'tags',
  'threat_level',
  'decayed',
  'expired',
  'protected',
  'breadth',
  'public_suffix',
  'warninglist',
  'allowlist',
  'capacity',
] as const;

export type PolicyRule = (typeof POLICY_RULES)[number];

/**
 * Rules that remove an entry because listing it is unsafe (it would block what must not be
 * blocked, or share what must not be shared). Such removals are never held back by the
 * shrink guard: keeping the last list would keep the unsafe entry on the devices.
 */
export const SAFETY_RULES: ReadonlySet<string> = new Set<PolicyRule>([
  'tlp',
  'owner',
  'protected',
  'breadth',
  'public_suffix',
  'warninglist',
  'allowlist',
]);

/** A stored indicator with the attributes that may put it on a list. */
export interface PolicyCandidate {
  readonly kind: IndicatorKind;
  readonly value: string;
  /** Attributes present at their source and not deleted; to_ids is checked per tenant. */
  readonly attributes: readonly (PolicyAttribute & { readonly type: string })[];
}

/** One tenant's compiled rules: selection, then the safety filters. */
export interface TenantPolicy {
  readonly tenant: string;
  readonly selection: TenantSelection;
  /** Null when no warninglists are configured or the tenant selects none. */
  readonly warninglists: WarninglistMatcher | null;
  /** Global and tenant entries together. */
  readonly allowlist: Allowlist;
  readonly breadth: BreadthLimits;
}

export interface Removal {
  readonly rule: PolicyRule;
  readonly detail: string;
}

/**
 * Whether an indicator goes on a list. A listed network that overlaps allowlisted addresses
 * is listed as the CIDRs left around them (`values`, with the allowlist `trimmed` noted);
 * otherwise `values` is null and the indicator's own value is listed.
 */
export type ListDecision =
  | {
      readonly isListed: true;
      readonly values: readonly string[] | null;
      readonly trimmed: Removal | null;
      /** Newest activity of the attributes that count, Unix seconds (capacity priority). */
      readonly lastActivity: number;
      /** Most severe threat level among them, 1 high … 4 undefined. */
      readonly threatLevel: number;
    }
  | ({ readonly isListed: false } & Removal);

/**
 * Decides whether one indicator goes on one tenant list, and when it does not, names the rule
 * and the exact entry or reason. The list builder and `iocrelay explain` both call this, so an
 * explanation cannot disagree with a list. Capacity is decided later, over the whole list.
 *
 * Order: the list's kinds, then per attribute the tenant's selection (an indicator counts when
 * one attribute does), expiry over the attributes that count, then the safety filters on the
 * value: protected ranges, breadth, public suffixes, warninglists, allowlists.
 *
 * @example
 * decideListing(candidate, policy, list, nowSeconds); // { isListed: false, rule: 'warninglist', … }
 */
export function decideListing(
  candidate: PolicyCandidate,
  policy: TenantPolicy,
  list: ListConfig,
  now: number,
): ListDecision {
  const { kind } = candidate;
  if (!list.types.includes(kind)) {
    return refuse('kind', `the list takes ${list.types.join(', ')}, not ${kind}`);
  }

  let firstExclusion: Exclusion | null = null;
  let newest = -Infinity;
  let expiredBySighting = -Infinity;
  let threatLevel = 4;
  for (const attribute of candidate.attributes) {
    const exclusion = excludeAttribute(attribute, kind, policy.selection);
    if (exclusion !== null) {
      firstExclusion ??= exclusion;
      continue;
    }
    newest = Math.max(newest, lastActivity(attribute, now));
    expiredBySighting = Math.max(expiredBySighting, attribute.expirationSighting ?? -Infinity);
    threatLevel = Math.min(threatLevel, attribute.event.threatLevel ?? 4);
  }
  if (newest === -Infinity) {
    return firstExclusion === null
      ? refuse('to_ids', 'no attribute is active at its source')
      : refuse(firstExclusion.rule satisfies SelectionRule, firstExclusion.detail);
  }

  // An expiration sighting (MISP sighting type 2) ends the indicator's life at that time,
  // unless something newer happened to it since.
  if (expiredBySighting >= newest && expiredBySighting <= now) {
    return refuse('expired', `expiration sighting on ${isoDay(expiredBySighting)}`);
  }

  const lifetime = policy.selection.lifetime[kind];
  if (lifetime !== null && newest + lifetime < now) {
    return refuse(
      'expired',
      `expired ${isoDay(newest + lifetime)}: last activity ${isoDay(newest)}, lifetime ${lifetime / 86_400} days`,
    );
  }

  const safety = checkSafety(candidate, policy);
  if (safety !== null && !('values' in safety)) return { isListed: false, ...safety };

  return {
    isListed: true,
    values: safety?.values ?? null,
    trimmed: safety?.trimmed ?? null,
    lastActivity: newest,
    threatLevel,
  };
}

/**
 * The safety filters alone, on a value: a removal, a split around allowlisted addresses, or
 * null when the value passes untouched.
 */
function checkSafety(
  candidate: PolicyCandidate,
  policy: TenantPolicy,
): Removal | { values: readonly string[]; trimmed: Removal } | null {
  const { kind, value } = candidate;

  // Built-in and always on: a list that blocked loopback, RFC 1918 or multicast space would
  // cut the customer off from itself, whoever recorded the value. A URL list blocks by host,
  // so a protected address must not reach it that way either.
  const address = kind === 'ip' ? value : kind === 'url' ? urlHost(value) : null;
  if (address !== null) {
    const range = protectedRangeOf(address);
    if (range !== null)
      return { rule: 'protected', detail: `overlaps the protected range ${range}` };
  }
  const name = kind === 'domain' ? value : kind === 'url' ? address : null;
  const localName = name === null ? null : protectedNameOf(name);
  if (localName !== null) {
    return { rule: 'protected', detail: `${localName} is a special-use name for the host itself` };
  }

  if (kind === 'ip') {
    const tooWide = checkBreadth(value, policy.breadth);
    if (tooWide !== null) return tooWide;
  }

  const suffix = checkPublicSuffix(candidate);
  if (suffix !== null) return { rule: 'public_suffix', detail: suffix.detail };

  if (policy.warninglists !== null) {
    const types = warninglistTypes(candidate);
    const hit = policy.warninglists.match({ kind, value, types });
    if (hit !== null) {
      return { rule: 'warninglist', detail: `on the warninglist "${hit.list}" (${hit.entry})` };
    }
  }

  const allowed = policy.allowlist.match(candidate);
  if (allowed === null) return null;
  if (!allowed.isPartial) return { rule: 'allowlist', detail: allowed.detail };

  return {
    values: subtractSpans(value, allowed.spans),
    trimmed: { rule: 'allowlist', detail: `split around ${allowed.detail}` },
  };
}

// A warninglist names the attribute types it applies to, and the top-site lists name
// `hostname` but not `hostname|port`: a composite attribute is also checked as the type of the
// part that gave the indicator, so a port suffix cannot slip a top site past them.
const PART_TYPES: Readonly<Record<string, Partial<Record<IndicatorKind, readonly string[]>>>> = {
  'hostname|port': { domain: ['hostname'] },
  'domain|ip': { domain: ['domain', 'hostname'], ip: ['ip-dst', 'ip-src'] },
  'ip-src|port': { ip: ['ip-src'] },
  'ip-dst|port': { ip: ['ip-dst'] },
  'filename|md5': { md5: ['md5'] },
  'filename|sha1': { sha1: ['sha1'] },
  'filename|sha256': { sha256: ['sha256'] },
};

function warninglistTypes(candidate: PolicyCandidate): string[] {
  const types = new Set<string>();
  for (const { type } of candidate.attributes) {
    types.add(type);
    for (const part of PART_TYPES[type]?.[candidate.kind] ?? []) types.add(part);
  }
  return [...types];
}

function refuse(rule: PolicyRule, detail: string): ListDecision {
  return { isListed: false, rule, detail };
}

// Most stored indicators of a long-lived MISP are expired, and their days repeat: formatting a
// date for each of a million refusals cost a second.
const ISO_DAYS = new Map<number, string>();

function isoDay(seconds: number): string {
  const day = Math.floor(seconds / 86_400);
  let text = ISO_DAYS.get(day);
  if (text === undefined) {
    if (ISO_DAYS.size > 10_000) ISO_DAYS.clear();
    text = new Date(day * 86_400_000).toISOString().slice(0, 10);
    ISO_DAYS.set(day, text);
  }
  return text;
}

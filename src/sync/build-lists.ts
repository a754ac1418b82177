import type { ListConfig, TenantConfig } from '../config/config-schema.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import { checkBreadth } from '../policy/breadth.js';
import { aggregateIps } from '../policy/ip-sets/aggregate-ips.js';
import { splitWide } from '../policy/ip-sets/split-wide.js';
import {
  decideListing,
  type PolicyRule,
  type Removal,
  type TenantPolicy,
} from '../policy/list-policy.js';
import { EntryList } from '../render/list-entries.js';
import type { Store } from '../store/store.js';
import { rendererOf } from '../render/renderers.js';
import { applyCapacity } from './apply-capacity.js';
import { provenanceOf } from './entry-provenance.js';

/** One list's content, in list order, with the store ids of its indicators. */
export interface BuiltList {
  readonly tenant: TenantConfig;
  readonly list: ListConfig;
  /** Released by publishLists once rendered: a list is published once. */
  readonly entries: EntryList;
  /** Indicators the list carries (a network split around allowlisted addresses counts once). */
  readonly indicatorIds: number[];
  /** Candidates of the list's kinds kept off it, by rule (`kind` is not counted). */
  readonly removedByRule: Partial<Record<PolicyRule, number>>;
  /** Networks listed as the CIDRs left around allowlisted addresses. */
  readonly split: number;
  /** Why indicators the list carried before are left out now (for the change log). */
  readonly removalReasons: Map<number, Removal>;
  /** Indicators the list carried as last published. */
  readonly previousIndicators: number;
}

interface Target {
  readonly tenant: TenantConfig;
  readonly list: ListConfig;
  readonly policy: TenantPolicy;
  readonly entries: EntryList;
  readonly indicatorIds: number[];
  /** Per entry, for capacity: newest activity and threat level; empty when uncapped. */
  readonly priorities: { lastActivity: number; threatLevel: number; id: number }[];
  readonly removedByRule: Partial<Record<PolicyRule, number>>;
  /** The list's indicator ids as last published, sorted. */
  readonly previous: Int32Array;
  readonly removalReasons: Map<number, Removal>;
  /** The list's format writes provenance (most do not: it costs memory on big lists). */
  readonly needsProvenance: boolean;
  /** Values listed from networks split around allowlisted addresses, to list each once. */
  readonly splitValues: Set<string>;
  split: number;
}

/**
 * Builds every tenant list in one pass over the store's active indicators, which arrive in
 * list order (sort key): IPs by address, names alphabetically. One pass keeps the cost flat
 * as tenants are added, instead of one scan per list. Each indicator goes through the tenant
 * policy (decideListing); then per list, optional aggregation and the capacity limit.
 *
 * @example
 * const lists = await buildLists(store, config.tenants, policies, nowSeconds);
 */
export async function buildLists(
  store: Store,
  tenants: readonly TenantConfig[],
  policies: ReadonlyMap<string, TenantPolicy>,
  now: number,
): Promise<BuiltList[]> {
  const targets: Target[] = [];
  for (const tenant of tenants) {
    const policy = policies.get(tenant.id);
    if (policy === undefined) throw new Error(`no policy compiled for tenant ${tenant.id}`);
    for (const list of tenant.lists) {
      const needsProvenance = rendererOf(list.format).needsProvenance === true;
      targets.push({
        tenant,
        list,
        policy,
        entries: new EntryList(needsProvenance),
        indicatorIds: [],
        priorities: [],
        removedByRule: {},
        previous: await store.listedIndicatorIds(tenant.id, list.file),
        removalReasons: new Map(),
        splitValues: new Set(),
        needsProvenance,
        split: 0,
      });
    }
  }

  const byKind = new Map<IndicatorKind, Target[]>();
  for (const target of targets) {
    for (const kind of target.list.types) byKind.set(kind, [...(byKind.get(kind) ?? []), target]);
  }
  const includeNonIds = [...policies.values()].some((policy) => !policy.selection.toIdsOnly);

  for await (const candidate of store.iterateCandidates({
    kinds: [...byKind.keys()],
    includeNonIds,
  })) {
    for (const target of byKind.get(candidate.kind) ?? []) {
      const decision = decideListing(candidate, target.policy, target.list, now);
      if (!decision.isListed) {
        target.removedByRule[decision.rule] = (target.removedByRule[decision.rule] ?? 0) + 1;
        if (includes(target.previous, candidate.id)) {
          target.removalReasons.set(candidate.id, { rule: decision.rule, detail: decision.detail });
        }
        continue;
      }

      if (decision.trimmed !== null) target.split++;
      target.indicatorIds.push(candidate.id);
      const provenance = target.needsProvenance
        ? provenanceOf(candidate.kind, candidate.attributes, target.policy.selection, now)
        : undefined;
      for (const value of decision.values ?? [candidate.value]) {
        // Two networks split around one address share pieces; each goes on the list once.
        if (target.splitValues.size > 0 || decision.values !== null) {
          if (target.splitValues.has(value)) continue;
          target.splitValues.add(value);
        }
        target.entries.push(candidate.kind, value, provenance);
        if (target.list.max_entries !== undefined) {
          const { lastActivity, threatLevel } = decision;
          target.priorities.push({ lastActivity, threatLevel, id: candidate.id });
        }
      }
    }
  }

  return targets.map(finishList);
}

// Capacity first, then aggregation: aggregating never adds entries, so the device limit
// holds, and which indicators are left out does not depend on how their neighbours merge.
function finishList(target: Target): BuiltList {
  let { entries, indicatorIds } = target;
  const removedByRule = { ...target.removedByRule };

  const max = target.list.max_entries;
  if (max !== undefined && entries.length > max) {
    const kept = applyCapacity(entries, target.priorities, max);
    removedByRule.capacity = entries.length - kept.entries.length;
    const keptIds = new Set(kept.indicatorIds);
    for (const id of indicatorIds) {
      if (!keptIds.has(id) && includes(target.previous, id)) {
        target.removalReasons.set(id, {
          rule: 'capacity',
          detail: `left out: the list holds at most ${max} entries (newest first)`,
        });
      }
    }
    ({ entries, indicatorIds } = kept);
  }

  if (target.list.aggregate) entries = aggregateEntries(entries, target.policy);

  return {
    tenant: target.tenant,
    list: target.list,
    entries,
    indicatorIds,
    removedByRule,
    split: target.split,
    removalReasons: target.removalReasons,
    previousIndicators: target.previous.length,
  };
}

function includes(sorted: Int32Array, id: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = sorted[middle] as number;
    if (value === id) return true;
    if (value < id) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

// Merged networks stay within the tenant's breadth limits: two adjacent allowed /24s become
// one /23 only where a /23 is allowed.
function aggregateEntries(entries: EntryList, policy: TenantPolicy): EntryList {
  const ips: string[] = [];
  const others: number[] = [];
  for (let index = 0; index < entries.length; index++) {
    if (entries.kindAt(index) === 'ip') ips.push(entries.valueAt(index));
    else others.push(index);
  }
  const limits = { ipv4: policy.breadth.maxIpv4Prefix, ipv6: policy.breadth.maxIpv6Prefix };
  // Merged networks carry no provenance: they stand for several indicators.
  const aggregated = new EntryList(entries.hasProvenance);
  for (const value of aggregateIps(ips)) {
    const isIntended = checkBreadth(value, policy.breadth) === null;
    for (const part of isIntended ? [value] : splitWide(value, limits)) {
      aggregated.push('ip', part);
    }
  }
  for (const index of others) {
    const entry = entries.at(index);
    aggregated.push(entry.kind, entry.value, entry.provenance);
  }
  return aggregated;
}

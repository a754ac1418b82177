import type { ListConfig, TenantConfig } from '../config/config-schema.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import { decideListing } from '../policy/list-policy.js';
import type { ListEntry } from '../render/renderer.js';
import type { Store } from '../store/store.js';

/** One list's content, in list order, with the store ids of its indicators. */
export interface BuiltList {
  readonly tenant: TenantConfig;
  readonly list: ListConfig;
  readonly entries: ListEntry[];
  readonly indicatorIds: number[];
}

/**
 * Builds every tenant list in one pass over the store's active indicators, which arrive in
 * list order (sort key): IPs by address, names alphabetically. One pass keeps the cost flat
 * as tenants are added, instead of one scan per list.
 *
 * @example
 * const lists = await buildLists(store, config.tenants);
 */
export async function buildLists(
  store: Store,
  tenants: readonly TenantConfig[],
): Promise<BuiltList[]> {
  const built: BuiltList[] = tenants.flatMap((tenant) =>
    tenant.lists.map((list) => ({ tenant, list, entries: [], indicatorIds: [] })),
  );

  const byKind = new Map<IndicatorKind, BuiltList[]>();
  for (const target of built) {
    for (const kind of target.list.types) byKind.set(kind, [...(byKind.get(kind) ?? []), target]);
  }

  for await (const candidate of store.iterateCandidates([...byKind.keys()])) {
    for (const target of byKind.get(candidate.kind) ?? []) {
      if (!decideListing(candidate, target.tenant, target.list).isListed) continue;
      target.entries.push({ kind: candidate.kind, value: candidate.value });
      target.indicatorIds.push(candidate.id);
    }
  }

  return built;
}

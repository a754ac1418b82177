import type { StoredAllowEntry } from '../store/allow-entries.js';
import type { AllowlistEntry } from './allowlist-entry.js';

/** How much of a reason an entry's path quotes; the whole reason is in `iocrelay allow list`. */
const MAX_QUOTED_REASON = 60;

/** A runtime allowlist entry as the policy compiler takes it: for one tenant or for all. */
export interface RuntimeAllowlistEntry extends AllowlistEntry {
  /** The tenant it applies to; null for every tenant. */
  readonly tenant: string | null;
}

/**
 * The store's active entries as allowlist entries, each with a path that names it in explain,
 * the run summary and the change log: `store allow #12 "bank portal, INC-42"`.
 *
 * @example
 * const runtime = runtimeAllowlist(await store.allowEntries());
 * const policies = await compilePolicies(config, { runtimeAllowlist: runtime });
 */
export function runtimeAllowlist(entries: readonly StoredAllowEntry[]): RuntimeAllowlistEntry[] {
  return entries.map((entry) => ({
    path: storeEntryPath(entry),
    kind: entry.kind,
    value: entry.value,
    tenant: entry.tenant,
  }));
}

/**
 * The name of a stored entry: its id and the start of its reason.
 *
 * @example
 * storeEntryPath({ id: 12, reason: 'bank portal, INC-42', … }); // 'store allow #12 "bank portal, INC-42"'
 */
export function storeEntryPath(entry: Pick<StoredAllowEntry, 'id' | 'reason'>): string {
  const reason =
    entry.reason.length > MAX_QUOTED_REASON
      ? `${entry.reason.slice(0, MAX_QUOTED_REASON - 1)}…`
      : entry.reason;
  return `store allow #${entry.id} ${JSON.stringify(reason)}`;
}

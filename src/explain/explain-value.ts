import type { ListConfig, TenantConfig } from '../config/config-schema.js';
import { IocrelayError } from '../errors/iocrelay-error.js';
import type { Indicator } from '../normalize/indicator.js';
import { normalizeValue } from '../normalize/normalize-value.js';
import { decideListing, type TenantPolicy } from '../policy/list-policy.js';
import { ipSpan, spanCovers, type IpSpan } from '../normalize/ip-span.js';
import type { IndicatorLookup } from '../store/indicator-lookup.js';
import type { Store } from '../store/store.js';
import type { ListDelivery } from '../store/time-to-block.js';

/** What iocrelay knows of one value, and where it is or is not listed and why. */
export interface Explanation {
  readonly query: string;
  readonly indicator: Pick<Indicator, 'kind' | 'value'>;
  /** Null when the store has never seen the value. */
  readonly record: IndicatorLookup | null;
  readonly lists: readonly ListExplanation[];
}

export interface ListExplanation {
  readonly tenant: string;
  readonly list: string;
  /** On the list as last published. */
  readonly isListed: boolean;
  readonly firstPublishedAt: number | null;
  /** Why it is not on the list, by the same rules that build lists; null when it is. */
  readonly reason: string | null;
  /**
   * Entries of the list as published (the file devices fetch) that hold the value, so the
   * device blocks it anyway: an address inside a listed network, or a network inside a wider
   * one. Read from the file, so a network split around an allowlisted address, an aggregated
   * list or a list cut to capacity is answered as devices see it.
   */
  readonly coveredBy: readonly string[];
  /**
   * When the list ever published the value: when MISP had it, when the list first carried
   * it, and when each device first fetched a version carrying it (time to block). Null when
   * the list never published it.
   */
  readonly delivery: ListDelivery | null;
}

export interface ExplainContext {
  readonly store: Store;
  readonly tenants: readonly TenantConfig[];
  readonly policies: ReadonlyMap<string, TenantPolicy>;
  /** The entries of a list as published, or null when it was never published. */
  readonly readPublished: (tenant: string, list: string) => Promise<readonly string[] | null>;
  /** Unix seconds. */
  readonly now: number;
}

/**
 * Explains a value typed by an analyst (defanged forms accepted): its provenance, and for each
 * tenant list whether it is on it and, if not, which rule kept it off, and how soon each
 * device got it (time to block). It runs the policy code the list builder runs, so the answer
 * cannot drift from the lists.
 *
 * @example
 * explainValue({ store, tenants, policies, readPublished, now }, 'hxxp://bad[.]example/x');
 */
export async function explainValue(context: ExplainContext, query: string): Promise<Explanation> {
  const { store, tenants, policies, now } = context;
  const normalized = normalizeValue(query);
  if (!normalized.ok) {
    throw new IocrelayError('VALUE_INVALID', { reason: normalized.reason });
  }
  const indicator = normalized.indicators[0];
  if (!indicator) throw new IocrelayError('VALUE_INVALID', { reason: 'empty' });

  const record = await store.lookupIndicator(indicator.kind, indicator.value);
  // The attributes the list builder reads as candidates; the policy checks to_ids per tenant.
  const activeAttributes = record?.attributes.filter((a) => a.isPresent && !a.deleted) ?? [];
  const deliveries = record === null ? [] : await store.timeToBlock(record.id);

  const span = indicator.kind === 'ip' ? ipSpan(indicator.value) : null;
  const published = new Map<string, readonly string[]>();
  if (span !== null) {
    for (const tenant of tenants) {
      for (const list of tenant.lists) {
        const entries = await context.readPublished(tenant.id, list.file);
        published.set(`${tenant.id}/${list.file}`, entries ?? []);
      }
    }
  }

  const lists = tenants.flatMap((tenant) =>
    tenant.lists.map((list): ListExplanation => {
      const entries = published.get(`${tenant.id}/${list.file}`) ?? [];
      const coveredBy = span === null ? [] : coveringEntries(entries, indicator.value, span);
      const listed = record?.lists.find(
        (entry) => entry.tenant === tenant.id && entry.list === list.file,
      );
      const base = {
        tenant: tenant.id,
        list: list.file,
        firstPublishedAt: listed?.firstPublishedAt ?? null,
        coveredBy,
        delivery:
          deliveries.find((entry) => entry.tenant === tenant.id && entry.list === list.file) ??
          null,
      };
      if (listed) return { ...base, isListed: true, reason: null };

      const policy = policies.get(tenant.id);
      if (policy === undefined) throw new Error(`no policy compiled for tenant ${tenant.id}`);
      if (activeAttributes.length === 0) {
        return { ...base, isListed: false, reason: inactiveReason(record) };
      }
      const candidate = { ...indicator, attributes: activeAttributes };
      const decision = decideListing(candidate, policy, list, now);
      if (!decision.isListed)
        return { ...base, isListed: false, reason: `${decision.rule}: ${decision.detail}` };
      return { ...base, isListed: false, reason: notPublishedReason(list) };
    }),
  );

  return { query, indicator: { kind: indicator.kind, value: indicator.value }, record, lists };
}

function coveringEntries(entries: readonly string[], value: string, span: IpSpan): string[] {
  return entries.filter((entry) => {
    if (entry === value || !entry.includes('/')) return false;
    const outer = ipSpan(entry);
    return outer !== null && spanCovers(outer, span);
  });
}

function inactiveReason(record: IndicatorLookup | null): string {
  if (!record) return 'unknown: no source has ever given this value';
  if (record.attributes.every((a) => !a.isPresent)) return 'gone: no source holds it any more';
  return 'deleted: soft-deleted in MISP';
}

// Every rule passes, yet the last publication does not carry it: the list was full, or the
// value (or a policy change) came after the last publication.
function notPublishedReason(list: ListConfig): string {
  return list.max_entries === undefined
    ? 'pending: passes every rule, not published yet (the next sync publishes it)'
    : `capacity or pending: passes every rule, but the list holds at most ${list.max_entries} entries and the last publication left it out, or came before it`;
}

import type { TenantConfig } from '../config/config-schema.js';
import type { Store } from '../store/store.js';

/** How one of a tenant's newest list entries reached its first device. */
export interface TimeToBlockRow {
  readonly list: string;
  readonly value: string;
  readonly recordedInMispAt: number | null;
  readonly firstPublishedAt: number;
  readonly publishDelayMs: number | null;
  /** The earliest first fetch among the list's devices, or null when none fetched it yet. */
  readonly firstFetchedAt: number | null;
  readonly timeToBlockMs: number | null;
}

/** Entries read per list: each costs a few indexed queries. */
export const NEWEST_PER_LIST = 20;

/**
 * The time to block of the newest entries of each of a tenant's lists (by store order): from
 * MISP to the list, and from MISP to the first device that fetched a version carrying it.
 *
 * @example
 * await timeToBlockRows(store, tenant); // [{ list: 'ip.txt', value: '198.51.100.23', … }]
 */
export async function timeToBlockRows(
  store: Store,
  tenant: TenantConfig,
): Promise<TimeToBlockRow[]> {
  const queries = store.dashboardQueries();
  const rows: TimeToBlockRow[] = [];
  for (const list of tenant.lists) {
    const newest = await queries.newestListed(
      { tenant: tenant.id, list: list.file },
      NEWEST_PER_LIST,
    );
    for (const indicator of newest) {
      const deliveries = await store.timeToBlock(indicator.id);
      const delivery = deliveries.find((d) => d.tenant === tenant.id && d.list === list.file);
      if (delivery === undefined) continue;

      const fetched = delivery.devices
        .filter((device) => device.firstFetchedAt !== null)
        .sort((a, b) => (a.firstFetchedAt ?? 0) - (b.firstFetchedAt ?? 0))[0];
      rows.push({
        list: list.file,
        value: indicator.value,
        recordedInMispAt: delivery.recordedInMispAt,
        firstPublishedAt: delivery.firstPublishedAt,
        publishDelayMs: delivery.publishDelayMs,
        firstFetchedAt: fetched?.firstFetchedAt ?? null,
        timeToBlockMs: fetched?.timeToBlockMs ?? null,
      });
    }
  }
  return rows;
}

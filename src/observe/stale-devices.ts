import type BetterSqlite3 from 'better-sqlite3';
import type { LoadedConfig } from '../config/load-config.js';
import type { FetchRecord } from '../serve/feed-server-options.js';
import { feedTenantsOf } from '../serve/feed-tenants.js';
import { deviceStatus } from '../store/device-status.js';
import type { ListLabels } from './run-metrics.js';

// The answers that prove a device is the tenant's, as ATTRIBUTED_FETCH_SQL counts them.
const ATTRIBUTED_STATUSES: ReadonlySet<number> = new Set([200, 304, 403]);

/** Stale devices of one served list. */
export interface StaleCount extends ListLabels {
  readonly count: number;
}

/** The devices of the served lists and their last fetch, kept for `iocrelay_stale_devices`. */
export interface StaleDevices {
  /** Notes a fetch; only one credited to a device of a served list counts. */
  onFetch(record: FetchRecord): void;
  /** Stale devices per served list at `now` (Unix ms), 0 for a list without any. */
  counts(now: number): StaleCount[];
}

/**
 * The last fetch of every device, as `iocrelay status` shows it: read once from the store's
 * device status at start, then kept by the feed requests the server answers. A scrape counts
 * the devices with no fetch for longer than `server.stale_after` in memory, in time proportional to the devices, not to the fetch records: reading the device
 * status costs about 30 ms per 100,000 records kept, seconds with 90 days of fetches.
 *
 * A device is a Basic user or token seen from one address and user agent; only answers that
 * prove the tenant (200, 304, 403) count, so an unauthenticated client adds nothing. A device
 * whose last fetch is older than `server.fetch_retention` is forgotten, as the store prunes it.
 *
 * @example
 * const stale = createStaleDevices(database, config);
 * stale.onFetch(record);
 * stale.counts(Date.now()); // [{ tenant: 'acme', list: 'ip.txt', count: 1 }, …]
 */
export function createStaleDevices(
  database: BetterSqlite3.Database,
  config: LoadedConfig,
): StaleDevices {
  const served = feedTenantsOf(config).flatMap((tenant) =>
    tenant.lists.map((list) => ({ tenant: tenant.id, list })),
  );
  const lastFetchAt = new Map<string, Map<string, number>>(
    served.map((labels) => [listKey(labels), new Map()]),
  );
  for (const tenant of new Set(served.map((labels) => labels.tenant))) {
    for (const device of deviceStatus(database, tenant))
      lastFetchAt.get(listKey(device))?.set(deviceKey(device), device.lastFetchAt);
  }
  const staleAfterMs = config.server.stale_after * 1000;
  const retentionMs = config.server.fetch_retention * 1000;

  return {
    onFetch(record) {
      if (record.device === null || !ATTRIBUTED_STATUSES.has(record.status)) return;
      const devices = lastFetchAt.get(listKey(record));
      if (devices === undefined) return;

      const key = deviceKey({ ...record, device: record.device });
      devices.set(key, Math.max(devices.get(key) ?? 0, record.at));
    },
    counts(now) {
      return served.map((labels) => {
        const devices = lastFetchAt.get(listKey(labels)) ?? new Map<string, number>();
        let count = 0;
        for (const [key, at] of devices) {
          if (now - at > retentionMs) devices.delete(key);
          // The rule of markStaleDevices, which `iocrelay status` applies.
          else if (now - at > staleAfterMs) count++;
        }
        return { ...labels, count };
      });
    },
  };
}

function listKey(labels: ListLabels): string {
  return `${labels.tenant}/${labels.list}`;
}

function deviceKey(device: {
  readonly device: string;
  readonly clientIp: string;
  readonly userAgent: string | null;
}): string {
  return JSON.stringify([device.device, device.clientIp, device.userAgent]);
}

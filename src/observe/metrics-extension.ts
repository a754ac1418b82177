import type { LoadedConfig } from '../config/load-config.js';
import type { Logger } from '../log/logger.js';
import { feedTenantsOf } from '../serve/feed-tenants.js';
import type { FetchRecord } from '../serve/feed-server-options.js';
import type { ServeExtension } from '../serve/serve-extension.js';
import { deviceStatus, markStaleDevices } from '../store/device-status.js';
import { createIocrelayMetrics, type IocrelayMetrics } from './metrics-registry.js';
import { openObserveDatabase, type ObserveDatabase } from './observe-database.js';
import { createOpsAccess } from './ops-access.js';
import { recordRun, refreshStoreGauges, seedRunMetrics, type ListLabels } from './run-metrics.js';
import { createTimeToBlockTracker, type TimeToBlockTracker } from './time-to-block-tracker.js';

// How long one reading of the devices' last fetches serves scrapes: a device is stale after
// server.stale_after (an hour by default), so 30 s more or less changes nothing, and several
// scrapers cost one store read.
const STALE_READ_REUSE_MS = 30_000;

// The label values of a fetch outside the configured tenant lists: an unauthenticated client
// chooses the path, and must not be able to create series.
const OTHER_LIST: ListLabels = { tenant: '', list: '' };

interface Running {
  readonly observe: ObserveDatabase;
  readonly metrics: IocrelayMetrics;
  readonly tracker: TimeToBlockTracker;
  readonly lists: readonly ListLabels[];
  readonly knownLists: ReadonlySet<string>;
  readonly log: Logger;
}

/**
 * `GET /metrics` of `iocrelay serve`: Prometheus text from a registry of its own, behind
 * the operations access check (`server.metrics`). Seeded from the store before the first
 * run (last runs, each list's last publication, each list's last delivery), then fed by
 * each run report and each answered feed request. `iocrelay_stale_devices` is read from the
 * store's fetch index at scrape; every other metric is in memory. See docs/metrics.md.
 *
 * @example
 * await startServe({ …, extensions: [createMetricsExtension(), createHealthExtension()] });
 */
export function createMetricsExtension(): ServeExtension {
  let running: Running | null = null;

  return {
    name: 'metrics',
    async register({ app, config, log }) {
      const observe = await openObserveDatabase(config.database, log);
      const lists = configuredLists(config);
      const staleDevices = staleDeviceCounter(observe, config);
      const metrics = createIocrelayMetrics((gauge) => {
        for (const { tenant, list, count } of staleDevices()) gauge.set({ tenant, list }, count);
      });
      await seedRunMetrics(metrics, observe, lists);
      const tracker = createTimeToBlockTracker(
        observe.database,
        lists,
        metrics.timeToBlock,
        log.child({ component: 'metrics' }),
      );
      running = {
        observe,
        metrics,
        tracker,
        lists,
        knownLists: new Set(lists.map(keyOf)),
        log: log.child({ component: 'metrics' }),
      };

      const access = createOpsAccess(config.server.metrics, log);
      app.get('/metrics', { preHandler: access }, async (_request, reply) => {
        const text = await metrics.registry.metrics();
        return reply
          .code(200)
          .type(metrics.registry.contentType)
          .header('cache-control', 'no-store')
          .send(text);
      });
    },

    onRun(report) {
      if (running === null) return;
      recordRun(running.metrics, report, Date.now());
      refreshStoreGauges(running.metrics, running.observe, running.lists);
      running.tracker.settleAll();
    },

    onFetch(record) {
      if (running === null) return;
      running.metrics.feedFetches.inc({
        ...labelsOf(record, running.knownLists),
        status: record.status,
      });
      running.tracker.onFetch(record);
    },

    async close() {
      running?.tracker.stop();
      await running?.observe.close();
      running = null;
    },
  };
}

function configuredLists(config: LoadedConfig): ListLabels[] {
  return config.tenants.flatMap((tenant) =>
    tenant.lists.map((list) => ({ tenant: tenant.id, list: list.file })),
  );
}

function labelsOf(record: FetchRecord, knownLists: ReadonlySet<string>): ListLabels {
  return knownLists.has(keyOf(record)) ? { tenant: record.tenant, list: record.list } : OTHER_LIST;
}

function keyOf(labels: ListLabels): string {
  return `${labels.tenant}/${labels.list}`;
}

interface StaleCount extends ListLabels {
  readonly count: number;
}

// Counts stale devices per served list from the store's device status: index-only counts
// over each tenant's fetch records (store/device-status.ts), about 30 ms per 100,000 records
// kept (fetch_retention), so one reading serves the scrapes of STALE_READ_REUSE_MS.
function staleDeviceCounter(
  observe: ObserveDatabase,
  config: LoadedConfig,
): () => readonly StaleCount[] {
  let last: { readonly at: number; readonly counts: readonly StaleCount[] } | null = null;

  return () => {
    const now = Date.now();
    if (last !== null && now - last.at < STALE_READ_REUSE_MS) return last.counts;

    const counts: StaleCount[] = [];
    for (const tenant of feedTenantsOf(config)) {
      const stale = new Map(tenant.lists.map((list) => [list, 0]));
      const devices = deviceStatus(observe.database, tenant.id);
      for (const device of markStaleDevices(devices, now, config.server.stale_after)) {
        const count = stale.get(device.list);
        if (device.isStale && count !== undefined) stale.set(device.list, count + 1);
      }
      for (const [list, count] of stale) counts.push({ tenant: tenant.id, list, count });
    }
    last = { at: now, counts };
    return counts;
  };
}

import type { LoadedConfig } from '../config/load-config.js';
import type { FetchRecord } from '../serve/feed-server-options.js';
import type { ServeExtension } from '../serve/serve-extension.js';
import { createIocrelayMetrics, type IocrelayMetrics } from './metrics-registry.js';
import { openObserveDatabase, type ObserveDatabase } from './observe-database.js';
import { createOpsAccess } from './ops-access.js';
import { recordRun, refreshStoreGauges, seedRunMetrics, type ListLabels } from './run-metrics.js';
import { createStaleDevices, type StaleDevices } from './stale-devices.js';
import { createTimeToBlockTracker, type TimeToBlockTracker } from './time-to-block-tracker.js';

// The label values of a fetch outside the configured tenant lists: an unauthenticated client
// chooses the path, and must not be able to create series.
const OTHER_LIST: ListLabels = { tenant: '', list: '' };

interface Running {
  readonly observe: ObserveDatabase;
  readonly metrics: IocrelayMetrics;
  readonly tracker: TimeToBlockTracker;
  readonly staleDevices: StaleDevices;
  readonly lists: readonly ListLabels[];
  readonly knownLists: ReadonlySet<string>;
}

/**
 * `GET|HEAD /metrics` of `iocrelay serve`: Prometheus text from a registry of its own, behind
 * the operations access check (`server.metrics`). Seeded from the store before the first
 * run (last runs, each list's last publication and last delivery, each device's last fetch),
 * then fed by each run report and each answered feed request; a scrape reads only memory.
 * See docs/metrics.md.
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
      const staleDevices = createStaleDevices(observe.database, config);
      const metrics = createIocrelayMetrics((gauge) => {
        for (const { tenant, list, count } of staleDevices.counts(Date.now()))
          gauge.set({ tenant, list }, count);
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
        staleDevices,
        lists,
        knownLists: new Set(lists.map(keyOf)),
      };

      const access = createOpsAccess(config.server.metrics, log);
      // HEAD answers like GET without the body (a probe checking the endpoint and its access):
      // the feed server turns off fastify's automatic HEAD routes.
      app.route({
        method: ['GET', 'HEAD'],
        url: '/metrics',
        preHandler: access,
        handler: async (_request, reply) => {
          const text = await metrics.registry.metrics();
          return reply
            .code(200)
            .type(metrics.registry.contentType)
            .header('cache-control', 'no-store')
            .send(text);
        },
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
      running.staleDevices.onFetch(record);
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

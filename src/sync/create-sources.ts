import type { LoadedConfig } from '../config/load-config.js';
import type { Logger } from '../log/logger.js';
import { createMispFeedSource } from '../sources/misp-feed-source.js';
import { createMispRestSource } from '../sources/misp-rest-source.js';
import { mispSourceId } from '../sources/source-ids.js';
import type { Source } from '../sources/source.js';

/**
 * The sources a configuration names: the shared MISP query, then each tenant's own query,
 * then the shared feeds and each tenant's feeds, in file order. The order is the pull order
 * and the order of the report.
 *
 * @example
 * const sources = createSources(config, log);
 */
export function createSources(config: LoadedConfig, log: Logger): Source[] {
  const sources: Source[] = [];
  const mispQueries = [
    ...(config.misp ? [{ id: mispSourceId(), query: config.misp.query }] : []),
    ...config.tenants.flatMap((tenant) =>
      tenant.misp ? [{ id: mispSourceId(tenant.id), query: tenant.misp.query }] : [],
    ),
  ];
  const feeds = [...config.feeds, ...config.tenants.flatMap((tenant) => tenant.feeds)];

  const misp = config.misp;
  for (const { id, query } of mispQueries) {
    if (misp === undefined) break;
    sources.push(
      createMispRestSource({
        id,
        url: misp.url,
        apiKey: misp.api_key ?? '',
        query,
        includeSightings: misp.sightings,
        includeDecayScore: misp.decay_score,
        pageSize: misp.page_size,
        timeoutMs: misp.timeout * 1000,
        verifyTls: misp.verify_tls,
        ...(misp.ca_file ? { caFile: misp.ca_file } : {}),
        retries: misp.retries,
        log: log.child({ component: 'misp', source: id }),
      }),
    );
  }

  for (const feed of feeds) {
    sources.push(
      createMispFeedSource({
        name: feed.name,
        location: feed.url,
        timeoutMs: feed.timeout * 1000,
        headers: feed.headers,
        retries: feed.retries,
        verifyTls: feed.verify_tls,
        ...(feed.ca_file ? { caFile: feed.ca_file } : {}),
        log: log.child({ component: 'feed', feed: feed.name }),
      }),
    );
  }

  return sources;
}

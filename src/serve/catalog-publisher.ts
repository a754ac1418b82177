import type { Publisher } from '../publish/publisher.js';
import type { FeedCatalog } from './feed-catalog.js';

/**
 * The feed server as a publish target: a published list replaces the version the server
 * answers with, in memory and at once. Sits in the publisher set next to the folder and S3,
 * so the server never serves bytes the other targets were not given.
 *
 * @example
 * const publisher = createPublisherSet([createDirPublisher(dir), createCatalogPublisher(catalog)]);
 */
export function createCatalogPublisher(
  catalog: FeedCatalog,
  clock: () => number = Date.now,
): Publisher {
  return {
    name: 'serve',
    publish(item) {
      const status = catalog.put(item.tenant, item.file, {
        bytes: item.content,
        contentType: item.contentType,
        entries: item.entries ?? null,
        publishedAt: clock(),
      });
      return Promise.resolve({ status, location: `/feeds/${item.tenant}/${item.file}` });
    },
    read: (tenant, file) => Promise.resolve(catalog.get(tenant, file)?.bytes ?? null),
  };
}

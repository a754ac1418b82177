import { join } from 'node:path';
import { createFeedCatalog, type FeedCatalog } from './feed-catalog.js';
import { contentTypeOf, readFeedFile } from './feed-file.js';
import type { FeedTenant } from './feed-server-options.js';

/** Options of loadFeedCatalog. */
export interface LoadFeedCatalogOptions {
  /** The publish folder: lists are at `<dir>/<tenant>/<file>`. */
  readonly dir: string;
  readonly tenants: readonly FeedTenant[];
  /** Counts the entries of a list file (the renderer's entriesOf); null when unknown. */
  readonly countEntries?: (tenant: string, file: string, bytes: Buffer) => number | null;
}

/**
 * A catalog holding the lists already published to the folder, so that `iocrelay serve`
 * answers with the last good lists from its first second, before its first sync. A list not
 * yet published is left out (and answered 404). Last-Modified is the file's mtime.
 *
 * @example
 * const catalog = await loadFeedCatalog({ dir: config.publish.dir, tenants });
 */
export async function loadFeedCatalog(options: LoadFeedCatalogOptions): Promise<FeedCatalog> {
  const catalog = createFeedCatalog();
  for (const tenant of options.tenants) {
    for (const file of tenant.lists) {
      const found = await readFeedFile(join(options.dir, tenant.id, file));
      if (found === null) continue;
      catalog.put(tenant.id, file, {
        bytes: found.bytes,
        contentType: contentTypeOf(file, tenant.contentTypes ?? {}),
        entries: options.countEntries?.(tenant.id, file, found.bytes) ?? null,
        publishedAt: Math.floor(found.mtimeMs),
      });
    }
  }
  return catalog;
}

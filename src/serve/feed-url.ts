/** Where feeds are served: `/feeds/<tenant>/<file>` belongs to the feed handler alone. */
export const FEED_PATH_PREFIX = '/feeds/';

/** The two names of a feed URL. */
export interface FeedNames {
  readonly tenant: string;
  readonly file: string;
}

/**
 * The tenant and file of a feed URL (`/feeds/<tenant>/<file>`, a query string ignored, each
 * name %-decoded); undefined when the path has another shape (not a feed request), null when a
 * name does not decode (a malformed request, answered 404 like any unknown path). The names
 * are not checked here: only configured names are ever found.
 *
 * @example
 * feedNamesOf('/feeds/acme/ip%2Etxt?x=1'); // { tenant: 'acme', file: 'ip.txt' }
 * feedNamesOf('/feeds/acme'); // undefined
 * feedNamesOf('/feeds/acme/%zz'); // null
 */
export function feedNamesOf(url: string): FeedNames | null | undefined {
  if (!url.startsWith(FEED_PATH_PREFIX)) return undefined;
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const slashAt = path.indexOf('/', FEED_PATH_PREFIX.length);
  if (slashAt === -1 || path.includes('/', slashAt + 1)) return undefined;
  const tenant = path.slice(FEED_PATH_PREFIX.length, slashAt);
  const file = path.slice(slashAt + 1);
  if (tenant.length === 0 || file.length === 0) return undefined;
  if (!path.includes('%')) return { tenant, file };
  try {
    return { tenant: decodeURIComponent(tenant), file: decodeURIComponent(file) };
  } catch {
    return null;
  }
}

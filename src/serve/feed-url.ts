/** Where feeds are served: `/feeds/<tenant>/<file>` belongs to the feed handler alone. */
export const FEED_PATH_PREFIX = '/feeds/';

/** The two names of a feed URL. */
export interface FeedNames {
  readonly tenant: string;
  readonly file: string;
}

/**
 * The tenant and file of a feed URL (`/feeds/<tenant>/<file>`, also in absolute form as
 * RFC 9112 §3.2.2 asks a server to take it, a query string or fragment ignored, each name
 * %-decoded); undefined when the path has another shape (not a feed request), null when a
 * name does not decode (a malformed request, answered 404 like any unknown path). The names
 * are not checked here: only configured names are ever found.
 *
 * @example
 * feedNamesOf('/feeds/acme/ip%2Etxt?x=1'); // { tenant: 'acme', file: 'ip.txt' }
 * feedNamesOf('/feeds/acme'); // undefined
 * feedNamesOf('/feeds/acme/%zz'); // null
 */
export function feedNamesOf(url: string): FeedNames | null | undefined {
  const target = url.startsWith('/') ? url : originFormOf(url);
  if (!target.startsWith(FEED_PATH_PREFIX)) return undefined;
  const path = target.slice(0, endOfPath(target));
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

// `http://host/feeds/…` → `/feeds/…`; anything else stays as it is (and is no feed URL).
function originFormOf(url: string): string {
  const authority = /^https?:\/\/[^/?#]*/i.exec(url);
  return authority === null ? url : url.slice(authority[0].length);
}

function endOfPath(target: string): number {
  for (let i = 0; i < target.length; i++) {
    const code = target.charCodeAt(i);
    if (code === 0x3f || code === 0x23) return i; // ? or #
  }
  return target.length;
}

import type { FeedCatalog } from './feed-catalog.js';
import type { Logger } from '../log/logger.js';

/**
 * How the devices of one tenant prove who they are. At least one way must be set: a tenant
 * without credentials is refused at build time, so a list is never served to anyone who asks.
 *
 * @example
 * const auth: FeedAuth = { username: 'pa-fw1', passwordHash: 'scrypt$16384$8$1$…$…', tokens: [] };
 */
export interface FeedAuth {
  /** HTTP Basic user name; needs `password` or `passwordHash`. */
  readonly username?: string;
  /** HTTP Basic password in clear, as the config holds it. Only its SHA-256 is kept. */
  readonly password?: string;
  /** HTTP Basic password as `scrypt$N$r$p$saltB64$hashB64` (see hashPassword). */
  readonly passwordHash?: string;
  /** Bearer tokens; device fetches name them `token#1`, `token#2`… in this order. */
  readonly tokens: readonly string[];
}

/**
 * One tenant as the feed server sees it.
 *
 * @example
 * const tenant: FeedTenant = { id: 'acme', lists: ['ip.txt'], auth, allowedClients: ['192.0.2.0/24'] };
 */
export interface FeedTenant {
  /** Tenant id: the folder under `dir` and the first path segment of `/feeds/<tenant>/<file>`. */
  readonly id: string;
  /** File names served from `<dir>/<tenant>/`; any other name is answered 404. */
  readonly lists: readonly string[];
  readonly auth: FeedAuth;
  /** IPs and CIDRs allowed to fetch; absent means any client that authenticates. */
  readonly allowedClients?: readonly string[];
  /**
   * Content-Type per file name, e.g. the renderer's `contentType`. Files not named here get one
   * by extension (`.txt` text/plain, `.json` application/json, …).
   */
  readonly contentTypes?: Readonly<Record<string, string>>;
}

/** Options of createFeedServer. */
export interface FeedServerOptions {
  /** The lists served, in memory; publications swap versions in it (see loadFeedCatalog). */
  readonly catalog: FeedCatalog;
  readonly tenants: readonly FeedTenant[];
  /** Records go through a child `{ component: 'serve' }`; fastify itself logs nothing. */
  readonly log: Logger;
  /** PEM certificate chain and key: the server then speaks HTTPS only. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * Called once each answered feed request has been sent. Errors it throws or rejects with are
   * logged and never reach the device.
   */
  readonly onFetch?: (record: FetchRecord) => void | Promise<void>;
  /**
   * How long closing lets the answers under way finish before it cuts them, in milliseconds;
   * CLOSE_GRACE_MS (10 s) when absent.
   */
  readonly closeGraceMs?: number;
}

/**
 * One device fetch, for delivery tracking. `tenant` and `list` are the names the device asked
 * for (not necessarily configured ones on a 401/404).
 *
 * @example
 * const record: FetchRecord = { tenant: 'acme', list: 'ip.txt', device: 'token#1', clientIp: '192.0.2.7',
 *   userAgent: 'PAN-OS', method: 'GET', status: 200, bytes: 120, sha256: 'ab…', at: 1767225600000 };
 */
export interface FetchRecord {
  readonly tenant: string;
  readonly list: string;
  /** The Basic user name or `token#<n>`; null when the request did not authenticate. */
  readonly device: string | null;
  readonly clientIp: string;
  readonly userAgent: string | null;
  readonly method: 'GET' | 'HEAD';
  readonly status: 200 | 304 | 401 | 403 | 404 | 500;
  /** Body bytes sent: the list size on a GET 200, 0 for HEAD, 304 and errors. */
  readonly bytes: number;
  /** SHA-256 (hex) of the list version the device was told about (200 and 304), else null. */
  readonly sha256: string | null;
  /** Unix milliseconds the answer was sent. */
  readonly at: number;
}

import type BetterSqlite3 from 'better-sqlite3';

import type { FetchRecord } from '../serve/feed-server-options.js';

/**
 * The fetches that prove the device is the tenant's: 200, 304 and 403 are answered only after
 * its credentials matched the tenant on the path. A 401 did not authenticate, and a 404 is
 * also what another tenant's credentials get, so neither is counted as the tenant's device.
 */
export const ATTRIBUTED_FETCH_SQL = 'device IS NOT NULL AND status IN (200, 304, 403)';

/**
 * A delivery: the device got the list (a 200 to GET) or showed it already held it (a 304). A
 * 200 to HEAD names the version without sending it.
 */
export const DELIVERY_SQL = `(status = 304 OR (status = 200 AND method = 'GET'))`;

/** One device of a tenant list: an identity (user or token) seen from one address and agent. */
export interface DeviceStatus {
  readonly tenant: string;
  readonly list: string;
  /** The Basic user name or `token#<n>`. */
  readonly device: string;
  readonly clientIp: string;
  readonly userAgent: string | null;
  /** Fetches of the list answered 200, 304 or 403. */
  readonly fetches: number;
  /** Unix milliseconds of the last of them. */
  readonly lastFetchAt: number;
  readonly lastStatus: FetchRecord['status'];
  /** SHA-256 of the version of the last delivery (200 to GET, or 304); null before one. */
  readonly sha256: string | null;
  /** Unix milliseconds of that delivery. */
  readonly deliveredAt: number | null;
  /** Whether `sha256` is that of the list's last publication (see lastPublication). */
  readonly isCurrent: boolean;
}

/** A device with the verdict of markStaleDevices. */
export type CheckedDevice = DeviceStatus & {
  /** No fetch for longer than `staleAfterS`. */
  readonly isStale: boolean;
};

/** Fetches of a tenant list that no device of the tenant is credited with, by answer. */
export interface RefusedFetches {
  readonly tenant: string;
  readonly list: string;
  /** 401: no or wrong credentials; 404: another tenant's credentials or a list not published. */
  readonly status: FetchRecord['status'];
  readonly fetches: number;
  /** Unix milliseconds of the last of them. */
  readonly lastAt: number;
}

interface DeviceRow {
  list: string;
  device: string;
  client_ip: string;
  user_agent: string | null;
  fetches: number;
  last_at: number;
  last_status: number;
  sha256: string | null;
  delivered_at: number | null;
  current_sha256: string | null;
}

// The fetch `f` is one of the device `s`'s; SQLite seeks fetch_device with all five columns.
const SAME_DEVICE = `f.tenant = @tenant AND f.list = s.list AND f.device = s.device
  AND f.client_ip = s.client_ip AND f.user_agent IS s.user_agent`;

/**
 * The devices of a tenant's lists (one list, or all), by list, device, address and user agent:
 * the last fetch, its answer, the version each holds and whether it is the current one.
 *
 * @example
 * deviceStatus(database, 'acme', 'ip.txt');
 * // [{ tenant: 'acme', list: 'ip.txt', device: 'acme-fw', clientIp: '192.0.2.7', … }]
 */
export function deviceStatus(
  database: BetterSqlite3.Database,
  tenant: string,
  list?: string,
): DeviceStatus[] {
  const rows = database
    .prepare<{ tenant: string; list: string | null }, DeviceRow>(
      // Counts from the index alone, then one seek for the last fetch and one for the last
      // delivery of each device (unqualified columns in a subquery are its own fetch f's).
      `WITH seen AS (
         SELECT list, device, client_ip, user_agent, count(*) AS fetches, max(at) AS last_at
         FROM fetch WHERE tenant = @tenant AND (@list IS NULL OR list = @list)
           AND ${ATTRIBUTED_FETCH_SQL}
         GROUP BY list, device, client_ip, user_agent
       )
       SELECT s.*, l.status AS last_status, h.sha256, h.at AS delivered_at,
         (SELECT p.sha256 FROM publication p
          WHERE p.tenant = @tenant AND p.list = s.list AND p.status = 'published'
          ORDER BY p.id DESC LIMIT 1) AS current_sha256
       FROM seen s
       JOIN fetch l ON l.id = (SELECT f.id FROM fetch f
         WHERE ${SAME_DEVICE} AND f.at = s.last_at AND f.status IN (200, 304, 403)
         ORDER BY f.id DESC LIMIT 1)
       LEFT JOIN fetch h ON h.id = (SELECT f.id FROM fetch f
         WHERE ${SAME_DEVICE} AND ${DELIVERY_SQL} ORDER BY f.at DESC LIMIT 1)
       ORDER BY s.list, s.device, s.client_ip, s.user_agent`,
    )
    .all({ tenant, list: list ?? null });

  return rows.map((row) => ({
    tenant,
    list: row.list,
    device: row.device,
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    fetches: row.fetches,
    lastFetchAt: row.last_at,
    lastStatus: row.last_status as FetchRecord['status'],
    sha256: row.sha256,
    deliveredAt: row.delivered_at,
    isCurrent: row.sha256 !== null && row.sha256 === row.current_sha256,
  }));
}

/**
 * Marks the devices that have not fetched for longer than `staleAfterS` (the configuration's
 * `server.stale_after`) before `now` (Unix milliseconds).
 *
 * @example
 * markStaleDevices(await store.deviceStatus('acme'), Date.now(), config.server.stale_after);
 */
export function markStaleDevices(
  devices: readonly DeviceStatus[],
  now: number,
  staleAfterS: number,
): CheckedDevice[] {
  const limitMs = staleAfterS * 1000;
  return devices.map((device) => ({ ...device, isStale: now - device.lastFetchAt > limitMs }));
}

/**
 * Fetches of a tenant's lists (one list, or all) credited to no device of the tenant (401,
 * 404, 500), counted per list and answer. The tenant is only the path they asked for.
 *
 * @example
 * refusedFetches(database, 'acme');
 * // [{ tenant: 'acme', list: 'ip.txt', status: 401, fetches: 3, lastAt: 1714600110000 }]
 */
export function refusedFetches(
  database: BetterSqlite3.Database,
  tenant: string,
  list?: string,
): RefusedFetches[] {
  const rows = database
    .prepare<
      { tenant: string; list: string | null },
      { list: string; status: number; fetches: number; last_at: number }
    >(
      `SELECT list, status, count(*) AS fetches, max(at) AS last_at FROM fetch
       WHERE tenant = @tenant AND (@list IS NULL OR list = @list)
         AND NOT (${ATTRIBUTED_FETCH_SQL})
       GROUP BY list, status ORDER BY list, status`,
    )
    .all({ tenant, list: list ?? null });

  return rows.map((row) => ({
    tenant,
    list: row.list,
    status: row.status as FetchRecord['status'],
    fetches: row.fetches,
    lastAt: row.last_at,
  }));
}

import type BetterSqlite3 from 'better-sqlite3';

import { ATTRIBUTED_FETCH_SQL, DELIVERY_SQL } from './device-status.js';

/** How one indicator reached the devices of one tenant list. */
export interface ListDelivery {
  readonly tenant: string;
  readonly list: string;
  /**
   * Unix milliseconds MISP had the indicator by: the earliest MISP `timestamp` of its
   * attributes, each capped at the time iocrelay first stored that attribute. MISP keeps no
   * creation time for an attribute and moves its timestamp on every edit, so an attribute
   * edited since iocrelay stored it counts from when it was stored. Null without attributes.
   */
  readonly recordedInMispAt: number | null;
  /** Unix milliseconds iocrelay first stored the indicator. */
  readonly firstStoredAt: number;
  /** Unix milliseconds of the first publication of the list that carried it. */
  readonly firstPublishedAt: number;
  /** From MISP to the list: `firstPublishedAt - recordedInMispAt`. */
  readonly publishDelayMs: number | null;
  /** The devices that fetched the list since that publication, by device, address, agent. */
  readonly devices: readonly DeviceDelivery[];
}

/** When one device first held a version of the list that carries the indicator. */
export interface DeviceDelivery {
  readonly device: string;
  readonly clientIp: string;
  readonly userAgent: string | null;
  /** Unix milliseconds of its first delivery of such a version; null while it has none. */
  readonly firstFetchedAt: number | null;
  /** SHA-256 of the version that delivery named. */
  readonly sha256: string | null;
  /** From the first publication to the device: `firstFetchedAt - firstPublishedAt`. */
  readonly fetchDelayMs: number | null;
  /** From MISP to the device: `firstFetchedAt - recordedInMispAt`. */
  readonly timeToBlockMs: number | null;
}

/**
 * SQL for when MISP had an indicator, in Unix milliseconds (see `recordedInMispAt`): the
 * earliest of its attributes' MISP timestamps, each capped at the time iocrelay first stored
 * the attribute. `indicatorId` is the SQL expression of the indicator's id.
 *
 * @example
 * `SELECT ${recordedInMispSql('i.id')} AS recorded_at FROM indicator i`
 */
export function recordedInMispSql(indicatorId: string): string {
  return `(SELECT min(min(a.timestamp * 1000, a.first_stored_at))
    FROM attribute a WHERE a.indicator_id = ${indicatorId})`;
}

interface DeviceRow {
  device: string;
  client_ip: string;
  user_agent: string | null;
  first_at: number | null;
  sha256: string | null;
}

/**
 * For each tenant list that ever published an indicator: when MISP recorded it, when the list
 * first carried it, and when each device first fetched a version that carried it. Such a
 * version is a `published` publication of the list made from the first one that carried the
 * indicator up to (not including) the first that removed it, and the fetch is a delivery (200
 * to GET, or 304) at or after the first one. Empty for an indicator never published.
 *
 * @example
 * timeToBlock(database, 42);
 * // [{ tenant: 'acme', list: 'ip.txt', firstPublishedAt: 1714600120000,
 * //    devices: [{ device: 'acme-fw', timeToBlockMs: 252000, … }], … }]
 */
export function timeToBlock(database: BetterSqlite3.Database, indicatorId: number): ListDelivery[] {
  const indicator = database
    .prepare<[number], { first_stored_at: number; recorded_at: number | null }>(
      `SELECT i.first_stored_at, ${recordedInMispSql('i.id')} AS recorded_at
       FROM indicator i WHERE i.id = ?`,
    )
    .get(indicatorId);
  if (indicator === undefined) return [];

  const lists = database
    .prepare<[number], { tenant: string; list: string; first_published_at: number }>(
      `SELECT tenant, list, first_published_at FROM indicator_publication
       WHERE indicator_id = ? ORDER BY tenant, list`,
    )
    .all(indicatorId);
  const firstRemoval = database
    .prepare<{ id: number; tenant: string; list: string; first: number }, number | null>(
      `SELECT min(p.id) FROM list_change c JOIN publication p ON p.id = c.publication_id
       WHERE c.indicator_id = @id AND c.change = 'removed' AND p.tenant = @tenant
         AND p.list = @list AND p.published_at >= @first`,
    )
    .pluck();
  const devices = database.prepare<
    { tenant: string; list: string; first: number; end: number | null },
    DeviceRow
  >(
    // One min() aggregate: SQLite takes the bare sha256 from the row of the minimum.
    `WITH carrying AS (
       SELECT sha256 FROM publication WHERE tenant = @tenant AND list = @list
         AND status = 'published' AND published_at >= @first AND (@end IS NULL OR id < @end)
     )
     SELECT device, client_ip, user_agent,
       min(CASE WHEN ${DELIVERY_SQL} AND sha256 IN (SELECT sha256 FROM carrying) THEN at END)
         AS first_at, sha256
     FROM fetch WHERE tenant = @tenant AND list = @list AND at >= @first AND ${ATTRIBUTED_FETCH_SQL}
     GROUP BY device, client_ip, user_agent ORDER BY device, client_ip, user_agent`,
  );

  const recordedAt = indicator.recorded_at;
  return lists.map(({ tenant, list, first_published_at: first }) => {
    const end = firstRemoval.get({ id: indicatorId, tenant, list, first }) ?? null;
    const rows = devices.all({ tenant, list, first, end });
    return {
      tenant,
      list,
      recordedInMispAt: recordedAt,
      firstStoredAt: indicator.first_stored_at,
      firstPublishedAt: first,
      publishDelayMs: recordedAt === null ? null : first - recordedAt,
      devices: rows.map((row) => deviceDelivery(row, first, recordedAt)),
    };
  });
}

function deviceDelivery(
  row: DeviceRow,
  firstPublishedAt: number,
  recordedAt: number | null,
): DeviceDelivery {
  const at = row.first_at;
  return {
    device: row.device,
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    firstFetchedAt: at,
    sha256: at === null ? null : row.sha256,
    fetchDelayMs: at === null ? null : at - firstPublishedAt,
    timeToBlockMs: at === null || recordedAt === null ? null : at - recordedAt,
  };
}

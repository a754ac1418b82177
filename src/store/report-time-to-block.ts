import type BetterSqlite3 from 'better-sqlite3';

import { ATTRIBUTED_FETCH_SQL, DELIVERY_SQL } from './device-status.js';

/** The time to block of the indicators a tenant's lists first carried in a month. */
export interface TimeToBlockSamples {
  /** Indicators first published to any of the tenant's lists in the month. */
  readonly firstPublished: number;
  /**
   * For each of them that a device fetched in the month: milliseconds from MISP (recorded
   * at) to the first delivery, by any device, of a list version carrying it. Ascending.
   */
  readonly samplesMs: readonly number[];
}

interface Window {
  readonly tenant: string;
  readonly lists: readonly string[];
  readonly start: number;
  readonly end: number;
}

interface Publication {
  readonly id: number;
  readonly published_at: number;
  readonly sha256: string;
}

/**
 * The time to block of each indicator first published to the tenant in the window, as
 * `iocrelay explain` defines it (see time-to-block.ts) but for the first device of the
 * tenant rather than each one: only publications and fetches inside the window are read,
 * so an indicator no device fetched before the window ended has no sample.
 *
 * @example
 * firstDeliveries(database, { tenant: 'acme', lists: ['ip.txt'], start, end }, recordedAt);
 * // { firstPublished: 12, samplesMs: [240000, 252000, …] }
 */
export function firstDeliveries(
  database: BetterSqlite3.Database,
  window: Window,
  recordedAt: ReadonlyMap<number, number>,
): TimeToBlockSamples {
  const lists = JSON.stringify(window.lists);
  const population = database
    .prepare<{ tenant: string; lists: string; start: number; end: number }, number>(
      `SELECT r.indicator_id FROM temp.report_indicator r
       JOIN indicator_publication ip ON ip.indicator_id = r.indicator_id
         AND ip.tenant = @tenant AND ip.list IN (SELECT value FROM json_each(@lists))
       GROUP BY r.indicator_id
       HAVING min(ip.first_published_at) >= @start AND min(ip.first_published_at) < @end`,
    )
    .pluck()
    .all({ tenant: window.tenant, lists, start: window.start, end: window.end });
  const isNew = new Set(population);

  const firstAt = new Map<number, number>();
  for (const list of window.lists) {
    for (const [id, at] of listDeliveries(database, window, list)) {
      if (isNew.has(id) && at < (firstAt.get(id) ?? Infinity)) firstAt.set(id, at);
    }
  }

  const samplesMs: number[] = [];
  for (const [id, at] of firstAt) {
    const recorded = recordedAt.get(id);
    if (recorded !== undefined) samplesMs.push(at - recorded);
  }
  return { firstPublished: population.length, samplesMs: samplesMs.sort((a, b) => a - b) };
}

// Per indicator the list first carried in the window: the first delivery of a version from
// its first publication up to (not including) the one that removed it.
function listDeliveries(
  database: BetterSqlite3.Database,
  window: Window,
  list: string,
): Map<number, number> {
  const params = { tenant: window.tenant, list, start: window.start, end: window.end };
  const publications = database
    .prepare<typeof params, Publication>(
      `SELECT id, published_at, sha256 FROM publication WHERE tenant = @tenant AND list = @list
         AND status = 'published' AND published_at >= @start AND published_at < @end
       ORDER BY id`,
    )
    .all(params);
  if (publications.length === 0) return new Map();

  // Same bytes, same entries: the first delivery of a version's bytes is its first delivery.
  const delivered = new Map(
    database
      .prepare<typeof params, [string, number]>(
        `SELECT sha256, min(at) FROM fetch WHERE tenant = @tenant AND list = @list
           AND at >= @start AND at < @end AND ${ATTRIBUTED_FETCH_SQL} AND ${DELIVERY_SQL}
         GROUP BY sha256`,
      )
      .raw(true)
      .all(params),
  );
  const deliveredAt = publications.map((p) => delivered.get(p.sha256) ?? Infinity);
  const suffixMin = [...deliveredAt];
  for (let k = suffixMin.length - 2; k >= 0; k--) {
    suffixMin[k] = Math.min(suffixMin[k] as number, suffixMin[k + 1] as number);
  }
  const indexById = new Map(publications.map((p, k) => [p.id, k]));
  // first_published_at is the published_at of the publication that first carried it.
  const indexByTime = new Map<number, number>();
  publications.forEach((p, k) => {
    if (!indexByTime.has(p.published_at)) indexByTime.set(p.published_at, k);
  });

  const firsts = database
    .prepare<typeof params, [number, number, number | null]>(
      `SELECT ip.indicator_id, ip.first_published_at,
         (SELECT min(c.publication_id) FROM list_change c
          JOIN publication p ON p.id = c.publication_id
          WHERE c.indicator_id = ip.indicator_id AND c.change = 'removed'
            AND p.tenant = @tenant AND p.list = @list AND p.published_at >= ip.first_published_at)
       FROM temp.report_indicator r
       JOIN indicator_publication ip ON ip.indicator_id = r.indicator_id
         AND ip.tenant = @tenant AND ip.list = @list
       WHERE ip.first_published_at >= @start AND ip.first_published_at < @end`,
    )
    .raw(true)
    .all(params);

  const result = new Map<number, number>();
  for (const [id, firstPublishedAt, removedBy] of firsts) {
    const from =
      indexByTime.get(firstPublishedAt) ??
      publications.findIndex((p) => p.published_at >= firstPublishedAt);
    if (from < 0) continue;
    const at =
      removedBy === null
        ? (suffixMin[from] as number)
        : minBetween(deliveredAt, from, indexById.get(removedBy) ?? deliveredAt.length);
    if (at !== Infinity) result.set(id, at);
  }
  return result;
}

function minBetween(values: readonly number[], from: number, to: number): number {
  let min = Infinity;
  for (let k = from; k < to; k++) min = Math.min(min, values[k] as number);
  return min;
}

import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';

import type { IndicatorKind } from '../normalize/indicator.js';
import { toPublicationRecord, type PublicationRecord } from './publications.js';
import type { StoreDatabase } from './schema.js';

/** One publication of a list with what it changed. */
export interface PublicationChanges {
  readonly publication: PublicationRecord;
  /** The list's first publication: its additions are the whole list and are not itemised. */
  readonly isFirst: boolean;
  /** Removals first, then additions, each in value order; at most `maxChanges`. */
  readonly changes: readonly ListChange[];
  /** Changes left out past `maxChanges`. */
  readonly more: number;
}

export interface ListChange {
  readonly change: 'added' | 'removed';
  readonly kind: IndicatorKind;
  readonly value: string;
  /** For a removal: the policy rule, or `inactive`. */
  readonly rule: string | null;
  readonly detail: string | null;
}

export interface ChangesQuery {
  readonly tenant: string;
  /** One list, or all of the tenant's. */
  readonly list?: string;
  /** Publications, newest first. */
  readonly limit: number;
  /** Changes shown per publication. */
  readonly maxChanges: number;
}

/**
 * The indicator ids a list carries as last published, sorted, for binary search: the list
 * builder notes why each of them is left out, for the change log.
 *
 * @example
 * const ids = listedIndicatorIds(database, 'acme', 'ip.txt'); // Int32Array [3, 17, …]
 */
export function listedIndicatorIds(
  database: BetterSqlite3.Database,
  tenant: string,
  list: string,
): Int32Array {
  const ids = database
    .prepare<[string, string], number>(
      'SELECT indicator_id FROM list_entry WHERE tenant = ? AND list = ? ORDER BY indicator_id',
    )
    .pluck()
    .all(tenant, list);
  return Int32Array.from(ids);
}

/**
 * The latest publications that changed a tenant's lists (status `published`), newest first,
 * each with its added and removed indicators and the reason for each removal.
 *
 * @example
 * await recentChanges(db, { tenant: 'acme', limit: 5, maxChanges: 50 });
 */
export async function recentChanges(
  db: Kysely<StoreDatabase>,
  query: ChangesQuery,
): Promise<PublicationChanges[]> {
  let publications = db
    .selectFrom('publication')
    .selectAll()
    .where('tenant', '=', query.tenant)
    .where('status', '=', 'published');
  if (query.list !== undefined) publications = publications.where('list', '=', query.list);
  const rows = await publications.orderBy('id', 'desc').limit(query.limit).execute();

  const result: PublicationChanges[] = [];
  for (const row of rows) {
    const isFirst =
      (await db
        .selectFrom('publication')
        .select('id')
        .where('tenant', '=', row.tenant)
        .where('list', '=', row.list)
        .where('status', '=', 'published')
        .where('id', '<', row.id)
        .limit(1)
        .executeTakeFirst()) === undefined;
    const changes = await db
      .selectFrom('list_change as c')
      .innerJoin('indicator as i', 'i.id', 'c.indicator_id')
      .select(['c.change', 'i.kind', 'i.value', 'c.rule', 'c.detail'])
      .where('c.publication_id', '=', row.id)
      .orderBy('c.change', 'desc')
      .orderBy('i.sort_key')
      .limit(query.maxChanges + 1)
      .execute();
    const total = row.added * (isFirst ? 0 : 1) + row.removed;
    result.push({
      publication: toPublicationRecord(row),
      isFirst,
      changes: changes.slice(0, query.maxChanges).map((change) => ({
        change: change.change,
        kind: change.kind as IndicatorKind,
        value: change.value,
        rule: change.rule,
        detail: change.detail,
      })),
      more: Math.max(0, total - query.maxChanges),
    });
  }
  return result;
}

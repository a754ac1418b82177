import type { Kysely } from 'kysely';
import type { StoreDatabase } from './schema.js';

/** A CIDR that a list carries now. */
export interface ListedNetwork {
  readonly tenant: string;
  readonly list: string;
  readonly value: string;
}

/**
 * Every CIDR entry the lists carry now, so `explain` can say that a listed network blocks an
 * address even though the address itself was never recorded. Lists hold few CIDRs next to
 * their addresses, so a scan of the `/` values is cheap.
 *
 * @example
 * await listedNetworks(db); // [{ tenant: 'acme', list: 'ip.txt', value: '198.51.100.0/28' }]
 */
export async function listedNetworks(db: Kysely<StoreDatabase>): Promise<ListedNetwork[]> {
  return db
    .selectFrom('list_entry as l')
    .innerJoin('indicator as i', 'i.id', 'l.indicator_id')
    .select(['l.tenant', 'l.list', 'i.value'])
    .where('i.kind', '=', 'ip')
    .where('i.value', 'like', '%/%')
    .orderBy('l.tenant')
    .orderBy('l.list')
    .orderBy('i.sort_key')
    .execute();
}

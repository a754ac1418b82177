import type { Kysely } from 'kysely';

import type { IndicatorKind } from '../normalize/indicator.js';
import type { Tlp } from '../policy/tlp.js';
import type { StoreDatabase } from './schema.js';
import { parseTagList, storedFlag, storedTlp, type StoredEvent } from './stored-event.js';

/** Everything the store knows about one indicator, for `iocrelay explain`. */
export interface IndicatorLookup {
  readonly id: number;
  readonly kind: IndicatorKind;
  readonly value: string;
  readonly sortKey: string;
  /** Unix milliseconds. */
  readonly firstStoredAt: number;
  /** Every attribute that ever gave the indicator, gone or not, oldest first. */
  readonly attributes: readonly StoredAttribute[];
  /** The lists that carry it now, by tenant then list. */
  readonly lists: readonly ListMembership[];
}

export interface StoredAttribute {
  readonly source: string;
  readonly uuid: string;
  readonly mispId: string | null;
  readonly type: string;
  readonly category: string | null;
  /** The value as the source sent it. */
  readonly rawValue: string;
  readonly toIds: boolean;
  readonly deleted: boolean;
  /** False once the source stopped sending it (or sent another value). */
  readonly isPresent: boolean;
  readonly timestamp: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly tags: readonly string[];
  /** The attribute's own TLP tag; the event's is on `event`. */
  readonly tlp: Tlp | null;
  readonly lastSighting: number | null;
  readonly expirationSighting: number | null;
  readonly decayed: boolean | null;
  readonly objectUuid: string | null;
  readonly objectName: string | null;
  readonly comment: string;
  /** Unix milliseconds. */
  readonly firstStoredAt: number;
  /** Unix milliseconds of the last change the store saw. */
  readonly updatedAt: number;
  readonly event: StoredEvent;
}

export interface ListMembership {
  readonly tenant: string;
  readonly list: string;
  /** Unix milliseconds of the first publication of the list that carried the indicator. */
  readonly firstPublishedAt: number;
}

/**
 * Looks an indicator up by its canonical kind and value (normalize the user's input first).
 *
 * @example
 * const found = await lookupIndicator(db, 'ip', '192.0.2.1');
 * found?.lists; // [{ tenant: 'acme', list: 'ip.txt', firstPublishedAt: 1714000000000 }]
 */
export async function lookupIndicator(
  db: Kysely<StoreDatabase>,
  kind: IndicatorKind,
  value: string,
): Promise<IndicatorLookup | null> {
  const indicator = await db
    .selectFrom('indicator')
    .selectAll()
    .where('kind', '=', kind)
    .where('value', '=', value)
    .executeTakeFirst();
  if (indicator === undefined) return null;

  const attributes = await selectAttributes(db, indicator.id);
  const lists = await db
    .selectFrom('indicator_publication as p')
    .innerJoin('list_entry as l', (join) =>
      join
        .onRef('l.indicator_id', '=', 'p.indicator_id')
        .onRef('l.tenant', '=', 'p.tenant')
        .onRef('l.list', '=', 'p.list'),
    )
    .select(['p.tenant', 'p.list', 'p.first_published_at'])
    .where('p.indicator_id', '=', indicator.id)
    .orderBy('p.tenant')
    .orderBy('p.list')
    .execute();

  return {
    id: indicator.id,
    kind,
    value: indicator.value,
    sortKey: indicator.sort_key,
    firstStoredAt: indicator.first_stored_at,
    attributes,
    lists: lists.map((row) => ({
      tenant: row.tenant,
      list: row.list,
      firstPublishedAt: row.first_published_at,
    })),
  };
}

async function selectAttributes(
  db: Kysely<StoreDatabase>,
  indicatorId: number,
): Promise<readonly StoredAttribute[]> {
  const rows = await db
    .selectFrom('attribute as a')
    .innerJoin('event as e', 'e.id', 'a.event_id')
    .selectAll('a')
    .select([
      'e.uuid as event_uuid',
      'e.misp_id as event_misp_id',
      'e.info as event_info',
      'e.org as event_org',
      'e.threat_level as event_threat_level',
      'e.tags as event_tags',
      'e.tlp as event_tlp',
      'e.timestamp as event_timestamp',
      'e.published as event_published',
    ])
    .where('a.indicator_id', '=', indicatorId)
    .orderBy('a.id')
    .execute();

  return rows.map((row) => {
    const event: StoredEvent = {
      source: row.source,
      uuid: row.event_uuid,
      mispId: row.event_misp_id,
      info: row.event_info,
      orgName: row.event_org,
      threatLevel: row.event_threat_level,
      tags: parseTagList(row.event_tags),
      tlp: storedTlp(row.event_tlp),
      timestamp: row.event_timestamp,
      published: storedFlag(row.event_published),
    };
    return {
      source: row.source,
      uuid: row.uuid,
      mispId: row.misp_id,
      type: row.type,
      category: row.category,
      rawValue: row.raw_value,
      toIds: row.to_ids === 1,
      deleted: row.deleted === 1,
      isPresent: row.present === 1,
      timestamp: row.timestamp,
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      tags: parseTagList(row.tags),
      tlp: storedTlp(row.tlp),
      lastSighting: row.last_sighting,
      expirationSighting: row.expiration_sighting,
      decayed: storedFlag(row.decayed),
      objectUuid: row.object_uuid,
      objectName: row.object_name,
      comment: row.comment,
      firstStoredAt: row.first_stored_at,
      updatedAt: row.updated_at,
      event,
    };
  });
}

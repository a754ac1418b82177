import type { Kysely } from 'kysely';

/**
 * What MISP says of an attribute's activity beyond its timestamp: its newest sighting, its
 * newest expiration sighting (Unix seconds) and whether a decaying model marks it decayed
 * (0/1). Null when the source did not send them.
 *
 * @example
 * await up(db);
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['last_sighting', 'expiration_sighting', 'decayed']) {
    await db.schema.alterTable('attribute').addColumn(column, 'integer').execute();
  }
}

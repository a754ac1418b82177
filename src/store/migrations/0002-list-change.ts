import { sql, type Kysely } from 'kysely';

/**
 * The change log of each publication: the indicators it added to and removed from its list,
 * with the rule that removed each one. The first publication of a list records no `added`
 * rows (everything was added; the publication row says how many).
 *
 * @example
 * await up(db);
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('list_change')
    .addColumn('publication_id', 'integer', (c) => c.notNull().references('publication.id'))
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicator.id'))
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('detail', 'text')
    .addPrimaryKeyConstraint('list_change_pk', ['publication_id', 'indicator_id'])
    .addCheckConstraint('list_change_change', sql`change in ('added', 'removed')`)
    .modifyEnd(sql`strict, without rowid`)
    .execute();
  await db.schema
    .createIndex('list_change_indicator')
    .on('list_change')
    .columns(['indicator_id', 'publication_id'])
    .execute();
}

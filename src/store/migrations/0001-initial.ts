import { sql, type Kysely } from 'kysely';

/**
 * The first schema. A released migration never changes: later changes come as new files.
 *
 * Choices that matter for speed, measured on 1M attributes:
 * - unique keys are separate unique indexes, so `ON CONFLICT` can name them;
 * - no index on `indicator.sort_key`: listing candidates scans attributes in storage order and
 *   sorts once, which beats walking a sort_key index with a random lookup per row;
 * - `indicator_publication` is keyed by indicator first, so `explain` finds the lists of one
 *   indicator without scanning them.
 *
 * @example
 * await up(db);
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('event')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('misp_id', 'text')
    .addColumn('info', 'text', (c) => c.notNull())
    .addColumn('org', 'text')
    .addColumn('threat_level', 'integer')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text')
    .addColumn('timestamp', 'integer')
    .addColumn('published', 'integer')
    .addColumn('first_stored_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema
    .createIndex('event_source_uuid')
    .unique()
    .on('event')
    .columns(['source', 'uuid'])
    .execute();

  await db.schema
    .createTable('indicator')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('sort_key', 'text', (c) => c.notNull())
    .addColumn('first_stored_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema
    .createIndex('indicator_kind_value')
    .unique()
    .on('indicator')
    .columns(['kind', 'value'])
    .execute();

  await db.schema
    .createTable('attribute')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicator.id'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('event.id'))
    .addColumn('misp_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('raw_value', 'text', (c) => c.notNull())
    .addColumn('to_ids', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('present', 'integer', (c) => c.notNull())
    .addColumn('timestamp', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'text')
    .addColumn('last_seen', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text')
    .addColumn('object_uuid', 'text')
    .addColumn('object_name', 'text')
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('first_stored_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('seen_run', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema
    .createIndex('attribute_source_uuid')
    .unique()
    .on('attribute')
    .columns(['source', 'uuid', 'indicator_id'])
    .execute();
  await db.schema
    .createIndex('attribute_indicator')
    .on('attribute')
    .column('indicator_id')
    .execute();

  await db.schema
    .createTable('source_state')
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('cursor', 'integer')
    .addColumn('last_full_at', 'integer')
    .addColumn('last_success_at', 'integer')
    .modifyEnd(sql`strict, without rowid`)
    .execute();

  await db.schema
    .createTable('run')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('finished_at', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('summary', 'text')
    .addCheckConstraint('run_status', sql`status in ('running', 'ok', 'partial', 'failed', 'held')`)
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('publication')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('run_id', 'integer', (c) => c.notNull().references('run.id'))
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('list', 'text', (c) => c.notNull())
    .addColumn('published_at', 'integer', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('added', 'integer', (c) => c.notNull())
    .addColumn('removed', 'integer', (c) => c.notNull())
    .addCheckConstraint('publication_status', sql`status in ('published', 'unchanged', 'held')`)
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema
    .createIndex('publication_tenant_list')
    .on('publication')
    .columns(['tenant', 'list', 'status'])
    .execute();

  await db.schema
    .createTable('list_entry')
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('list', 'text', (c) => c.notNull())
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicator.id'))
    .addPrimaryKeyConstraint('list_entry_pk', ['tenant', 'list', 'indicator_id'])
    .modifyEnd(sql`strict, without rowid`)
    .execute();

  await db.schema
    .createTable('indicator_publication')
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicator.id'))
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('list', 'text', (c) => c.notNull())
    .addColumn('first_published_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('indicator_publication_pk', ['indicator_id', 'tenant', 'list'])
    .modifyEnd(sql`strict, without rowid`)
    .execute();
}

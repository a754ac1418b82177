import { sql, type Kysely } from 'kysely';

/**
 * Runtime allowlist entries (added by the dashboard or `iocrelay allow add`, applied by the
 * next sync) and their audit log.
 *
 * `allow_entry` keeps removed entries, marked with who removed them, when and why, so an id
 * named in an old change-log detail still resolves. At most one active entry per tenant (null:
 * every tenant), kind and value: a partial unique index over `ifnull(tenant, '')`, since
 * SQLite's unique indexes treat NULLs as distinct.
 *
 * `allow_audit` is append-only, enforced by triggers: one row per add and per remove, written
 * in the transaction of the change itself. Read newest first, optionally for one tenant.
 *
 * @example
 * await up(db);
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('allow_entry')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('tenant', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'integer', (c) => c.notNull())
    .addColumn('removed_at', 'integer')
    .addColumn('removed_by', 'text')
    .addColumn('remove_reason', 'text')
    .addCheckConstraint('allow_entry_kind', sql`kind in ('ip', 'domain', 'url')`)
    .modifyEnd(sql`strict`)
    .execute();
  await sql`CREATE UNIQUE INDEX allow_entry_active ON allow_entry (ifnull(tenant, ''), kind, value)
    WHERE removed_at IS NULL`.execute(db);

  await db.schema
    .createTable('allow_audit')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'integer', (c) => c.notNull().references('allow_entry.id'))
    .addColumn('tenant', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addCheckConstraint('allow_audit_action', sql`action in ('add', 'remove')`)
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema
    .createIndex('allow_audit_tenant')
    .on('allow_audit')
    .columns(['tenant', 'id'])
    .execute();
  await sql`CREATE TRIGGER allow_audit_no_update BEFORE UPDATE ON allow_audit
    BEGIN SELECT RAISE(ABORT, 'allow_audit is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER allow_audit_no_delete BEFORE DELETE ON allow_audit
    BEGIN SELECT RAISE(ABORT, 'allow_audit is append-only'); END`.execute(db);
}

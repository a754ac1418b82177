import type BetterSqlite3 from 'better-sqlite3';

import { IocrelayError } from '../errors/iocrelay-error.js';

/** The kinds an allowlist entry can be: an IP or CIDR, a domain, a URL prefix. */
export type AllowKind = 'ip' | 'domain' | 'url';

/**
 * An allowlist entry added at runtime (dashboard, `iocrelay allow add`), as stored. Times are
 * Unix milliseconds. An entry is active until removed; a removed one keeps who and why.
 *
 * @example
 * { id: 12, tenant: null, kind: 'ip', value: '198.51.100.23', reason: 'bank portal, INC-42',
 *   addedBy: 'alice', addedAt: 1764860000000, removedAt: null, removedBy: null, removeReason: null }
 */
export interface StoredAllowEntry {
  readonly id: number;
  /** The tenant it applies to; null for every tenant. */
  readonly tenant: string | null;
  readonly kind: AllowKind;
  /** Canonical form, as `parseAllowlistEntry` gives it. */
  readonly value: string;
  readonly reason: string;
  readonly addedBy: string;
  readonly addedAt: number;
  readonly removedAt: number | null;
  readonly removedBy: string | null;
  readonly removeReason: string | null;
}

/**
 * One line of the append-only audit log of runtime allowlist changes, written in the same
 * transaction as the change itself.
 *
 * @example
 * { id: 3, at: 1764860000000, actor: 'alice', action: 'add', entryId: 12, tenant: null,
 *   kind: 'ip', value: '198.51.100.23', reason: 'bank portal, INC-42' }
 */
export interface AuditRecord {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly action: 'add' | 'remove';
  readonly entryId: number;
  readonly tenant: string | null;
  readonly kind: AllowKind;
  readonly value: string;
  /** The reason given for this action (for a removal: why it was removed). */
  readonly reason: string;
}

/** What `addAllowEntry` stores; `value` already canonical, `tenant` already checked. */
export interface AddAllowEntryInput {
  readonly tenant: string | null;
  readonly kind: AllowKind;
  readonly value: string;
  readonly reason: string;
  readonly actor: string;
  readonly at: number;
}

/** What `removeAllowEntry` needs. */
export interface RemoveAllowEntryInput {
  readonly id: number;
  readonly reason: string;
  readonly actor: string;
  readonly at: number;
}

/** Which part of the audit log to read, newest first. */
export interface AuditLogQuery {
  readonly limit: number;
  /** Only records older than this id: the next page after the last id seen. */
  readonly beforeId?: number;
  /** Only records of this tenant; null for the global entries; absent for all. */
  readonly tenant?: string | null;
}

/** Reads and writes the runtime allowlist and its audit log on one connection. */
export interface AllowEntries {
  readonly add: (input: AddAllowEntryInput) => StoredAllowEntry;
  readonly remove: (input: RemoveAllowEntryInput) => StoredAllowEntry | null;
  readonly active: () => StoredAllowEntry[];
  readonly auditLog: (query: AuditLogQuery) => AuditRecord[];
}

interface EntryRow {
  id: number;
  tenant: string | null;
  kind: AllowKind;
  value: string;
  reason: string;
  added_by: string;
  added_at: number;
  removed_at: number | null;
  removed_by: string | null;
  remove_reason: string | null;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: 'add' | 'remove';
  entry_id: number;
  tenant: string | null;
  kind: AllowKind;
  value: string;
  reason: string;
}

type AuditValues = [
  number,
  string,
  'add' | 'remove',
  number,
  string | null,
  AllowKind,
  string,
  string,
];

/**
 * Prepares the allowlist statements on a connection. Each change and its audit record are
 * written in one BEGIN IMMEDIATE transaction: both or neither.
 *
 * @example
 * const allow = prepareAllowEntries(database);
 * allow.add({ tenant: null, kind: 'ip', value: '198.51.100.23', reason: 'INC-42', actor: 'alice', at });
 */
export function prepareAllowEntries(database: BetterSqlite3.Database): AllowEntries {
  const insertEntry = database.prepare<
    [string | null, AllowKind, string, string, string, number],
    EntryRow
  >(
    `INSERT INTO allow_entry (tenant, kind, value, reason, added_by, added_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const markRemoved = database.prepare<[number, string, string, number], EntryRow>(
    `UPDATE allow_entry SET removed_at = ?, removed_by = ?, remove_reason = ?
     WHERE id = ? AND removed_at IS NULL RETURNING *`,
  );
  const insertAudit = database.prepare<AuditValues>(
    `INSERT INTO allow_audit (at, actor, action, entry_id, tenant, kind, value, reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectActive = database.prepare<[], EntryRow>(
    'SELECT * FROM allow_entry WHERE removed_at IS NULL ORDER BY id',
  );

  const add = database.transaction((input: AddAllowEntryInput): StoredAllowEntry => {
    const { tenant, kind, value, reason, actor, at } = input;
    const row = insertEntry.get(tenant, kind, value, reason, actor, at) as EntryRow;
    insertAudit.run(at, actor, 'add', row.id, tenant, kind, value, reason);
    return entryOf(row);
  });
  const remove = database.transaction((input: RemoveAllowEntryInput): StoredAllowEntry | null => {
    const row = markRemoved.get(input.at, input.actor, input.reason, input.id);
    if (row === undefined) return null;
    insertAudit.run(
      input.at,
      input.actor,
      'remove',
      row.id,
      row.tenant,
      row.kind,
      row.value,
      input.reason,
    );
    return entryOf(row);
  });

  return {
    add: (input) => {
      try {
        return add.immediate(input);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new IocrelayError(
            'ALLOW_ENTRY_EXISTS',
            { value: input.value, tenant: input.tenant ?? 'every tenant' },
            { cause: err },
          );
        }
        throw err;
      }
    },
    remove: (input) => remove.immediate(input),
    active: () => selectActive.all().map(entryOf),
    auditLog: (query) => readAuditLog(database, query),
  };
}

// Built per call: three optional filters would otherwise need eight prepared statements, and
// the audit log is read by people, not in a loop.
function readAuditLog(database: BetterSqlite3.Database, query: AuditLogQuery): AuditRecord[] {
  const where: string[] = [];
  const params: (string | number | null)[] = [];
  if (query.beforeId !== undefined) {
    where.push('id < ?');
    params.push(query.beforeId);
  }
  if (query.tenant !== undefined) {
    where.push('tenant IS ?');
    params.push(query.tenant);
  }
  params.push(Math.max(0, Math.floor(query.limit)));

  const rows = database
    .prepare<(string | number | null)[], AuditRow>(
      `SELECT * FROM allow_audit ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ?`,
    )
    .all(...params);
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entryId: row.entry_id,
    tenant: row.tenant,
    kind: row.kind,
    value: row.value,
    reason: row.reason,
  }));
}

function entryOf(row: EntryRow): StoredAllowEntry {
  return {
    id: row.id,
    tenant: row.tenant,
    kind: row.kind,
    value: row.value,
    reason: row.reason,
    addedBy: row.added_by,
    addedAt: row.added_at,
    removedAt: row.removed_at,
    removedBy: row.removed_by,
    removeReason: row.remove_reason,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

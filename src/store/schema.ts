import type { Generated } from 'kysely';

/**
 * The tables of the iocrelay database as Kysely sees them, after the latest migration. Times
 * ending in `_at` are Unix milliseconds (ours); `timestamp` columns are MISP's Unix seconds.
 * Booleans are 0/1 integers. Tag lists are JSON arrays of strings.
 *
 * @example
 * const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
 * await db.selectFrom('run').selectAll().orderBy('id', 'desc').limit(5).execute();
 */
export interface StoreDatabase {
  event: EventTable;
  indicator: IndicatorTable;
  attribute: AttributeTable;
  source_state: SourceStateTable;
  run: RunTable;
  publication: PublicationTable;
  list_entry: ListEntryTable;
  indicator_publication: IndicatorPublicationTable;
  list_change: ListChangeTable;
  fetch: FetchTable;
  allow_entry: AllowEntryTable;
  allow_audit: AllowAuditTable;
}

/** One MISP event per source; attributes point at it by `id`. */
export interface EventTable {
  id: Generated<number>;
  source: string;
  uuid: string;
  misp_id: string | null;
  info: string;
  org: string | null;
  threat_level: number | null;
  tags: string;
  /** The event's own TLP (from its tags), or null. */
  tlp: string | null;
  timestamp: number | null;
  published: number | null;
  first_stored_at: number;
  updated_at: number;
}

/** One canonical value; unique by (kind, value). */
export interface IndicatorTable {
  id: Generated<number>;
  kind: string;
  value: string;
  sort_key: string;
  first_stored_at: number;
}

/**
 * One MISP attribute as it maps to one indicator: a `domain|ip` attribute has two rows with the
 * same (source, uuid).
 */
export interface AttributeTable {
  id: Generated<number>;
  source: string;
  uuid: string;
  indicator_id: number;
  event_id: number;
  misp_id: string | null;
  type: string;
  category: string | null;
  raw_value: string;
  to_ids: number;
  deleted: number;
  /** 1 while the source still has the attribute with this value. */
  present: number;
  timestamp: number;
  first_seen: string | null;
  last_seen: string | null;
  tags: string;
  /** The attribute's own TLP (from its tags); the event's applies when null. */
  tlp: string | null;
  object_uuid: string | null;
  object_name: string | null;
  comment: string;
  first_stored_at: number;
  updated_at: number;
  /** The run that last saw the attribute at its source. */
  seen_run: number;
  last_sighting: number | null;
  expiration_sighting: number | null;
  decayed: number | null;
}

export interface SourceStateTable {
  source: string;
  /** Highest attribute timestamp (seconds) stored from the source. */
  cursor: number | null;
  last_full_at: number | null;
  last_success_at: number | null;
}

export interface RunTable {
  id: Generated<number>;
  started_at: number;
  finished_at: number | null;
  status: string;
  error_code: string | null;
  /** JSON object. */
  summary: string | null;
}

export interface PublicationTable {
  id: Generated<number>;
  run_id: number;
  tenant: string;
  list: string;
  published_at: number;
  entries: number;
  sha256: string;
  bytes: number;
  status: string;
  added: number;
  removed: number;
}

/** The current content of each list. */
export interface ListEntryTable {
  tenant: string;
  list: string;
  indicator_id: number;
}

/** When a list first carried an indicator; kept when the indicator leaves the list. */
export interface IndicatorPublicationTable {
  indicator_id: number;
  tenant: string;
  list: string;
  first_published_at: number;
}

export interface ListChangeTable {
  publication_id: number;
  indicator_id: number;
  change: 'added' | 'removed';
  /** The policy rule that removed it, or `inactive`; null for `added`. */
  rule: string | null;
  detail: string | null;
}

/**
 * One answered feed request. `tenant` and `list` are the path the device asked for, which on a
 * 401 or 404 need not be its own.
 */
export interface FetchTable {
  id: Generated<number>;
  tenant: string;
  list: string;
  /** The Basic user name or `token#<n>`; null when the request did not authenticate. */
  device: string | null;
  client_ip: string;
  user_agent: string | null;
  method: 'GET' | 'HEAD';
  status: number;
  /** The list version the answer named (200 and 304), else null. */
  sha256: string | null;
  bytes: number;
  at: number;
}

/** A runtime allowlist entry; `tenant` null for every tenant. Removed ones are kept, marked. */
export interface AllowEntryTable {
  id: Generated<number>;
  tenant: string | null;
  kind: 'ip' | 'domain' | 'url';
  value: string;
  reason: string;
  added_by: string;
  added_at: number;
  removed_at: number | null;
  removed_by: string | null;
  remove_reason: string | null;
}

/** One add or remove of a runtime allowlist entry; append-only (triggers refuse the rest). */
export interface AllowAuditTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: 'add' | 'remove';
  entry_id: number;
  tenant: string | null;
  kind: 'ip' | 'domain' | 'url';
  value: string;
  reason: string;
}

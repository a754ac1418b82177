import type BetterSqlite3 from 'better-sqlite3';

type Statement<P extends unknown[], R = unknown> = BetterSqlite3.Statement<P, R>;
type Text = string | null;
type Int = number | null;
type EventParams = [
  ...[string, string, Text, string, Text, Int, string, Text, Int, Int],
  ...[number, number],
];
type AttributeParams = [
  ...[string, string, number, number, Text, string, Text, string, number, number, number],
  ...[Text, Text, string, Text, Text, Text, string, Int, Int, Int, number, number, number],
];

/**
 * The prepared statements of the ingest hot path, written by hand in this one place. They run
 * synchronously on the raw better-sqlite3 connection, positional values passed as arguments
 * (an array argument measured 1.9× slower); column names follow StoreDatabase (schema.ts).
 *
 * @example
 * const statements = prepareIngestStatements(database);
 * statements.selectIndicator.get('ip', '192.0.2.1'); // [17, '4c000020132']
 */
export interface IngestStatements {
  /**
   * Params: source, uuid, misp_id, info, org, threat_level, tags, tlp, timestamp, published,
   * now, now. Gives the event id.
   */
  readonly upsertEvent: Statement<EventParams, number>;
  /** Params: kind, value, sort_key, now. Inserts nothing when the indicator is known. */
  readonly insertIndicator: Statement<[string, string, string, number]>;
  /** Params: kind, value. Gives [id, sort_key]. */
  readonly selectIndicator: Statement<[string, string], [number, string]>;
  /** Params: sort_key, id. */
  readonly setSortKey: Statement<[string, number]>;
  /**
   * Params: source, uuid, indicator_id, event_id, misp_id, type, category, raw_value, to_ids,
   * deleted, timestamp, first_seen, last_seen, tags, tlp, object_uuid, object_name, comment,
   * last_sighting, expiration_sighting, decayed, now, now, run.
   */
  readonly upsertAttribute: Statement<AttributeParams>;
  /**
   * Marks the stored rows of an attribute seen when the source sends it unchanged (same
   * timestamp, value, flags, tags and event), which skips the indicator lookup. Params: run,
   * now, source, uuid, timestamp, raw_value, to_ids, deleted, tags, event_id, last_sighting,
   * expiration_sighting, decayed.
   */
  readonly touchAttribute: Statement<
    [number, number, string, string, number, string, number, number, string, number, Int, Int, Int]
  >;
  /** Params: now, source, uuid, JSON array of the indicator ids the attribute still gives. */
  readonly retireOtherIndicators: Statement<[number, string, string, string]>;
  /** Params: source. Gives 1 when the source has stored attributes. */
  readonly sourceHasAttributes: Statement<[string], number>;
  /** Params: now, source, run. */
  readonly sweepUnseen: Statement<[number, string, number]>;
  /** Params: source, cursor, is_full (0/1), now, now. */
  readonly saveSourceState: Statement<[string, Int, number, number, number]>;
}

/**
 * Prepares the ingest statements once per connection.
 *
 * @example
 * const statements = prepareIngestStatements(database);
 */
export function prepareIngestStatements(database: BetterSqlite3.Database): IngestStatements {
  const prepare = <P extends unknown[], R = unknown>(source: string): Statement<P, R> =>
    database.prepare<P, R>(source);

  return {
    upsertEvent: prepare<EventParams, number>(UPSERT_EVENT).pluck(),
    // `.run()` with lastInsertRowid measured faster than an upsert with RETURNING.
    insertIndicator: prepare(
      `INSERT INTO indicator (kind, value, sort_key, first_stored_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, value) DO NOTHING`,
    ),
    selectIndicator: prepare<[string, string], [number, string]>(
      'SELECT id, sort_key FROM indicator WHERE kind = ? AND value = ?',
    ).raw(true),
    setSortKey: prepare('UPDATE indicator SET sort_key = ? WHERE id = ?'),
    upsertAttribute: prepare(UPSERT_ATTRIBUTE),
    touchAttribute: prepare(TOUCH_ATTRIBUTE),
    retireOtherIndicators: prepare(RETIRE_OTHER_INDICATORS),
    sourceHasAttributes: prepare<[string], number>(
      'SELECT EXISTS (SELECT 1 FROM attribute WHERE source = ?)',
    ).pluck(),
    // `+source` keeps SQLite on a plain table scan: following the (source, uuid) index would
    // cost one random row lookup per attribute.
    sweepUnseen: prepare(
      `UPDATE attribute SET present = 0, updated_at = ?
       WHERE +source = ? AND present = 1 AND seen_run <> ?`,
    ),
    saveSourceState: prepare(SAVE_SOURCE_STATE),
  };
}

// Values a source leaves unknown (null) do not erase what an earlier pull said.
const UPSERT_EVENT = `
INSERT INTO event (source, uuid, misp_id, info, org, threat_level, tags, tlp, timestamp,
  published, first_stored_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (source, uuid) DO UPDATE SET
  misp_id = coalesce(excluded.misp_id, misp_id),
  info = excluded.info,
  org = coalesce(excluded.org, org),
  threat_level = coalesce(excluded.threat_level, threat_level),
  tags = excluded.tags,
  tlp = excluded.tlp,
  timestamp = coalesce(excluded.timestamp, timestamp),
  published = coalesce(excluded.published, published),
  updated_at = CASE
    WHEN misp_id IS coalesce(excluded.misp_id, misp_id) AND info = excluded.info
      AND org IS coalesce(excluded.org, org)
      AND threat_level IS coalesce(excluded.threat_level, threat_level)
      AND tags = excluded.tags AND timestamp IS coalesce(excluded.timestamp, timestamp)
      AND published IS coalesce(excluded.published, published)
    THEN updated_at ELSE excluded.updated_at END
RETURNING id`;

const UPSERT_ATTRIBUTE = `
INSERT INTO attribute (source, uuid, indicator_id, event_id, misp_id, type, category, raw_value,
  to_ids, deleted, present, timestamp, first_seen, last_seen, tags, tlp, object_uuid,
  object_name, comment, last_sighting, expiration_sighting, decayed, first_stored_at,
  updated_at, seen_run)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (source, uuid, indicator_id) DO UPDATE SET
  event_id = excluded.event_id, misp_id = excluded.misp_id, type = excluded.type,
  category = excluded.category, raw_value = excluded.raw_value, to_ids = excluded.to_ids,
  deleted = excluded.deleted, present = 1, timestamp = excluded.timestamp,
  first_seen = excluded.first_seen, last_seen = excluded.last_seen, tags = excluded.tags,
  tlp = excluded.tlp, object_uuid = excluded.object_uuid, object_name = excluded.object_name,
  comment = excluded.comment, last_sighting = excluded.last_sighting,
  expiration_sighting = excluded.expiration_sighting, decayed = excluded.decayed,
  seen_run = excluded.seen_run,
  updated_at = CASE
    WHEN present = 1 AND event_id = excluded.event_id AND misp_id IS excluded.misp_id
      AND type = excluded.type AND category IS excluded.category
      AND raw_value = excluded.raw_value AND to_ids = excluded.to_ids
      AND deleted = excluded.deleted AND timestamp = excluded.timestamp
      AND first_seen IS excluded.first_seen AND last_seen IS excluded.last_seen
      AND tags = excluded.tags AND object_uuid IS excluded.object_uuid
      AND object_name IS excluded.object_name AND comment = excluded.comment
      AND last_sighting IS excluded.last_sighting
      AND expiration_sighting IS excluded.expiration_sighting AND decayed IS excluded.decayed
    THEN updated_at ELSE excluded.updated_at END`;

// MISP bumps an attribute's timestamp on every edit, so an equal timestamp (with the same value
// and flags, checked too for feeds that reuse timestamps) means nothing changed. Sightings and
// decay do not bump it, so they are compared too.
const TOUCH_ATTRIBUTE = `
UPDATE attribute SET seen_run = ?, present = 1,
  updated_at = CASE present WHEN 1 THEN updated_at ELSE ? END
WHERE source = ? AND uuid = ? AND timestamp = ? AND raw_value = ? AND to_ids = ?
  AND deleted = ? AND tags = ? AND event_id = ? AND last_sighting IS ?
  AND expiration_sighting IS ? AND decayed IS ?`;

// An edited value maps the attribute to another indicator: the row of the old one leaves.
const RETIRE_OTHER_INDICATORS = `
UPDATE attribute SET present = 0, updated_at = ?
WHERE source = ? AND uuid = ? AND present = 1
  AND indicator_id NOT IN (SELECT value FROM json_each(?))`;

const SAVE_SOURCE_STATE = `
INSERT INTO source_state (source, cursor, last_full_at, last_success_at)
VALUES (?, ?, CASE ? WHEN 1 THEN ? END, ?)
ON CONFLICT (source) DO UPDATE SET
  cursor = coalesce(excluded.cursor, cursor),
  last_full_at = coalesce(excluded.last_full_at, last_full_at),
  last_success_at = excluded.last_success_at`;

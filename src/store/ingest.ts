import type BetterSqlite3 from 'better-sqlite3';

import type { Indicator } from '../normalize/indicator.js';
import { tlpOfTags } from '../policy/tlp.js';
import type { SourceAttribute } from '../sources/source-attribute.js';
import { EventCache } from './event-cache.js';
import type { IngestStatements } from './ingest-statements.js';
import { attempt, guard, storeError } from './store-error.js';

/**
 * One run's writes from its sources, in one write transaction: all of it lands or none.
 *
 * @example
 * const ingest = await store.beginIngest(runId, Date.now());
 * for await (const page of source.pull({ mode: 'full' })) {
 *   for (const attribute of page) ingest.add('misp', attribute, indicatorsOf(attribute));
 * }
 * await ingest.finishSource('misp', { mode: 'full', cursor: maxTimestamp });
 * await ingest.commit();
 */
export interface Ingest {
  /**
   * Stores one attribute and the indicators its value gives. An empty `indicators` (the value
   * was rejected) stores nothing but retires the indicators the attribute gave before, so an
   * attribute edited to a bad value leaves the lists in incremental mode too.
   */
  add(source: string, attribute: SourceAttribute, indicators: readonly Indicator[]): void;
  /**
   * Ends one source's pull. `full`: every attribute of the source not added in this run is
   * marked gone. Both modes save the cursor (null keeps the previous one).
   */
  finishSource(source: string, end: SourceEnd): Promise<SourceIngestSummary>;
  commit(): Promise<void>;
  /** Leaves the store, cursors included, as it was before beginIngest. Safe to call twice. */
  rollback(): Promise<void>;
}

export interface SourceEnd {
  readonly mode: 'full' | 'incremental';
  /** Highest attribute timestamp (Unix seconds) of the pull, or null to keep the stored one. */
  readonly cursor: number | null;
}

/** Counts of one source's ingest, for the run summary. */
export interface SourceIngestSummary {
  /** add() calls. */
  readonly attributes: number;
  /** Attributes the source sent unchanged. */
  readonly unchanged: number;
  /** Attribute rows that left: unseen in a full pull, or replaced by an edited value. */
  readonly removed: number;
}

/**
 * Opens the write transaction (BEGIN IMMEDIATE: the write lock is taken now, not at the first
 * write, so a concurrent writer fails here and not halfway).
 *
 * @example
 * const ingest = beginSqliteIngest(database, statements, runId, Date.now(), () => {});
 */
export function beginSqliteIngest(
  database: BetterSqlite3.Database,
  statements: IngestStatements,
  runId: number,
  now: number,
  onClose: () => void,
): Ingest {
  // The ingest writes an event and an indicator before any attribute that points at them, so
  // the two foreign-key lookups SQLite would make per attribute (1.5 µs of about 12) check
  // nothing this code can get wrong. The pragma cannot change inside a transaction.
  guard('beginIngest', () => {
    database.pragma('foreign_keys = OFF');
    try {
      database.exec('BEGIN IMMEDIATE');
    } catch (err) {
      database.pragma('foreign_keys = ON');
      throw err;
    }
  });
  const restore = () => {
    database.pragma('foreign_keys = ON');
    onClose();
  };
  return new SqliteIngest(database, statements, runId, now, restore);
}

interface SourceProgress {
  /** No stored attribute when the run began: nothing to compare against or retire. */
  readonly isNew: boolean;
  attributes: number;
  unchanged: number;
  removed: number;
}

class SqliteIngest implements Ingest {
  readonly #database: BetterSqlite3.Database;
  readonly #statements: IngestStatements;
  readonly #runId: number;
  readonly #now: number;
  readonly #onClose: () => void;
  readonly #sources = new Map<string, SourceProgress>();
  readonly #events: EventCache;
  #isOpen = true;

  constructor(
    database: BetterSqlite3.Database,
    statements: IngestStatements,
    runId: number,
    now: number,
    onClose: () => void,
  ) {
    this.#database = database;
    this.#statements = statements;
    this.#runId = runId;
    this.#now = now;
    this.#onClose = onClose;
    this.#events = new EventCache(statements.upsertEvent, now);
  }

  add(source: string, attribute: SourceAttribute, indicators: readonly Indicator[]): void {
    this.#assertOpen('add');
    try {
      this.#add(source, attribute, indicators);
    } catch (err) {
      throw storeError('ingest', err);
    }
  }

  finishSource(source: string, end: SourceEnd): Promise<SourceIngestSummary> {
    return attempt('finishSource', () => {
      this.#assertOpen('finishSource');
      const progress = this.#progress(source);
      const { sweepUnseen, saveSourceState } = this.#statements;

      if (end.mode === 'full' && !progress.isNew) {
        progress.removed += sweepUnseen.run(this.#now, source, this.#runId).changes;
      }

      const isFull = end.mode === 'full' ? 1 : 0;
      saveSourceState.run(source, end.cursor, isFull, this.#now, this.#now);

      const { attributes, unchanged, removed } = progress;
      return { attributes, unchanged, removed };
    });
  }

  commit(): Promise<void> {
    return attempt('commit', () => {
      this.#assertOpen('commit');
      try {
        this.#database.exec('COMMIT');
      } catch (err) {
        this.#abandon();
        throw err;
      }
      this.#close();
    });
  }

  rollback(): Promise<void> {
    return attempt('rollback', () => {
      if (this.#isOpen) this.#abandon();
    });
  }

  #add(source: string, attribute: SourceAttribute, indicators: readonly Indicator[]): void {
    const progress = this.#progress(source);
    const eventId = this.#events.idOf(source, attribute.event);
    const tags = attribute.tags.length === 0 ? '[]' : JSON.stringify(attribute.tags);
    const { touchAttribute, upsertAttribute, retireOtherIndicators } = this.#statements;
    progress.attributes++;

    const toIds = attribute.toIds ? 1 : 0;
    const deleted = attribute.deleted ? 1 : 0;
    const lastSighting = attribute.lastSighting ?? null;
    const expirationSighting = attribute.expirationSighting ?? null;
    const decayed =
      attribute.decayed === undefined || attribute.decayed === null
        ? null
        : attribute.decayed
          ? 1
          : 0;
    if (!progress.isNew && indicators.length > 0) {
      const touched = touchAttribute.run(
        this.#runId,
        this.#now,
        source,
        attribute.uuid,
        attribute.timestamp,
        attribute.value,
        toIds,
        deleted,
        tags,
        eventId,
        lastSighting,
        expirationSighting,
        decayed,
      ).changes;
      if (touched === indicators.length) {
        progress.unchanged++;
        return;
      }
    }

    const tlp = tlpOfTags(attribute.tags);
    const ids: number[] = [];
    for (const indicator of indicators) {
      const indicatorId = this.#indicatorId(indicator);
      ids.push(indicatorId);
      upsertAttribute.run(
        source,
        attribute.uuid,
        indicatorId,
        eventId,
        attribute.id,
        attribute.type,
        attribute.category,
        attribute.value,
        toIds,
        deleted,
        attribute.timestamp,
        attribute.firstSeen,
        attribute.lastSeen,
        tags,
        tlp,
        attribute.objectUuid,
        attribute.objectName,
        attribute.comment,
        lastSighting,
        expirationSighting,
        decayed,
        this.#now,
        this.#now,
        this.#runId,
      );
    }

    if (!progress.isNew) {
      const idList = `[${ids.join(',')}]`;
      const retired = retireOtherIndicators.run(this.#now, source, attribute.uuid, idList);
      progress.removed += retired.changes;
    }
  }

  #indicatorId(indicator: Indicator): number {
    const { insertIndicator, selectIndicator, setSortKey } = this.#statements;
    const { kind, value, sortKey } = indicator;

    const inserted = insertIndicator.run(kind, value, sortKey, this.#now);
    if (inserted.changes === 1) return Number(inserted.lastInsertRowid);

    const known = selectIndicator.get(kind, value);
    if (known === undefined) throw new Error(`indicator ${kind} ${value} vanished mid-ingest`);

    // A newer normalizer may order values differently; the stored key follows it.
    const [id, storedSortKey] = known;
    if (storedSortKey !== sortKey) setSortKey.run(sortKey, id);
    return id;
  }

  #progress(source: string): SourceProgress {
    let progress = this.#sources.get(source);
    if (progress === undefined) {
      const hasAttributes = this.#statements.sourceHasAttributes.get(source) === 1;
      progress = { isNew: !hasAttributes, attributes: 0, unchanged: 0, removed: 0 };
      this.#sources.set(source, progress);
    }
    return progress;
  }

  #assertOpen(operation: string): void {
    if (!this.#isOpen) throw new Error(`ingest.${operation}() after commit or rollback`);
  }

  // SQLite may already have rolled back on its own (disk full, I/O error).
  #abandon(): void {
    try {
      if (this.#database.inTransaction) this.#database.exec('ROLLBACK');
    } finally {
      this.#close();
    }
  }

  #close(): void {
    this.#isOpen = false;
    this.#onClose();
  }
}

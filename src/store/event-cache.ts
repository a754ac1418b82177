import { tlpOfTags } from '../policy/tlp.js';
import type { SourceEvent } from '../sources/source-attribute.js';
import type { IngestStatements } from './ingest-statements.js';

interface CachedEvent {
  readonly source: string;
  readonly event: SourceEvent;
  readonly id: number;
}

/**
 * Event ids for one ingest. Every attribute carries its event, so the upsert runs once per
 * event (and again only when a later page describes the event differently), not once per
 * attribute.
 *
 * @example
 * const events = new EventCache(statements.upsertEvent, now);
 * const eventId = events.idOf('misp', attribute.event);
 */
export class EventCache {
  readonly #upsertEvent: IngestStatements['upsertEvent'];
  readonly #now: number;
  readonly #events = new Map<string, CachedEvent>();
  #last: CachedEvent | null = null;

  constructor(upsertEvent: IngestStatements['upsertEvent'], now: number) {
    this.#upsertEvent = upsertEvent;
    this.#now = now;
  }

  idOf(source: string, event: SourceEvent): number {
    const last = this.#last;
    if (last !== null && last.event === event && last.source === source) return last.id;

    const key = `${source}\n${event.uuid}`;
    const cached = this.#events.get(key);
    const id =
      cached !== undefined && isSameEvent(cached.event, event)
        ? cached.id
        : this.#upsert(source, event);

    const entry = { source, event, id };
    this.#events.set(key, entry);
    this.#last = entry;
    return id;
  }

  #upsert(source: string, event: SourceEvent): number {
    const published = event.published === null ? null : event.published ? 1 : 0;
    const id = this.#upsertEvent.get(
      source,
      event.uuid,
      event.id,
      event.info,
      event.orgName,
      event.threatLevel,
      JSON.stringify(event.tags),
      tlpOfTags(event.tags),
      event.timestamp,
      published,
      this.#now,
      this.#now,
    );
    if (id === undefined) throw new Error(`event ${event.uuid} upsert returned no id`);
    return id;
  }
}

// Sources may build one SourceEvent object per attribute (MISP repeats the event in each
// attribute of a restSearch answer), so equal content counts as the same event.
function isSameEvent(a: SourceEvent, b: SourceEvent): boolean {
  return (
    a.timestamp === b.timestamp &&
    a.info === b.info &&
    a.id === b.id &&
    a.orgName === b.orgName &&
    a.threatLevel === b.threatLevel &&
    a.published === b.published &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => tag === b.tags[i])
  );
}

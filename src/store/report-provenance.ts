import type BetterSqlite3 from 'better-sqlite3';

import type { IndicatorKind } from '../normalize/indicator.js';
import type { PolicyAttribute } from '../policy/tenant-selection.js';
import type { MonthReportQuery } from './report-queries.js';
import { parseTagList, storedFlag, storedTlp, type StoredEvent } from './stored-event.js';

/** One MISP event and how many of the month's indicators it gave the tenant. */
export interface EventContribution {
  readonly source: string;
  readonly uuid: string;
  readonly mispId: string | null;
  readonly info: string;
  readonly orgName: string | null;
  /** Indicators of the month the event gave the tenant. */
  readonly indicators: number;
}

type AttributeRow = [number, string, number, string, string | null, number, string | null];
type AttributeRowTail = [number, number, number | null, number | null, number | null];

/** Who gave the month's indicators to the tenant, and when MISP recorded each. */
export interface Provenance {
  readonly bySource: readonly { readonly source: string; readonly indicators: number }[];
  readonly withoutSource: number;
  readonly topEvents: readonly EventContribution[];
  /** Per indicator: MISP timestamp or first storage of its earliest attribute (ms). */
  readonly recordedAt: ReadonlyMap<number, number>;
}

/**
 * Reads the attributes of the indicators in temp.report_indicator with their events, and counts
 * per source and per event the indicators that the tenant's selection takes from them. An
 * attribute counts when the store had it before the month ended and the tenant's current
 * selection takes it, so another tenant's TLP:AMBER event or a TLP:RED one never shows.
 *
 * @example
 * readProvenance(database, query).topEvents[0]; // { info: 'Loader C2', indicators: 9, … }
 */
export function readProvenance(
  database: BetterSqlite3.Database,
  query: MonthReportQuery,
): Provenance {
  const events = new Map<number, StoredEvent & { readonly id: number }>();
  const eventRows = database
    .prepare<
      [],
      [
        number,
        string,
        string,
        string | null,
        string,
        string | null,
        number | null,
        string,
        string | null,
      ]
    >(
      `SELECT id, source, uuid, misp_id, info, org, threat_level, tags, tlp FROM event
       WHERE id IN (SELECT a.event_id FROM temp.report_indicator r
         JOIN attribute a ON a.indicator_id = r.indicator_id)`,
    )
    .raw(true);
  for (const [
    id,
    source,
    uuid,
    mispId,
    info,
    orgName,
    threatLevel,
    tags,
    tlp,
  ] of eventRows.iterate()) {
    const event = {
      id,
      source,
      uuid,
      mispId,
      info,
      orgName,
      threatLevel,
      tags: parseTagList(tags),
    };
    events.set(id, { ...event, tlp: storedTlp(tlp), timestamp: null, published: null });
  }

  const attributes = database
    .prepare<[], [...AttributeRow, ...AttributeRowTail]>(
      `SELECT r.indicator_id, i.kind, a.event_id, a.tags, a.tlp, a.to_ids, a.last_seen,
         a.timestamp, a.first_stored_at, a.last_sighting, a.expiration_sighting, a.decayed
       FROM temp.report_indicator r JOIN indicator i ON i.id = r.indicator_id
       JOIN attribute a ON a.indicator_id = r.indicator_id ORDER BY r.indicator_id`,
    )
    .raw(true);

  const sources = new Map<string, number>();
  const contributions = new Map<number, number>();
  const recordedAt = new Map<number, number>();
  let withSource = 0;
  let current = -1;
  const seenSources = new Set<string>();
  const seenEvents = new Set<number>();
  const flush = (): void => {
    if (seenSources.size > 0) withSource++;
    for (const source of seenSources) sources.set(source, (sources.get(source) ?? 0) + 1);
    for (const id of seenEvents) contributions.set(id, (contributions.get(id) ?? 0) + 1);
    seenSources.clear();
    seenEvents.clear();
  };

  for (const row of attributes.iterate()) {
    const [indicatorId, kind, eventId, tags, tlp, toIds, lastSeen, timestamp, storedAt] = row;
    if (indicatorId !== current) {
      flush();
      current = indicatorId;
    }
    const recorded = Math.min(timestamp * 1000, storedAt);
    recordedAt.set(indicatorId, Math.min(recordedAt.get(indicatorId) ?? recorded, recorded));

    const event = events.get(eventId);
    if (event === undefined || storedAt >= query.end) continue;
    const attribute: PolicyAttribute = {
      source: event.source,
      tags: parseTagList(tags),
      tlp: storedTlp(tlp),
      toIds: toIds === 1,
      timestamp,
      lastSeen,
      lastSighting: row[9],
      expirationSighting: row[10],
      decayed: storedFlag(row[11]),
      event,
    };
    if (!query.isSelected(attribute, kind as IndicatorKind)) continue;
    seenSources.add(event.source);
    seenEvents.add(eventId);
  }
  flush();

  const indicators = database.prepare('SELECT count(*) FROM temp.report_indicator').pluck();
  const total = indicators.get() as number;
  const topEvents = [...contributions]
    .sort(([a, x], [b, y]) => y - x || a - b)
    .slice(0, query.topEvents)
    .flatMap(([id, count]) => {
      const event = events.get(id);
      if (event === undefined) return [];
      const { source, uuid, mispId, info, orgName } = event;
      return [{ source, uuid, mispId, info, orgName, indicators: count }];
    });
  return {
    bySource: [...sources]
      .map(([source, count]) => ({ source, indicators: count }))
      .sort((a, b) => b.indicators - a.indicators || a.source.localeCompare(b.source)),
    withoutSource: total - withSource,
    topEvents,
    recordedAt,
  };
}

import type { ListEntry } from './renderer.js';

/**
 * The columns csv and json share, in their fixed order. Entries without provenance
 * (aggregated networks) keep every field, empty, so each row has the same shape.
 */
export interface EntryFields {
  readonly value: string;
  readonly kind: string;
  readonly eventUuid: string | null;
  readonly eventId: string | null;
  readonly eventInfo: string | null;
  readonly tags: readonly string[];
  readonly tlp: string | null;
  /** ISO 8601, UTC, seconds precision. */
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly sources: readonly string[];
}

/**
 * What a SOC reads next to one entry, flattened.
 *
 * @example
 * entryFields({ kind: 'ip', value: '192.0.2.1' }).firstSeen; // null
 */
export function entryFields(entry: ListEntry): EntryFields {
  const p = entry.provenance;
  return {
    value: entry.value,
    kind: entry.kind,
    eventUuid: p?.eventUuid ?? null,
    eventId: p?.eventId ?? null,
    eventInfo: p?.eventInfo ?? null,
    tags: p?.tags ?? [],
    tlp: p?.tlp ?? null,
    firstSeen: p === undefined ? null : isoSeconds(p.firstSeen),
    lastSeen: p === undefined ? null : isoSeconds(p.lastSeen),
    sources: p?.sources ?? [],
  };
}

/**
 * Unix seconds as ISO 8601 UTC without fractions, the form spreadsheets and SIEMs parse.
 *
 * @example
 * isoSeconds(1704164645); // '2024-01-02T03:04:05Z'
 */
export function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

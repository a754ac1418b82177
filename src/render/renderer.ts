import type { IndicatorKind } from '../normalize/indicator.js';
import type { Tlp } from '../policy/tlp.js';
import type { ListEntries } from './list-entries.js';

/** One entry of a list as a renderer sees it, in list order. */
export interface ListEntry {
  readonly kind: IndicatorKind;
  readonly value: string;
  /**
   * Where the entry comes from, for formats that carry it (csv, json, stix2, comments in
   * mikrotik). Absent on entries that stand for several indicators (aggregated networks).
   */
  readonly provenance?: EntryProvenance;
}

/** What a SOC wants to see next to an entry. */
export interface EntryProvenance {
  /** The newest MISP event that gave it. */
  readonly eventUuid: string;
  /** MISP event id; null from feeds. */
  readonly eventId: string | null;
  readonly eventInfo: string;
  /** Attribute and event tags, deduplicated, in order. */
  readonly tags: readonly string[];
  /** The most restrictive TLP that applies (listed entries are never red). */
  readonly tlp: Tlp | null;
  /** Unix seconds: when the indicator was first seen (MISP first_seen or first stored). */
  readonly firstSeen: number;
  /** Unix seconds: its newest activity (timestamp, last_seen, sighting). */
  readonly lastSeen: number;
  /** Source ids that gave it: `misp`, `feed:<name>`. */
  readonly sources: readonly string[];
}

/** Which list a rendering is for; some formats name it inside the file. */
export interface RenderContext {
  readonly tenant: string;
  readonly list: string;
  /**
   * Unix milliseconds the content is valid from. Renderers must not write it into the bytes
   * unless the format requires a date (stix2 `created`): an unchanged list must render to
   * unchanged bytes, so it can be left untouched.
   */
  readonly generatedAt: number;
  /**
   * Told once per list entry the format cannot carry and leaves out, with a short reason
   * (`ipv6`, `wildcard in url`), so the run can count them; see `renderList`.
   */
  readonly onLeftOut?: (reason: string, entry: ListEntry) => void;
}

/**
 * Turns a list's entries into the bytes a device loads. One renderer per device format; all
 * are deterministic (same entries, same bytes), so an unchanged list is never rewritten.
 */
export interface Renderer {
  readonly format: string;
  readonly contentType: string;
  /** Indicator kinds the format can carry; a list of other kinds is a config error. */
  readonly kinds: readonly IndicatorKind[];
  /**
   * Each list entry is written as exactly one entry of the file, none left out, merged or
   * split, so the file holds as many entries as the list: `renderList` counts them without
   * reading the file back (a million-line list would cost a second and tens of MB).
   */
  readonly isOneToOne?: boolean;
  /** The format writes `provenance` (event, tags, dates): the list builder fills it in. */
  readonly needsProvenance?: boolean;
  /** A problem with the set of kinds a list gives this format, beyond `kinds`; else null. */
  readonly kindsProblem?: (types: readonly IndicatorKind[]) => string | null;
  render(entries: ListEntries, context: RenderContext): string;
  /**
   * The bytes `render` gives, written straight into one buffer: for a one-to-one format of a
   * value per line, so a million-entry list is never built as text and then copied.
   */
  renderBytes?(entries: ListEntries, context: RenderContext): Buffer;
  /** The entry values a rendering holds, to compare with a list found on a target. */
  entriesOf(content: string): string[];
}

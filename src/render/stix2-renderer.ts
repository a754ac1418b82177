import { createHash } from 'node:crypto';
import { INDICATOR_KINDS } from '../normalize/indicator.js';
import { TLP_LEVELS, type Tlp } from '../policy/tlp.js';
import type { ListEntry, RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';
import { stixPattern } from './stix2-pattern.js';
import { tlpMarking } from './stix2-tlp-marking.js';
import { uuidV5 } from './uuid-v5.js';

/**
 * The UUIDv5 namespace of every id iocrelay writes into STIX. Fixed forever: changing it
 * would give every indicator a new id, and consumers would see all of them as new objects.
 */
export const IOCRELAY_STIX_NAMESPACE = '504c6ef8-7959-417e-ad1f-70b63adafa30';

/**
 * A STIX 2.1 bundle: the TLP 2.0 marking definitions the entries use, then one indicator per
 * entry, in list order, each with a single-comparison pattern (`pattern_type: stix`).
 *
 * Ids are UUIDv5 in {@link IOCRELAY_STIX_NAMESPACE}: an indicator's from its canonical value
 * (values of different kinds never coincide), so it keeps its id across runs and lists; the
 * bundle's from tenant, list and a hash of its objects. `created` and `valid_from` are the
 * first sighting, `modified` the newest activity (MISP first_seen / timestamp), never the wall
 * clock. An entry without provenance (an aggregated network) is dated by
 * `context.generatedAt`, the only date it has, which the renderer contract allows for stix2.
 * No `valid_until`: expiry is the list policy's job, and an entry leaves the list when it
 * expires, so any date written here would only be a guess. MISP tags become `labels`, the
 * event info the `description`, the event uuid an external reference.
 *
 * @example
 * stix2Renderer.render([{ kind: 'domain', value: 'evil.example' }], context);
 * // '{"type":"bundle","id":"bundle--…","objects":[{"type":"indicator",…}]}\n' (indented)
 */
export const stix2Renderer: Renderer = {
  format: 'stix2',
  contentType: 'application/stix+json;version=2.1',
  kinds: INDICATOR_KINDS,
  isOneToOne: true,
  needsProvenance: true,

  render(entries: ListEntries, context: RenderContext): string {
    const indicators = Array.from(entries, (entry) => stixIndicator(entry, context));
    const markings = usedTlps(entries).map(tlpMarking);
    const objects = [...markings, ...indicators];

    const digest = createHash('sha256').update(JSON.stringify(objects)).digest('hex');
    const id = uuidV5(IOCRELAY_STIX_NAMESPACE, `${context.tenant}/${context.list}/${digest}`);

    // STIX 2.1 bundles: `objects` is optional but, when present, holds at least one object.
    const bundle =
      objects.length === 0
        ? { type: 'bundle', id: `bundle--${id}` }
        : { type: 'bundle', id: `bundle--${id}`, objects };
    return `${JSON.stringify(bundle, null, 2)}\n`;
  },

  entriesOf(content: string): string[] {
    const bundle: unknown = JSON.parse(content);
    if (!isRecord(bundle) || !Array.isArray(bundle.objects)) return [];

    return (bundle.objects as unknown[]).flatMap((object) =>
      isRecord(object) && object.type === 'indicator' && typeof object.name === 'string'
        ? [object.name]
        : [],
    );
  },
};

/**
 * The indicator id of a canonical value, the same in every bundle.
 *
 * @example
 * stixIndicatorId('192.0.2.1'); // 'indicator--…' (UUIDv5)
 */
export function stixIndicatorId(value: string): string {
  return `indicator--${uuidV5(IOCRELAY_STIX_NAMESPACE, value)}`;
}

// Property order here is the output order: the common properties first, as the spec lists them.
function stixIndicator(entry: ListEntry, context: RenderContext): object {
  const p = entry.provenance;
  const first = p === undefined ? context.generatedAt : p.firstSeen * 1000;
  const last = p === undefined ? context.generatedAt : Math.max(p.lastSeen, p.firstSeen) * 1000;

  return {
    type: 'indicator',
    spec_version: '2.1',
    id: stixIndicatorId(entry.value),
    created: stixTimestamp(first),
    modified: stixTimestamp(last),
    name: entry.value,
    ...(p !== undefined && p.eventInfo !== '' ? { description: p.eventInfo } : {}),
    indicator_types: ['malicious-activity'],
    pattern: stixPattern(entry.kind, entry.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: stixTimestamp(first),
    ...(p !== undefined && p.tags.length > 0 ? { labels: p.tags } : {}),
    ...(p !== undefined
      ? { external_references: [{ source_name: 'misp', external_id: p.eventUuid }] }
      : {}),
    ...(p?.tlp != null ? { object_marking_refs: [tlpMarking(p.tlp).id] } : {}),
  };
}

function usedTlps(entries: ListEntries): Tlp[] {
  const used = new Set<Tlp>();
  for (const entry of entries) {
    const tlp = entry.provenance?.tlp;
    if (tlp != null) used.add(tlp);
  }
  return TLP_LEVELS.filter((tlp) => used.has(tlp));
}

// STIX 2.1 section 3.2: `created` and `modified` are UTC with millisecond precision.
function stixTimestamp(unixMilliseconds: number): string {
  return new Date(unixMilliseconds).toISOString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

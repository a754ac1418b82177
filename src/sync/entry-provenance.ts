import type { IndicatorKind } from '../normalize/indicator.js';
import {
  excludeAttribute,
  lastActivity,
  type TenantSelection,
} from '../policy/tenant-selection.js';
import { mostRestrictiveTlp, type Tlp } from '../policy/tlp.js';
import type { EntryProvenance } from '../render/renderer.js';
import type { CandidateAttribute } from '../store/list-candidates.js';

/**
 * The provenance a format writes next to an entry, from the attributes that put it on the
 * tenant's list (those the tenant's selection takes): the newest one's event, every tag, the
 * strictest TLP, the earliest first sighting and the newest activity.
 *
 * @example
 * provenanceOf('ip', candidate.attributes, selection, nowSeconds);
 */
export function provenanceOf(
  kind: IndicatorKind,
  attributes: readonly CandidateAttribute[],
  selection: TenantSelection,
  now: number,
): EntryProvenance | undefined {
  let newest: CandidateAttribute | undefined;
  let newestAt = -Infinity;
  let firstSeen = Infinity;
  let tlp: Tlp | null = null;
  const tags = new Set<string>();
  const sources = new Set<string>();

  for (const attribute of attributes) {
    if (excludeAttribute(attribute, kind, selection) !== null) continue;
    const activity = lastActivity(attribute, now);
    if (activity > newestAt) {
      newest = attribute;
      newestAt = activity;
    }
    firstSeen = Math.min(firstSeen, firstSeenOf(attribute));
    tlp = mostRestrictiveTlp(tlp, mostRestrictiveTlp(attribute.tlp, attribute.event.tlp));
    for (const tag of attribute.tags) tags.add(tag);
    for (const tag of attribute.event.tags) tags.add(tag);
    sources.add(attribute.source);
  }
  if (newest === undefined) return undefined;

  return {
    eventUuid: newest.event.uuid,
    eventId: newest.event.mispId,
    eventInfo: newest.event.info,
    tags: [...tags],
    tlp: tlp ?? selection.tlpDefault,
    firstSeen: Math.min(firstSeen, newestAt),
    lastSeen: newestAt,
    sources: [...sources],
  };
}

function firstSeenOf(attribute: CandidateAttribute): number {
  if (attribute.firstSeen !== null) {
    const ms = Date.parse(attribute.firstSeen);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  return attribute.timestamp;
}

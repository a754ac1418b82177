/**
 * TLP 2.0 levels (FIRST, https://www.first.org/tlp/), from the least to the most restrictive.
 * The order is the point: when one tag list carries several levels, the last one in this array
 * wins.
 */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

export type Tlp = (typeof TLP_LEVELS)[number];

// MISP's tlp taxonomy still carries TLP 1.0's `white`, which TLP 2.0 renamed to `clear`.
const TLP_BY_TAG: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  ['tlp:clear', 'clear'],
  ['tlp:white', 'clear'],
  ['tlp:green', 'green'],
  ['tlp:amber', 'amber'],
  ['tlp:amber+strict', 'amber+strict'],
  ['tlp:red', 'red'],
]);

const SHORTEST_TAG = 'tlp:red'.length;
const LONGEST_TAG = 'tlp:amber+strict'.length;

/**
 * The TLP that applies to an attribute: the most restrictive of its own TLP tag and its
 * event's. MISP lets an analyst mark one attribute more restrictively than the rest of its
 * event; a looser tag on an attribute of a TLP:RED event is far more often a slip than a
 * release, and a blocklist is no place to find out which. Tags are matched
 * case-insensitively; other tags are ignored. Null when neither carries one.
 *
 * @example
 * resolveTlp(['tlp:red'], ['tlp:green']); // 'red'
 * resolveTlp(['tlp:clear'], ['tlp:amber']); // 'amber'
 * resolveTlp([], ['TLP:WHITE']); // 'clear'
 */
export function resolveTlp(
  attributeTags: readonly string[],
  eventTags: readonly string[],
): Tlp | null {
  return mostRestrictiveTlp(tlpOfTags(attributeTags), tlpOfTags(eventTags));
}

/**
 * The more restrictive of two TLP levels; null only when both are.
 *
 * @example
 * mostRestrictiveTlp('green', 'amber'); // 'amber'
 */
export function mostRestrictiveTlp(a: Tlp | null, b: Tlp | null): Tlp | null {
  if (a === null) return b;
  if (b === null) return a;
  return TLP_LEVELS.indexOf(a) >= TLP_LEVELS.indexOf(b) ? a : b;
}

/**
 * The TLP one tag list carries on its own; the most restrictive when it carries several.
 *
 * @example
 * tlpOfTags(['tlp:green', 'tlp:amber', 'osint:source-type="blog-post"']); // 'amber'
 */
export function tlpOfTags(tags: readonly string[]): Tlp | null {
  let rank = -1;

  for (const tag of tags) {
    // The length test keeps the common case (no TLP tag) free of a lower-cased copy.
    if (tag.length < SHORTEST_TAG || tag.length > LONGEST_TAG) continue;

    const tlp = TLP_BY_TAG.get(tag.toLowerCase());
    if (tlp !== undefined) rank = Math.max(rank, TLP_LEVELS.indexOf(tlp));
  }

  return TLP_LEVELS[rank] ?? null;
}

/**
 * Whether `value` is one of the TLP level names (as stored, lower case).
 *
 * @example
 * isTlp('amber+strict'); // true
 */
export function isTlp(value: string): value is Tlp {
  return (TLP_LEVELS as readonly string[]).includes(value);
}

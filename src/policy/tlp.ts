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
 * The TLP that applies to an attribute: its own TLP tag wins over the event's, because MISP
 * lets an analyst mark one attribute more (or less) restrictively than the rest of its event.
 * Tags are matched case-insensitively; other tags are ignored. Null when neither carries one.
 *
 * @example
 * resolveTlp(['tlp:red'], ['tlp:green']); // 'red'
 * resolveTlp([], ['TLP:WHITE']); // 'clear'
 */
export function resolveTlp(
  attributeTags: readonly string[],
  eventTags: readonly string[],
): Tlp | null {
  return tlpOfTags(attributeTags) ?? tlpOfTags(eventTags);
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

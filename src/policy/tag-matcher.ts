/**
 * Tag patterns from the config, compiled once: exact names and `prefix*` patterns, matched
 * without regard to case (MISP tags are free text; `TLP:AMBER` and `tlp:amber` are one tag to
 * an analyst).
 *
 * @example
 * const matcher = new TagMatcher(['customer:*', 'tlp:green']);
 * matcher.firstMatch(['Customer:ACME'], []); // 'Customer:ACME'
 */
export class TagMatcher {
  readonly #exact: ReadonlySet<string>;
  readonly #prefixes: readonly string[];
  /** Tag lists are shared objects (one per event, cached per attribute), so this pays off. */
  readonly #lowered = new WeakMap<readonly string[], readonly string[]>();

  constructor(patterns: readonly string[]) {
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const pattern of patterns) {
      const lowered = pattern.toLowerCase();
      if (lowered.endsWith('*')) prefixes.push(lowered.slice(0, -1));
      else exact.add(lowered);
    }
    this.#exact = exact;
    this.#prefixes = prefixes;
  }

  get isEmpty(): boolean {
    return this.#exact.size === 0 && this.#prefixes.length === 0;
  }

  /** The first tag of either list matching any pattern, as written; null when none does. */
  firstMatch(attributeTags: readonly string[], eventTags: readonly string[]): string | null {
    if (this.isEmpty) return null;
    return this.#firstIn(attributeTags) ?? this.#firstIn(eventTags);
  }

  /**
   * The patterns no tag of either list matches (for `require`), as written in the config.
   *
   * @example
   * new TagMatcher(['a', 'b*']).unmatched(['A'], []); // ['b*']
   */
  unmatched(attributeTags: readonly string[], eventTags: readonly string[]): string[] {
    const tags = [...this.#lower(attributeTags), ...this.#lower(eventTags)];
    const missing: string[] = [];
    for (const name of this.#exact) if (!tags.includes(name)) missing.push(name);
    for (const prefix of this.#prefixes) {
      if (!tags.some((tag) => tag.startsWith(prefix))) missing.push(`${prefix}*`);
    }
    return missing;
  }

  #firstIn(tags: readonly string[]): string | null {
    const lowered = this.#lower(tags);
    for (let i = 0; i < lowered.length; i++) {
      const tag = lowered[i] as string;
      if (this.#exact.has(tag) || this.#prefixes.some((prefix) => tag.startsWith(prefix))) {
        return tags[i] as string;
      }
    }
    return null;
  }

  #lower(tags: readonly string[]): readonly string[] {
    if (tags.length === 0) return tags;
    let lowered = this.#lowered.get(tags);
    if (lowered === undefined) {
      lowered = tags.map((tag) => tag.toLowerCase());
      this.#lowered.set(tags, lowered);
    }
    return lowered;
  }
}

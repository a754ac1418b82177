/** A value computed at most once per `ttlMs`, shared by concurrent readers. */
export interface CachedValue<T> {
  get(): Promise<T>;
  /** The next get computes afresh (after a sync run changed the store). */
  clear(): void;
}

/**
 * Keeps the result of `compute` for `ttlMs`. A failed computation is not kept.
 *
 * @example
 * const counts = cachedValue(60_000, () => queries.indicatorCounts());
 * await counts.get();
 */
export function cachedValue<T>(
  ttlMs: number,
  compute: () => Promise<T>,
  clock: () => number = Date.now,
): CachedValue<T> {
  let held: { at: number; value: Promise<T> } | null = null;
  return {
    get() {
      const now = clock();
      if (held !== null && now - held.at < ttlMs) return held.value;

      const value = compute();
      const entry = { at: now, value };
      held = entry;
      value.catch(() => {
        if (held === entry) held = null;
      });
      return value;
    },
    clear() {
      held = null;
    },
  };
}

/** The verdict on a list that would lose entries between two publications. */
export interface ShrinkVerdict {
  readonly isHeld: boolean;
  /** Share of the previous entries the new list drops, 0 to 1. */
  readonly shrink: number;
}

/**
 * A list that would lose more than `maxShrink` of its entries in one run is held back: a
 * sudden loss is far more often a broken source or filter than a real mass expiry, and
 * publishing it would unblock a customer's threats. It counts entries removed, not the change
 * in size, so a list whose content is swapped for as many new entries is held too. `--force`
 * publishes it anyway.
 *
 * @example
 * checkShrink(1000, 600, 0.5, false); // { isHeld: true, shrink: 0.6 }
 */
export function checkShrink(
  previousEntries: number | null,
  removedEntries: number,
  maxShrink: number,
  isForced: boolean,
): ShrinkVerdict {
  if (previousEntries === null || previousEntries === 0 || removedEntries === 0) {
    return { isHeld: false, shrink: 0 };
  }

  const shrink = removedEntries / previousEntries;
  return { isHeld: !isForced && shrink > maxShrink, shrink };
}

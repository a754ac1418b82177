/** The verdict on a list that would shrink between two publications. */
export interface ShrinkVerdict {
  readonly isHeld: boolean;
  /** Share of the previous entries the new list drops, 0 to 1. */
  readonly shrink: number;
}

/**
 * A list that loses more than `maxShrink` of its entries in one run is held back: a sudden
 * drop is far more often a broken source or filter than a real mass expiry, and publishing it
 * would unblock a customer's threats. `--force` publishes it anyway.
 *
 * @example
 * checkShrink(1000, 400, 0.5, false); // { isHeld: true, shrink: 0.6 }
 */
export function checkShrink(
  previousEntries: number | null,
  nextEntries: number,
  maxShrink: number,
  isForced: boolean,
): ShrinkVerdict {
  if (previousEntries === null || previousEntries === 0 || nextEntries >= previousEntries) {
    return { isHeld: false, shrink: 0 };
  }

  const shrink = (previousEntries - nextEntries) / previousEntries;
  return { isHeld: !isForced && shrink > maxShrink, shrink };
}

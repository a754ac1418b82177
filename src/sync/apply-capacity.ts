import type { EntryList } from '../render/list-entries.js';

/** What capacity ranks an entry by. */
export interface EntryPriority {
  /** Newest activity of the indicator's attributes, Unix seconds. */
  readonly lastActivity: number;
  /** Most severe MISP threat level of its events, 1 high … 4 undefined. */
  readonly threatLevel: number;
  readonly id: number;
}

/**
 * Keeps the `max` entries a device can hold, in a documented, deterministic priority: the most
 * recently active indicators first (old indicators are the likeliest to be stale), then the
 * most severe threat level, then list order. The kept entries stay in list order.
 *
 * @example
 * applyCapacity(entries, priorities, 50_000); // { entries, indicatorIds }
 */
export function applyCapacity(
  entries: EntryList,
  priorities: readonly EntryPriority[],
  max: number,
): { entries: EntryList; indicatorIds: number[] } {
  const order = Array.from(priorities.keys());
  order.sort((a, b) => {
    const left = priorities[a] as EntryPriority;
    const right = priorities[b] as EntryPriority;
    return right.lastActivity - left.lastActivity || left.threatLevel - right.threatLevel || a - b;
  });

  const kept = order.slice(0, max).sort((a, b) => a - b);
  const ids = new Set<number>();
  const indicatorIds: number[] = [];
  for (const index of kept) {
    const id = (priorities[index] as EntryPriority).id;
    if (!ids.has(id)) {
      ids.add(id);
      indicatorIds.push(id);
    }
  }
  return { entries: entries.pick(kept), indicatorIds };
}

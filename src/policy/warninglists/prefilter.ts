import { CidrRanges } from './cidr-ranges.js';
import type { CompiledList } from './compile-list.js';
import type { Probe } from './probe.js';

/**
 * The union of every `cidr`, `hostname` and `string` list of a matcher, to tell in a few lookups
 * that none of them can cover an indicator. Most indicators are on no warninglist, and without
 * it each would be searched for in every list (15 `cidr` lists in misp-warninglists alone).
 * It may answer yes for an indicator no list covers (a name under a public suffix); the lists
 * themselves decide then.
 *
 * @example
 * const prefilter = new Prefilter(compiledLists);
 * prefilter.mayMatch(probeIndicator('ip', '203.0.113.9')); // false
 */
export class Prefilter {
  readonly #ranges: CidrRanges;
  /** Keys of `hostname` lists, which also cover names below them. */
  readonly #coveringKeys = new Set<string>();
  /** Keys of `hostname` and `string` lists. */
  readonly #exactKeys = new Set<string>();

  constructor(lists: readonly CompiledList[]) {
    const ranges: CidrRanges[] = [];
    for (const list of lists) {
      if (list.ranges !== null) ranges.push(list.ranges);
      if (list.index === null) continue;
      for (const key of list.index.keys()) {
        this.#exactKeys.add(key);
        if (list.index.isHostname) this.#coveringKeys.add(key);
      }
    }
    this.#ranges = CidrRanges.union(ranges);
  }

  /** False when no `cidr`, `hostname` or `string` list can cover the probed indicator. */
  mayMatch(probe: Probe): boolean {
    if (probe.ipv4Start >= 0 && this.#ranges.findIPv4(probe.ipv4Start, probe.ipv4End) !== null) {
      return true;
    }
    if (probe.ipv6 !== null && this.#ranges.findIPv6(probe.ipv6.start, probe.ipv6.end) !== null) {
      return true;
    }
    if (probe.names !== null) {
      for (const name of probe.names) if (this.#coveringKeys.has(name)) return true;
    }
    for (const key of probe.keys) if (this.#exactKeys.has(key)) return true;
    return false;
  }
}

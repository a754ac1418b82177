import {
  ipv4NetworkEnd,
  ipv6NetworkEnd,
  ipv6NetworkStart,
  parseIpOrCidr,
} from '../../normalize/cidr.js';
import type { ParsedIp } from '../../normalize/cidr.js';
import { scanIPv4 } from '../../normalize/ipv4.js';
import { ipv6ToBigInt } from '../../normalize/ipv6.js';
import { isRejection } from '../../normalize/rejection.js';

/**
 * Reads one entry of a `cidr` warninglist: an address or a CIDR of either family, host bits
 * cleared. Returns what is wrong with it as text when it is not one.
 *
 * DECISION: host bits are cleared (`192.0.2.5/24` covers 192.0.2.0/24) where MISP's CidrTool
 * keys the entry text as written and so never matches such an entry. Covering more is the safe
 * side for a list of values not to block. A `/0` is refused: it would keep every address of
 * that family off every list, which is never what a list of known-good ranges means.
 *
 * @example
 * parseCidrEntry('2001:DB8::/32'); // { family: 6, groups: …, prefix: 32 }
 * parseCidrEntry('192.0.2.300'); // 'not an IP address or CIDR (not a dotted quad …)'
 */
export function parseCidrEntry(entry: string): ParsedIp | string {
  const text = entry.trim();
  // Most entries of the large lists (public-dns-v4) are plain IPv4 addresses.
  const address = scanIPv4(text);
  if (address >= 0) return { family: 4, address, prefix: 32 };

  const parsed = parseIpOrCidr(text);
  if (!isRejection(parsed)) return parsed;
  if (parsed.reason === 'whole_address_space') {
    return 'a /0 entry would keep every address off the lists';
  }
  return `not an IP address or CIDR (${parsed.detail})`;
}

/**
 * Listed ranges as two sorted interval arrays, IPv4 on numbers and IPv6 on bigint, searched in
 * O(log n). Each range keeps the entry text it came from.
 *
 * A query range matches a listed range when the two overlap, not only when the listed range
 * holds it. MISP (CidrTool::contains) only matches a value inside a listed range, so a
 * blocklist entry 8.0.0.0/8 passes a warninglist holding 8.8.8.0/24; on a firewall that entry
 * would block the listed range too, which is exactly what the warninglist is there to stop.
 *
 * @example
 * const ranges = CidrRanges.fromEntries(['192.0.2.0/24']);
 * ranges.findIPv4(0xc0000207, 0xc0000207); // '192.0.2.0/24'
 */
export class CidrRanges {
  readonly #v4: SortedRanges<number>;
  readonly #v6: SortedRanges<bigint>;

  private constructor(v4: SortedRanges<number>, v6: SortedRanges<bigint>) {
    this.#v4 = v4;
    this.#v6 = v6;
  }

  /**
   * The ranges of one list's entries. An entry that `parseCidrEntry` refuses is skipped and
   * passed to `onRefused`; empty entries are skipped, as MISP does.
   */
  static fromEntries(
    entries: readonly string[],
    onRefused: (index: number, reason: string) => void = () => undefined,
  ): CidrRanges {
    const v4 = ipv4Builder();
    const v6 = ipv6Builder();

    entries.forEach((entry, index) => {
      const text = entry.trim();
      if (text === '') return;
      const parsed = parseCidrEntry(text);
      if (typeof parsed === 'string') onRefused(index, parsed);
      else if (parsed.family === 4) {
        v4.add(parsed.address, ipv4NetworkEnd(parsed.address, parsed.prefix), text);
      } else {
        const bits = ipv6ToBigInt(parsed.groups);
        const start = ipv6NetworkStart(bits, parsed.prefix);
        v6.add(start, ipv6NetworkEnd(bits, parsed.prefix), text);
      }
    });
    return new CidrRanges(v4.build(), v6.build());
  }

  /** Every range of several lists in one, to tell in one search whether any of them overlaps. */
  static union(all: readonly CidrRanges[]): CidrRanges {
    const v4 = ipv4Builder();
    const v6 = ipv6Builder();
    for (const ranges of all) {
      v4.addAll(ranges.#v4);
      v6.addAll(ranges.#v6);
    }
    return new CidrRanges(v4.build(), v6.build());
  }

  /** The entry of a listed IPv4 range that overlaps `[start, end]` (uint32), or null. */
  findIPv4(start: number, end: number): string | null {
    const { starts, maxEnds, entries } = this.#v4;

    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((starts[middle] as number) <= end) low = middle + 1;
      else high = middle;
    }
    const last = low - 1;
    if (last < 0 || (maxEnds[last] as number) < start) return null;

    low = 0;
    high = last;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((maxEnds[middle] as number) >= start) high = middle;
      else low = middle + 1;
    }
    return entries[low] ?? null;
  }

  /** The entry of a listed IPv6 range that overlaps `[start, end]` (128-bit), or null. */
  findIPv6(start: bigint, end: bigint): string | null {
    const { starts, maxEnds, entries } = this.#v6;

    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((starts[middle] as bigint) <= end) low = middle + 1;
      else high = middle;
    }
    const last = low - 1;
    if (last < 0 || (maxEnds[last] as bigint) < start) return null;

    low = 0;
    high = last;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((maxEnds[middle] as bigint) >= start) high = middle;
      else low = middle + 1;
    }
    return entries[low] ?? null;
  }
}

// How both searches find an overlap: the ranges that can overlap [start, end] are those that
// start at or before `end`; among them, the first whose running maximum end reaches `start` is
// itself an overlapping range, since the running maximum only grows where a range's own end
// sets it. The running maximum is what copes with nested and repeated ranges (public-dns-v4
// holds both). IPv4 and IPv6 have a search each so that neither mixes numbers and bigints.
interface SortedRanges<T extends number | bigint> {
  readonly starts: ArrayLike<T>;
  readonly ends: ArrayLike<T>;
  /** At each position, the largest end of that range and every range before it. */
  readonly maxEnds: ArrayLike<T>;
  readonly entries: readonly string[];
}

function ipv4Builder(): RangeBuilder<number> {
  return new RangeBuilder(
    (values: number[]) => Uint32Array.from(values),
    (a, b) => a - b,
  );
}

function ipv6Builder(): RangeBuilder<bigint> {
  return new RangeBuilder(
    (values: bigint[]) => values,
    (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  );
}

class RangeBuilder<T extends number | bigint> {
  readonly #pack: (values: T[]) => ArrayLike<T>;
  readonly #compare: (a: T, b: T) => number;
  readonly #starts: T[] = [];
  readonly #ends: T[] = [];
  readonly #entries: string[] = [];

  constructor(pack: (values: T[]) => ArrayLike<T>, compare: (a: T, b: T) => number) {
    this.#pack = pack;
    this.#compare = compare;
  }

  add(start: T, end: T, entry: string): void {
    this.#starts.push(start);
    this.#ends.push(end);
    this.#entries.push(entry);
  }

  addAll(ranges: SortedRanges<T>): void {
    for (let i = 0; i < ranges.starts.length; i++) {
      this.add(ranges.starts[i] as T, ranges.ends[i] as T, ranges.entries[i] as string);
    }
  }

  // Sorted by start; the sort is stable, so equal starts keep the order added (list order).
  build(): SortedRanges<T> {
    const compare = this.#compare;
    const order = Array.from(this.#starts.keys());
    order.sort((a, b) => compare(this.#starts[a] as T, this.#starts[b] as T));
    const starts = order.map((i) => this.#starts[i] as T);
    const ends = order.map((i) => this.#ends[i] as T);
    const maxEnds: T[] = [];
    ends.forEach((end, i) => {
      const previous = i === 0 ? end : (maxEnds[i - 1] as T);
      maxEnds.push(end > previous ? end : previous);
    });

    return {
      starts: this.#pack(starts),
      ends: this.#pack(ends),
      maxEnds: this.#pack(maxEnds),
      entries: order.map((i) => this.#entries[i] as string),
    };
  }
}

import type { IpSpan } from '../normalize/ip-span.js';

/** One span of an index and what it stands for. */
export interface IpSpanHit<T> {
  readonly span: IpSpan;
  readonly item: T;
}

/**
 * A set of CIDR spans answering "which of them overlap these addresses?" in O(log n + hits).
 *
 * The spans must be CIDR blocks (any two are nested or disjoint). Only the outermost spans are
 * kept: an inner one never changes whether, or which addresses, an indicator overlaps. What is
 * left is disjoint, so it sorts by start and end at once, and a binary search finds the first
 * span ending at or after the query. IPv4 spans are searched as plain numbers, so that looking
 * up an IPv4 address (most of a list) creates no bigint.
 *
 * @example
 * const index = new IpSpanIndex([{ span: ipSpan('198.51.100.0/28')!, item: 'allow.1' }]);
 * index.overlappingIPv4(3325256709, 3325256709); // [{ span: …, item: 'allow.1' }]
 */
export class IpSpanIndex<T> {
  readonly #ipv4Starts: Float64Array;
  readonly #ipv4Ends: Float64Array;
  readonly #ipv4Hits: readonly IpSpanHit<T>[];
  readonly #ipv6Starts: readonly bigint[];
  readonly #ipv6Ends: readonly bigint[];
  readonly #ipv6Hits: readonly IpSpanHit<T>[];

  /**
   * `hits` may come in any order; of two equal spans the first given is kept, so a caller puts
   * the hit it prefers to report first.
   */
  constructor(hits: readonly IpSpanHit<T>[], options: IpSpanIndexOptions = {}) {
    this.#ipv4Hits = outermostIPv4(hits.filter((hit) => hit.span.family === 4));
    this.#ipv4Starts = Float64Array.from(this.#ipv4Hits, (hit) => Number(hit.span.start));
    this.#ipv4Ends = Float64Array.from(this.#ipv4Hits, (hit) => Number(hit.span.end));

    // Built from the outermost IPv4 spans, already in order, so that each base adds one sorted
    // run, which the sort below merges in near-linear time.
    const embedded = (options.ipv4EmbeddingBases ?? []).flatMap((base) =>
      this.#ipv4Hits.map(({ span, item }) => ({
        span: { family: 6 as const, start: base + span.start, end: base + span.end },
        item,
      })),
    );
    const ipv6 = [...hits.filter((hit) => hit.span.family === 6), ...embedded];
    this.#ipv6Hits = outermostIPv6(ipv6);
    this.#ipv6Starts = this.#ipv6Hits.map((hit) => hit.span.start);
    this.#ipv6Ends = this.#ipv6Hits.map((hit) => hit.span.end);
  }

  /** Whether any IPv6 span is kept (embedded IPv4 ones included). */
  get hasIPv6(): boolean {
    return this.#ipv6Hits.length > 0;
  }

  /** Number of outermost spans kept, both families. */
  get size(): number {
    return this.#ipv4Hits.length + this.#ipv6Hits.length;
  }

  /**
   * The outermost spans overlapping the IPv4 addresses `start`–`end` (uint32), in address order.
   *
   * @example
   * index.overlappingIPv4(3221225984, 3221226239); // spans inside or around 192.0.2.0/24
   */
  overlappingIPv4(start: number, end: number): readonly IpSpanHit<T>[] {
    const ends = this.#ipv4Ends;
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((ends[middle] ?? 0) < start) low = middle + 1;
      else high = middle;
    }

    if (low === ends.length || (this.#ipv4Starts[low] ?? 0) > end) return NO_HITS;
    let last = low + 1;
    while (last < ends.length && (this.#ipv4Starts[last] ?? 0) <= end) last++;
    return this.#ipv4Hits.slice(low, last);
  }

  /**
   * The outermost spans overlapping the IPv6 addresses `start`–`end`, in address order.
   *
   * @example
   * index.overlappingIPv6(0x20010db8n << 96n, (0x20010db8n << 96n) + 255n);
   */
  overlappingIPv6(start: bigint, end: bigint): readonly IpSpanHit<T>[] {
    const ends = this.#ipv6Ends;
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((ends[middle] ?? 0n) < start) low = middle + 1;
      else high = middle;
    }

    if (low === ends.length || (this.#ipv6Starts[low] ?? 0n) > end) return NO_HITS;
    let last = low + 1;
    while (last < ends.length && (this.#ipv6Starts[last] ?? 0n) <= end) last++;
    return this.#ipv6Hits.slice(low, last);
  }
}

/** How an index is built. */
export interface IpSpanIndexOptions {
  /**
   * IPv6 prefixes (as the 128-bit value of their first address) under which every IPv4 span
   * is also indexed, in the last 32 bits: `0xffffn << 32n` for IPv4-mapped addresses.
   */
  readonly ipv4EmbeddingBases?: readonly bigint[];
}

const NO_HITS: readonly never[] = Object.freeze([]);

/**
 * Whether `hits` (disjoint, in address order) leave no address of `start`–`end` uncovered.
 *
 * @example
 * spansCover(index.overlappingIPv4(a, b), BigInt(a), BigInt(b));
 */
export function spansCover<T>(hits: readonly IpSpanHit<T>[], start: bigint, end: bigint): boolean {
  let next = start;
  for (const { span } of hits) {
    if (span.start > next) return false;
    if (span.end >= end) return true;
    next = span.end + 1n;
  }
  return false;
}

// IPv4 bounds fit in a double: sorting them as numbers keeps compiling a large allowlist quick,
// where bigint comparisons cost several times more.
function outermostIPv4<T>(hits: readonly IpSpanHit<T>[]): IpSpanHit<T>[] {
  const keyed = hits.map((hit) => ({
    hit,
    start: Number(hit.span.start),
    end: Number(hit.span.end),
  }));
  keyed.sort((a, b) => a.start - b.start || b.end - a.end);
  return outermostOfSorted(keyed.map(({ hit }) => hit));
}

function outermostIPv6<T>(hits: readonly IpSpanHit<T>[]): IpSpanHit<T>[] {
  const sorted = [...hits].sort(
    (a, b) => compare(a.span.start, b.span.start) || compare(b.span.end, a.span.end),
  );
  return outermostOfSorted(sorted);
}

// Sorted by start, then widest first, a span starting at or before the end of the last kept
// one lies inside it: CIDR blocks are nested or disjoint. Array sort is stable, so of two equal
// spans the one given first is kept.
function outermostOfSorted<T>(sorted: readonly IpSpanHit<T>[]): IpSpanHit<T>[] {
  const kept: IpSpanHit<T>[] = [];
  let lastEnd = -1n;
  for (const hit of sorted) {
    if (hit.span.start <= lastEnd) continue;
    kept.push(hit);
    lastEnd = hit.span.end;
  }
  return kept;
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

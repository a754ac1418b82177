import { formatIPv6, ipv6FromBigInt } from '../../normalize/ipv6.js';
import type { IpSpan } from '../../normalize/ip-span.js';
import { formatIPv4Cached } from './format-ipv4-cached.js';

const IPV4_LAST = 0xffffffff;
const IPV6_LAST = (1n << 128n) - 1n;

// 2^k for k = 0…32 as doubles: block sizes of the IPv4 path, which stays on plain numbers
// because every bigint step allocates, and an aggregation runs it for each of a million lines.
const POWERS_OF_TWO = Float64Array.from({ length: 33 }, (_, k) => 2 ** k);
const IPV4_SUFFIXES = Array.from({ length: 33 }, (_, hostBits) => `/${32 - hostBits}`);

/**
 * The fewest CIDRs that cover exactly the addresses `span.start` … `span.end` (both included),
 * in address order, written the way iocrelay stores them: a single address without `/32` or
 * `/128`. An empty range (`start > end`) gives `[]`. The split is the greedy one (largest
 * aligned block first), which is the only minimal split of a range.
 *
 * @example
 * rangeToCidrs({ family: 4, start: 3221225985n, end: 3221225990n });
 * // ['192.0.2.1', '192.0.2.2/31', '192.0.2.4/31', '192.0.2.6']
 */
export function rangeToCidrs(span: IpSpan): string[] {
  const last = span.family === 4 ? BigInt(IPV4_LAST) : IPV6_LAST;
  if (span.start < 0n || span.end > last) {
    throw new RangeError(`rangeToCidrs: ${span.start}-${span.end} is outside IPv${span.family}`);
  }

  const out: string[] = [];
  if (span.family === 4) pushIPv4RangeCidrs(Number(span.start), Number(span.end), out);
  else pushIPv6RangeCidrs(span.start, span.end, out);
  return out;
}

/**
 * Appends to `out` the fewest CIDRs covering IPv4 addresses `start` … `end` (uint32 numbers,
 * both included). The number-only path of `rangeToCidrs`, for callers holding uint32 values.
 *
 * @example
 * const out: string[] = [];
 * pushIPv4RangeCidrs(3221225984, 3221226239, out); // out = ['192.0.2.0/24']
 */
export function pushIPv4RangeCidrs(start: number, end: number, out: string[]): void {
  let address = start;

  while (address <= end) {
    if (address === end) {
      out.push(formatIPv4Cached(address));
      return;
    }

    // The block may not be larger than the alignment of its first address (its lowest set
    // bit; 0.0.0.0 is aligned on the whole space), nor than what is left of the range.
    let hostBits = address === 0 ? 32 : 31 - Math.clz32(address & -address);
    const remaining = end - address + 1;
    while ((POWERS_OF_TWO[hostBits] ?? 1) > remaining) hostBits--;

    const text = formatIPv4Cached(address);
    out.push(hostBits === 0 ? text : text + (IPV4_SUFFIXES[hostBits] ?? ''));
    address += POWERS_OF_TWO[hostBits] ?? 1;
  }
}

/**
 * Appends to `out` the fewest CIDRs covering IPv6 addresses `start` … `end` (128-bit bigints,
 * both included), RFC 5952 text.
 *
 * @example
 * const out: string[] = [];
 * pushIPv6RangeCidrs(0x20010db8n << 96n, (0x20010db8n << 96n) + 2n, out);
 * // out = ['2001:db8::/127', '2001:db8::2']
 */
export function pushIPv6RangeCidrs(start: bigint, end: bigint, out: string[]): void {
  let address = start;

  while (address <= end) {
    let hostBits = address === 0n ? 128 : trailingZeroBits(address);
    const remaining = end - address + 1n;
    while (1n << BigInt(hostBits) > remaining) hostBits--;

    const text = formatIPv6(ipv6FromBigInt(address));
    out.push(hostBits === 0 ? text : `${text}/${128 - hostBits}`);
    address += 1n << BigInt(hostBits);
  }
}

function trailingZeroBits(value: bigint): number {
  const lowestBit = value & -value;
  return lowestBit.toString(2).length - 1;
}

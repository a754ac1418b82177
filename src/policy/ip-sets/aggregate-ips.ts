import { ipv4NetworkStart, parseIpOrCidr } from '../../normalize/cidr.js';
import { scanIPv4 } from '../../normalize/ipv4.js';
import { ipSpan } from '../../normalize/ip-span.js';
import { isRejection } from '../../normalize/rejection.js';
import { radixSortUint32 } from './radix-sort-uint32.js';
import { pushIPv4RangeCidrs, pushIPv6RangeCidrs } from './range-to-cidrs.js';

// The IPv4 path stays on plain numbers and typed arrays: with bigint spans and a comparator
// sort, a straightforward version took 2.2 times as long as `iprange --optimize` on a million
// addresses (bench/aggregate-bench.ts).
// Single addresses, most of any large list, go to a Uint32Array sorted by radix. A network is
// packed into one double, `start * 64 + hostBits` (at most 2^38, exact), so networks sort with
// the native numeric sort of a Float64Array; equal starts put the smaller block first, and the
// merge keeps the larger end either way.
const KEY_FACTOR = 64;
const INITIAL_CAPACITY = 1024;
const POWERS_OF_TWO = Float64Array.from({ length: 33 }, (_, k) => 2 ** k);

interface Ipv6Range {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * The fewest CIDRs covering exactly the addresses of `values` (IPs and CIDRs of both families,
 * in any order, duplicates and overlaps allowed): IPv4 first in address order, then IPv6, a
 * single address written without `/32` or `/128`. For IPv4 the output is line for line what
 * `iprange --optimize` prints. Input is what the normalizer produces; anything `parseIpOrCidr`
 * refuses (a /0 included) throws, since a non-canonical value here means a bug upstream. The
 * output can still be `0.0.0.0/0` or `::/0` when the inputs add up to a whole family.
 *
 * @example
 * aggregateIps(['192.0.2.1', '192.0.2.0/31', '192.0.2.2/31', '2001:db8::1', '192.0.2.4']);
 * // ['192.0.2.0/30', '192.0.2.4', '2001:db8::1']
 */
export function aggregateIps(values: Iterable<string>): string[] {
  let hosts: Uint32Array = new Uint32Array(
    Array.isArray(values) ? values.length : INITIAL_CAPACITY,
  );
  let hostCount = 0;
  let networks: Float64Array = new Float64Array(INITIAL_CAPACITY);
  let networkCount = 0;
  const ipv6: Ipv6Range[] = [];

  for (const value of values) {
    const slash = ipv4SlashAt(value);
    const address = scanIPv4(value, 0, slash < 0 ? value.length : slash);
    if (address >= 0 && slash < 0) {
      if (hostCount === hosts.length) hosts = growHosts(hosts);
      hosts[hostCount++] = address;
      continue;
    }

    const prefix = address < 0 ? -1 : readIPv4Prefix(value, slash + 1);
    const key =
      prefix < 0
        ? addOther(value, ipv6)
        : ipv4NetworkStart(address, prefix) * KEY_FACTOR + (32 - prefix);
    if (key < 0) continue;
    if (networkCount === networks.length) networks = growNetworks(networks);
    networks[networkCount++] = key;
  }

  const out: string[] = [];
  const sortedHosts = radixSortUint32(hosts.subarray(0, hostCount));
  writeIPv4(sortedHosts, networks.subarray(0, networkCount).sort(), out);
  writeIPv6(ipv6, out);
  return out;
}

// Where the '/' of an IPv4 CIDR sits (its prefix has one or two digits), or -1. Looking at two
// fixed positions instead of searching the string keeps the common case, a plain address, to
// one scan. A value with a '/' elsewhere is not a canonical IPv4 CIDR; `addOther` reads it.
function ipv4SlashAt(value: string): number {
  const length = value.length;
  if (value.charCodeAt(length - 2) === 0x2f) return length - 2;
  if (value.charCodeAt(length - 3) === 0x2f) return length - 3;
  return -1;
}

// Reads 1–32 without sign or leading zero; -1 otherwise, so the full parser names the problem.
function readIPv4Prefix(text: string, from: number): number {
  const length = text.length - from;
  const first = text.charCodeAt(from) - 0x30;
  if (length === 1) return first >= 1 && first <= 9 ? first : -1;
  if (length !== 2 || first < 1 || first > 3) return -1;

  const second = text.charCodeAt(from + 1) - 0x30;
  if (second < 0 || second > 9) return -1;
  const prefix = first * 10 + second;
  return prefix <= 32 ? prefix : -1;
}

// The slow path: IPv6, and IPv4 spellings the fast path leaves to the full parser. Returns the
// IPv4 key, or -1 once an IPv6 range is added.
function addOther(value: string, ipv6: Ipv6Range[]): number {
  const span = ipSpan(value);
  if (span === null) {
    const parsed = parseIpOrCidr(value);
    const reason = isRejection(parsed) ? parsed.reason : 'unreadable';
    throw new TypeError(`aggregateIps: ${value} is not an IP or CIDR (${reason})`);
  }

  if (span.family === 6) {
    ipv6.push({ start: span.start, end: span.end });
    return -1;
  }
  const hostBits = (span.end - span.start + 1n).toString(2).length - 1;
  return Number(span.start) * KEY_FACTOR + hostBits;
}

function growHosts(hosts: Uint32Array): Uint32Array {
  const larger = new Uint32Array(Math.max(hosts.length * 2, INITIAL_CAPACITY));
  larger.set(hosts);
  return larger;
}

function growNetworks(networks: Float64Array): Float64Array {
  const larger = new Float64Array(networks.length * 2);
  larger.set(networks);
  return larger;
}

// Walks the sorted hosts and networks together in address order and writes each run of
// overlapping or adjacent blocks as its fewest CIDRs.
function writeIPv4(hosts: Uint32Array, networks: Float64Array, out: string[]): void {
  let h = 0;
  let n = 0;
  let runStart = -1;
  let runEnd = -2;

  while (h < hosts.length || n < networks.length) {
    const host = h < hosts.length ? (hosts[h] ?? 0) : Infinity;
    const key = n < networks.length ? (networks[n] ?? 0) : Infinity;
    let start = host;
    let end = host;
    if (host * KEY_FACTOR <= key) {
      h++;
    } else {
      const hostBits = key % KEY_FACTOR;
      start = (key - hostBits) / KEY_FACTOR;
      end = start + (POWERS_OF_TWO[hostBits] ?? 1) - 1;
      n++;
    }

    if (start <= runEnd + 1) {
      if (end > runEnd) runEnd = end;
      continue;
    }
    if (runStart >= 0) pushIPv4RangeCidrs(runStart, runEnd, out);
    runStart = start;
    runEnd = end;
  }

  if (runStart >= 0) pushIPv4RangeCidrs(runStart, runEnd, out);
}

function writeIPv6(ranges: Ipv6Range[], out: string[]): void {
  if (ranges.length === 0) return;
  ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));

  let runStart = ranges[0]?.start ?? 0n;
  let runEnd = ranges[0]?.end ?? 0n;
  for (const { start, end } of ranges) {
    if (start <= runEnd + 1n) {
      if (end > runEnd) runEnd = end;
      continue;
    }
    pushIPv6RangeCidrs(runStart, runEnd, out);
    runStart = start;
    runEnd = end;
  }

  pushIPv6RangeCidrs(runStart, runEnd, out);
}

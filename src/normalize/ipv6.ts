import { formatIPv4, scanIPv4 } from './ipv4.js';

// An IPv6 address is held as 8 groups of 16 bits in a Uint16Array: parsing fills it without
// bigint arithmetic, RFC 5952 formatting works group by group, and the hot path can reuse one
// array. Range math (CIDR ends, overlaps) converts to bigint with `ipv6ToBigInt`.

/**
 * Reads an IPv6 address from `text[start, end)` into `groups` (8 entries, overwritten).
 * Accepts `::` once, 1–4 hex digits per group in either case, and a dotted IPv4 tail in place
 * of the last two groups (`::ffff:192.0.2.1`). Refuses zone ids (`%eth0`: they name a local
 * interface and mean nothing on another host), brackets, more than 8 groups and bad hex.
 * Returns whether the text was valid; `groups` holds garbage when it was not.
 *
 * @example
 * const groups = new Uint16Array(8);
 * parseIPv6Into('2001:db8::1', groups); // true, groups = [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]
 */
export function parseIPv6Into(
  text: string,
  groups: Uint16Array,
  start = 0,
  end = text.length,
): boolean {
  let count = 0;
  let compressAt = -1;
  let i = start;

  if (end - start < 2) return false;
  if (text.charCodeAt(i) === 0x3a) {
    if (text.charCodeAt(i + 1) !== 0x3a) return false;
    compressAt = 0;
    i += 2;
  }

  while (i < end) {
    if (count === 8) return false;

    const groupStart = i;
    let value = 0;
    while (i < end && i - groupStart < 5) {
      const digit = hexValue(text.charCodeAt(i));
      if (digit < 0) break;
      value = value * 16 + digit;
      i++;
    }
    const length = i - groupStart;

    if (i < end && text.charCodeAt(i) === 0x2e) {
      // A dotted IPv4 tail ends the address and stands for the last two groups.
      const v4 = scanIPv4(text, groupStart, end);
      if (v4 < 0 || count > 6) return false;
      groups[count++] = Math.floor(v4 / 0x10000);
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (length === 0 || length > 4) return false;
    groups[count++] = value;

    if (i === end) break;
    if (text.charCodeAt(i) !== 0x3a) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 0x3a) {
      if (compressAt >= 0) return false;
      compressAt = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }

  if (compressAt < 0) return count === 8;
  // `::` stands for at least one zero group (RFC 4291 §2.2), so at most 7 are written out.
  if (count > 7) return false;
  const tail = count - compressAt;
  for (let k = 1; k <= tail; k++) groups[8 - k] = groups[count - k] ?? 0;
  for (let k = compressAt; k < 8 - tail; k++) groups[k] = 0;
  return true;
}

/**
 * Reads an IPv6 address into a new array; `null` when it is not one.
 *
 * @example
 * parseIPv6('2001:DB8::0:1'); // Uint16Array [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]
 */
export function parseIPv6(text: string): Uint16Array | null {
  const groups = new Uint16Array(8);
  return parseIPv6Into(text, groups) ? groups : null;
}

/**
 * Writes 8 groups per RFC 5952 §4: lowercase, no leading zeros, the longest run of two or more
 * zero groups shortened to `::` (the first one when runs tie). IPv4-mapped addresses keep the
 * dotted tail `::ffff:a.b.c.d`, as RFC 5952 §5 recommends; other embeddings are written in hex.
 *
 * @example
 * formatIPv6(parseIPv6('2001:0DB8:0:0:1:0:0:1')!); // '2001:db8::1:0:0:1'
 */
export function formatIPv6(groups: ArrayLike<number>): string {
  if (isIPv4Mapped(groups)) {
    return `::ffff:${formatIPv4(((groups[6] ?? 0) * 0x10000 + (groups[7] ?? 0)) >>> 0)}`;
  }

  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }

  if (bestStart < 0) return joinGroups(groups, 0, 8);
  return `${joinGroups(groups, 0, bestStart)}::${joinGroups(groups, bestStart + bestLength, 8)}`;
}

/**
 * The address as a 128-bit unsigned bigint, for range math.
 *
 * @example
 * ipv6ToBigInt(parseIPv6('::1')!); // 1n
 */
export function ipv6ToBigInt(groups: ArrayLike<number>): bigint {
  let value = 0n;
  for (let i = 0; i < 8; i++) value = (value << 16n) | BigInt(groups[i] ?? 0);
  return value;
}

/**
 * The 8 groups of a 128-bit unsigned bigint (bits above 128 are ignored).
 *
 * @example
 * formatIPv6(ipv6FromBigInt(1n)); // '::1'
 */
export function ipv6FromBigInt(value: bigint): Uint16Array {
  const groups = new Uint16Array(8);
  let rest = value;
  for (let i = 7; i >= 0; i--) {
    groups[i] = Number(rest & 0xffffn);
    rest >>= 16n;
  }
  return groups;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x57;
  return -1;
}

function isIPv4Mapped(groups: ArrayLike<number>): boolean {
  for (let i = 0; i < 5; i++) if (groups[i] !== 0) return false;
  return groups[5] === 0xffff;
}

function joinGroups(groups: ArrayLike<number>, from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) {
    if (i > from) text += ':';
    text += (groups[i] ?? 0).toString(16);
  }
  return text;
}

import { IPV4_LEADING_ZERO, scanIPv4 } from './ipv4.js';
import { parseIPv6Into } from './ipv6.js';
import { reject } from './rejection.js';
import type { Rejection } from './rejection.js';

// DECISION: a CIDR with host bits set (192.0.2.5/24) is masked to its network (192.0.2.0/24)
// instead of being refused. PAN-OS external dynamic lists and nftables interval sets load it
// that way, so the masked form is what the device would block anyway, and refusing would drop
// an indicator that analysts clearly meant. A /32 (IPv4) or /128 (IPv6) is written as the plain
// address, so `192.0.2.1/32` and `192.0.2.1` are one indicator. A /0 is refused: a blocklist
// entry that matches every address would cut a tenant off the Internet.

/**
 * An IP address or network, host bits already cleared. `prefix` is 32/128 for a single address.
 *
 * @example
 * { family: 4, address: 3221225984, prefix: 24 } // 192.0.2.0/24
 */
export type ParsedIp =
  | { readonly family: 4; readonly address: number; readonly prefix: number }
  | { readonly family: 6; readonly groups: Uint16Array; readonly prefix: number };

/**
 * Reads an address or a CIDR of either family. The family is IPv6 when the address part holds a
 * `:`. The prefix is decimal digits without sign or leading zero (`/08` and `/+8` are
 * `invalid_cidr`); an integer outside 0–32 / 0–128 is `prefix_out_of_range`.
 *
 * @example
 * parseIpOrCidr('192.0.2.5/24'); // { family: 4, address: 3221225984, prefix: 24 }
 * parseIpOrCidr('0.0.0.0/0'); // { ok: false, reason: 'whole_address_space', … }
 */
export function parseIpOrCidr(text: string): ParsedIp | Rejection {
  const slash = text.indexOf('/');
  const addressEnd = slash < 0 ? text.length : slash;
  const colon = text.indexOf(':');
  const isIPv6 = colon >= 0 && colon < addressEnd;

  if (isIPv6) {
    const groups = new Uint16Array(8);
    if (!parseIPv6Into(text, groups, 0, addressEnd)) return ipv6Rejection(text, addressEnd);

    const prefix = slash < 0 ? 128 : readPrefix(text, slash + 1, 128);
    if (typeof prefix !== 'number') return prefix;
    if (prefix === 0) return reject('whole_address_space', 'a /0 matches every IPv6 address');
    maskIPv6Groups(groups, prefix);
    return { family: 6, groups, prefix };
  }

  const address = scanIPv4(text, 0, addressEnd);
  if (address === IPV4_LEADING_ZERO) return reject('ipv4_leading_zero', LEADING_ZERO_DETAIL);
  if (address < 0) return reject('invalid_ipv4', 'not a dotted quad of octets 0-255');

  const prefix = slash < 0 ? 32 : readPrefix(text, slash + 1, 32);
  if (typeof prefix !== 'number') return prefix;
  if (prefix === 0) return reject('whole_address_space', 'a /0 matches every IPv4 address');
  return { family: 4, address: ipv4NetworkStart(address, prefix), prefix };
}

/**
 * Detail used wherever an octet with a leading zero is refused.
 *
 * @example
 * reject('ipv4_leading_zero', LEADING_ZERO_DETAIL);
 */
export const LEADING_ZERO_DETAIL = 'an octet has a leading zero (octal or decimal is ambiguous)';

/**
 * The rejection for text that `parseIPv6Into` refused, naming zone ids apart since they are the
 * one well-formed IPv6 spelling refused on purpose.
 *
 * @example
 * ipv6Rejection('fe80::1%eth0'); // { ok: false, reason: 'invalid_ipv6', detail: 'zone ids…' }
 */
export function ipv6Rejection(text: string, end = text.length): Rejection {
  const percent = text.indexOf('%');
  if (percent >= 0 && percent < end) {
    return reject('invalid_ipv6', 'zone ids (%eth0) name a local interface and are not allowed');
  }
  return reject('invalid_ipv6', 'not an IPv6 address');
}

/**
 * The netmask of an IPv4 prefix as a uint32.
 *
 * @example
 * ipv4Mask(24); // 0xffffff00
 */
export function ipv4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * First address of the IPv4 network holding `address` (uint32).
 *
 * @example
 * formatIPv4(ipv4NetworkStart(parseIPv4('192.0.2.77')!, 24)); // '192.0.2.0'
 */
export function ipv4NetworkStart(address: number, prefix: number): number {
  return (address & ipv4Mask(prefix)) >>> 0;
}

/**
 * Last address of the IPv4 network holding `address` (uint32), broadcast included.
 *
 * @example
 * formatIPv4(ipv4NetworkEnd(parseIPv4('192.0.2.77')!, 24)); // '192.0.2.255'
 */
export function ipv4NetworkEnd(address: number, prefix: number): number {
  return (address | ~ipv4Mask(prefix)) >>> 0;
}

/**
 * First address of the IPv6 network holding `address` (128-bit bigint).
 *
 * @example
 * ipv6NetworkStart(ipv6ToBigInt(parseIPv6('2001:db8::1')!), 32); // 0x20010db8n << 96n
 */
export function ipv6NetworkStart(address: bigint, prefix: number): bigint {
  return address & ~ipv6HostBits(prefix);
}

/**
 * Last address of the IPv6 network holding `address` (128-bit bigint).
 *
 * @example
 * formatIPv6(ipv6FromBigInt(ipv6NetworkEnd(0n, 126))); // '::3'
 */
export function ipv6NetworkEnd(address: bigint, prefix: number): bigint {
  return address | ipv6HostBits(prefix);
}

/**
 * Clears, in place, the bits of `groups` past `prefix`.
 *
 * @example
 * maskIPv6Groups(groups, 32); // 2001:db8:1::1 becomes 2001:db8::
 */
export function maskIPv6Groups(groups: Uint16Array, prefix: number): void {
  for (let i = 0; i < 8; i++) {
    const kept = prefix - i * 16;
    if (kept >= 16) continue;
    groups[i] = kept <= 0 ? 0 : (groups[i] ?? 0) & ((0xffff << (16 - kept)) & 0xffff);
  }
}

function ipv6HostBits(prefix: number): bigint {
  return (1n << BigInt(128 - prefix)) - 1n;
}

function readPrefix(text: string, start: number, maxPrefix: number): number | Rejection {
  if (start === text.length) return reject('invalid_cidr', 'nothing after the /');

  let value = 0;
  const sign = text.charCodeAt(start);
  const first = sign === 0x2d ? start + 1 : start;
  if (first === text.length) return reject('invalid_cidr', 'the prefix is not a number');
  for (let i = first; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return reject('invalid_cidr', 'the prefix is not a number');
    value = Math.min(value * 10 + (code - 0x30), 1000);
  }

  if (text.charCodeAt(first) === 0x30 && text.length - first > 1) {
    return reject('invalid_cidr', 'the prefix has a leading zero');
  }
  if (first !== start || value > maxPrefix) {
    return reject('prefix_out_of_range', `the prefix must be 0-${maxPrefix}`);
  }
  return value;
}

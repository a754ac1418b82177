import { parseIpOrCidr } from './cidr.js';
import type { ParsedIp } from './cidr.js';
import type { Indicator } from './indicator.js';
import { formatIPv4, scanIPv4 } from './ipv4.js';
import { formatIPv6 } from './ipv6.js';
import { reject } from './rejection.js';
import type { Rejection } from './rejection.js';

/**
 * Turns an already refanged IPv4/IPv6 address, or a CIDR when `allowCidr`, into an `ip`
 * indicator in canonical form. A plain IPv4 address (most values of a sync) takes a fast path:
 * one scan, no intermediate object, and the text itself is the canonical form since the strict
 * scan only accepts canonical quads.
 *
 * @example
 * normalizeIp('192.0.2.5/24', true);
 * // { kind: 'ip', value: '192.0.2.0/24', sortKey: '4c000020024' }
 */
export function normalizeIp(text: string, allowCidr: boolean): Indicator | Rejection {
  const address = scanIPv4(text);
  if (address >= 0) return { kind: 'ip', value: text, sortKey: ipv4SortKey(address, 32) };

  if (!allowCidr && text.includes('/')) {
    return reject('invalid_cidr', 'an address is expected here, not a CIDR');
  }

  const parsed = parseIpOrCidr(text);
  if ('ok' in parsed) return parsed;

  const ip = unmapIPv4(parsed);
  if (ip.family === 4 && ip.prefix === 0) {
    return reject('whole_address_space', 'a /0 matches every IPv4 address');
  }
  return { kind: 'ip', value: formatIp(ip), sortKey: ipSortKey(ip) };
}

/**
 * An IPv4-mapped address or network (inside `::ffff:0:0/96`, RFC 4291 §2.5.5.2) as the IPv4
 * one it stands for; anything else as it is. A mapped address only ever carries IPv4 traffic:
 * a socket sees an IPv4 peer that way, but on the wire, and in a firewall's IPv6 set, nothing
 * matches it, so `::ffff:203.0.113.9` is listed as `203.0.113.9`. IPv4-compatible (`::a.b.c.d`),
 * IPv4-translated (`::ffff:0:a.b.c.d`) and NAT64 (`64:ff9b::/96`) forms stay IPv6: real
 * IPv6 packets can carry them.
 *
 * @example
 * formatIp(unmapIPv4(parseIpOrCidr('::ffff:203.0.113.0/120') as ParsedIp)); // '203.0.113.0/24'
 */
export function unmapIPv4(parsed: ParsedIp): ParsedIp {
  if (parsed.family === 4 || parsed.prefix < 96) return parsed;

  const g = parsed.groups;
  for (let i = 0; i < 5; i++) if (g[i] !== 0) return parsed;
  if (g[5] !== 0xffff) return parsed;

  const address = ((g[6] ?? 0) * 0x10000 + (g[7] ?? 0)) >>> 0;
  return { family: 4, address, prefix: parsed.prefix - 96 };
}

/**
 * Canonical text of an address or network: RFC 5952 for IPv6, no `/32` or `/128` for hosts.
 *
 * @example
 * formatIp({ family: 6, groups: parseIPv6('2001:db8::')!, prefix: 32 }); // '2001:db8::/32'
 */
export function formatIp(parsed: ParsedIp): string {
  if (parsed.family === 4) {
    const text = formatIPv4(parsed.address);
    return parsed.prefix === 32 ? text : `${text}/${parsed.prefix}`;
  }
  const text = formatIPv6(parsed.groups);
  return parsed.prefix === 128 ? text : `${text}/${parsed.prefix}`;
}

/**
 * Sort key whose code-unit order is family, then address, then prefix length: `4` + 8 hex
 * digits + 2-digit prefix for IPv4, `6` + 32 hex digits + 3-digit prefix for IPv6.
 *
 * @example
 * ipSortKey({ family: 4, address: 3221225984, prefix: 24 }); // '4c000020024'
 */
export function ipSortKey(parsed: ParsedIp): string {
  if (parsed.family === 4) return ipv4SortKey(parsed.address, parsed.prefix);

  let key = '6';
  for (let i = 0; i < 8; i++) key += (parsed.groups[i] ?? 0).toString(16).padStart(4, '0');
  return key + String(parsed.prefix).padStart(3, '0');
}

function ipv4SortKey(address: number, prefix: number): string {
  return `4${address.toString(16).padStart(8, '0')}${prefix < 10 ? '0' : ''}${prefix}`;
}

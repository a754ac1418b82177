import {
  ipv4NetworkEnd,
  ipv4NetworkStart,
  ipv6NetworkEnd,
  ipv6NetworkStart,
  parseIpOrCidr,
} from '../normalize/cidr.js';
import { ipv6ToBigInt } from '../normalize/ipv6.js';
import { isRejection } from '../normalize/rejection.js';

/**
 * Address space no blocklist may touch, always on: blocking any of it cuts a customer off from
 * its own network, its loopback or the routing plumbing. IPv4 from RFC 6890 and RFC 6598;
 * IPv6 from RFC 4291 and RFC 4193, with the IPv4-mapped forms of the IPv4 ranges.
 */
export const PROTECTED_RANGES: readonly string[] = [
  '0.0.0.0/8', // "this network", RFC 791; holds 0.0.0.0
  '10.0.0.0/8', // private, RFC 1918
  '100.64.0.0/10', // shared address space, RFC 6598
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local
  '172.16.0.0/12', // private, RFC 1918
  '192.168.0.0/16', // private, RFC 1918
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
  '::/128', // unspecified
  '::1/128', // loopback
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'ff00::/8', // multicast
  ...[
    '0.0.0.0/8',
    '10.0.0.0/8',
    '100.64.0.0/10',
    '127.0.0.0/8',
    '169.254.0.0/16',
    '172.16.0.0/12',
    '192.168.0.0/16',
    '224.0.0.0/4',
    '240.0.0.0/4',
  ].map(ipv4MappedRange),
];

interface Span<T> {
  readonly range: string;
  readonly start: T;
  readonly end: T;
}

// IPv4 spans as plain numbers: the list builder asks this for every IP, and bigint arithmetic
// would cost a microsecond a value on a million-entry list.
const IPV4_SPANS: Span<number>[] = [];
const IPV6_SPANS: Span<bigint>[] = [];
for (const range of PROTECTED_RANGES) {
  const parsed = parseIpOrCidr(range);
  if (isRejection(parsed)) throw new Error(`bad protected range ${range}`);
  if (parsed.family === 4) IPV4_SPANS.push({ range, ...ipv4Span(parsed.address, parsed.prefix) });
  else IPV6_SPANS.push({ range, ...ipv6Span(parsed.groups, parsed.prefix) });
}

/**
 * The protected range an IP or CIDR overlaps, or null. A CIDR that merely contains a
 * protected range overlaps it too (8.0.0.0/5 holds 10.0.0.0/8) and is refused whole; issue #3
 * replaces that with CIDR subtraction.
 *
 * @example
 * protectedRangeOf('10.1.2.3'); // '10.0.0.0/8'
 * protectedRangeOf('198.51.100.7'); // null
 */
export function protectedRangeOf(value: string): string | null {
  const parsed = parseIpOrCidr(value);
  if (isRejection(parsed)) return null;

  if (parsed.family === 4) {
    const span = ipv4Span(parsed.address, parsed.prefix);
    return IPV4_SPANS.find((p) => p.start <= span.end && span.start <= p.end)?.range ?? null;
  }
  const span = ipv6Span(parsed.groups, parsed.prefix);
  return IPV6_SPANS.find((p) => p.start <= span.end && span.start <= p.end)?.range ?? null;
}

function ipv4Span(address: number, prefix: number): { start: number; end: number } {
  return { start: ipv4NetworkStart(address, prefix), end: ipv4NetworkEnd(address, prefix) };
}

function ipv6Span(groups: Uint16Array, prefix: number): { start: bigint; end: bigint } {
  const address = ipv6ToBigInt(groups);
  return { start: ipv6NetworkStart(address, prefix), end: ipv6NetworkEnd(address, prefix) };
}

function ipv4MappedRange(range: string): string {
  const [address, prefix] = range.split('/');
  return `::ffff:${address}/${96 + Number(prefix)}`;
}

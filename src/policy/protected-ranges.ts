import {
  ipv4NetworkEnd,
  ipv4NetworkStart,
  ipv6NetworkEnd,
  ipv6NetworkStart,
  parseIpOrCidr,
} from '../normalize/cidr.js';
import { formatIp } from '../normalize/normalize-ip.js';
import { ipv6ToBigInt } from '../normalize/ipv6.js';
import { isRejection } from '../normalize/rejection.js';

const IPV4_PROTECTED = [
  '0.0.0.0/8', // "this network", RFC 791; holds 0.0.0.0
  '10.0.0.0/8', // private, RFC 1918
  '100.64.0.0/10', // shared address space, RFC 6598
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local
  '172.16.0.0/12', // private, RFC 1918
  '192.168.0.0/16', // private, RFC 1918
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
];

// IPv6 forms that carry an IPv4 address in their last 32 bits, so an IPv4 range is protected
// in each of them too: IPv4-mapped (RFC 4291 §2.5.5.2), IPv4-compatible (deprecated, §2.5.5.1),
// IPv4-translated (SIIT, RFC 2765) and the NAT64 well-known prefix (RFC 6052). 6to4
// (2002::/16, RFC 3056) carries it in bits 16 to 47 instead.
const IPV4_EMBEDDING_PREFIXES = ['::ffff:', '::', '::ffff:0:', '64:ff9b::'];

/**
 * Address space no blocklist may touch, always on: blocking any of it cuts a customer off from
 * its own network, its loopback or the routing plumbing. The IPv4 ranges of the special-purpose
 * registry (RFC 6890) that a network uses inside, and the IPv6 equivalents (RFC 4291, RFC 4193),
 * with the IPv6 forms that embed the IPv4 ones.
 */
export const PROTECTED_RANGES: readonly string[] = [
  ...IPV4_PROTECTED,
  '::/128', // unspecified
  '::1/128', // loopback
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'ff00::/8', // multicast
  ...IPV4_EMBEDDING_PREFIXES.flatMap((prefix) =>
    IPV4_PROTECTED.map((range) => embeddedRange(prefix, range)),
  ),
  ...IPV4_PROTECTED.map(sixToFourRange),
];

/** Special-use names (RFC 6761) that resolve to the host itself. */
const LOCAL_NAMES = ['localhost', 'localhost.localdomain'];

/**
 * The special-use name a domain falls under (`localhost`, any name under it, and
 * `localhost.localdomain`), or null. A DNS block of them breaks software on the device itself.
 *
 * @example
 * protectedNameOf('app.localhost'); // 'localhost'
 */
export function protectedNameOf(domain: string): string | null {
  for (const name of LOCAL_NAMES) {
    if (domain === name || domain.endsWith(`.${name}`)) return name;
  }
  return null;
}

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

// The first 16 bits of every protected IPv6 span, as [first, last] pairs. A network whose
// first 16 bits meet none of them overlaps no span, which spares most IPv6 values (global
// unicast, 2000::/3) the bigint arithmetic: it was half the policy's time on IPv6 lists.
const IPV6_FIRST_GROUPS: readonly (readonly [number, number])[] = IPV6_SPANS.map((span) => [
  Number(span.start >> 112n),
  Number(span.end >> 112n),
]);

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
  if (!meetsProtectedFirstGroup(parsed.groups, parsed.prefix)) return null;
  const span = ipv6Span(parsed.groups, parsed.prefix);
  return IPV6_SPANS.find((p) => p.start <= span.end && span.start <= p.end)?.range ?? null;
}

function meetsProtectedFirstGroup(groups: Uint16Array, prefix: number): boolean {
  const hostBits = 16 - Math.min(prefix, 16);
  const first = ((groups[0] ?? 0) >>> hostBits) << hostBits;
  const last = first + (1 << hostBits) - 1;
  return IPV6_FIRST_GROUPS.some(([start, end]) => start <= last && first <= end);
}

function ipv4Span(address: number, prefix: number): { start: number; end: number } {
  return { start: ipv4NetworkStart(address, prefix), end: ipv4NetworkEnd(address, prefix) };
}

function ipv6Span(groups: Uint16Array, prefix: number): { start: bigint; end: bigint } {
  const address = ipv6ToBigInt(groups);
  return { start: ipv6NetworkStart(address, prefix), end: ipv6NetworkEnd(address, prefix) };
}

function sixToFourRange(range: string): string {
  const [address = '', length] = range.split('/');
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
  const parsed = parseIpOrCidr(`2002:${hex(a, b)}:${hex(c, d)}::/${16 + Number(length)}`);
  if (isRejection(parsed)) throw new Error(`bad 6to4 form of ${range}`);
  return formatIp(parsed);
}

function embeddedRange(prefix: string, range: string): string {
  const [address, length] = range.split('/');
  return `${prefix}${address}/${96 + Number(length)}`;
}

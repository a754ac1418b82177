import { ipv4NetworkEnd, parseIpOrCidr } from '../normalize/cidr.js';
import { formatIPv4 } from '../normalize/ipv4.js';
import { isRejection } from '../normalize/rejection.js';

/** The first and last address of a canonical IPv4 address or CIDR, as dotted quads. */
export interface IPv4Bounds {
  readonly first: string;
  readonly last: string;
  /** How many addresses it covers: 1 for a plain address. */
  readonly size: number;
  /** uint32 of `first`, to walk the addresses. */
  readonly start: number;
}

/**
 * A domain entry without its leading `*.` wildcard label, if it has one.
 *
 * @example
 * bareDomain('*.evil.example'); // 'evil.example'
 * bareDomain('evil.example'); // 'evil.example'
 */
export function bareDomain(domain: string): string {
  return domain.startsWith('*.') ? domain.slice(2) : domain;
}

/**
 * Whether a canonical IP entry is IPv6 (address or CIDR): only IPv6 holds a `:`.
 *
 * @example
 * isIPv6Entry('2001:db8::/32'); // true
 */
export function isIPv6Entry(value: string): boolean {
  return value.includes(':');
}

/**
 * Bounds of a canonical IPv4 address or CIDR; null for IPv6 or anything unreadable.
 *
 * @example
 * ipv4Bounds('198.51.100.0/30'); // { first: '198.51.100.0', last: '198.51.100.3', size: 4, … }
 */
export function ipv4Bounds(value: string): IPv4Bounds | null {
  const parsed = parseIpOrCidr(value);
  if (isRejection(parsed) || parsed.family !== 4) return null;

  const end = ipv4NetworkEnd(parsed.address, parsed.prefix);
  return {
    first: formatIPv4(parsed.address),
    last: formatIPv4(end),
    size: end - parsed.address + 1,
    start: parsed.address,
  };
}

/**
 * Every address of an IPv4 span, as dotted quads, in order.
 *
 * @example
 * [...ipv4Addresses(ipv4Bounds('192.0.2.0/31')!)]; // ['192.0.2.0', '192.0.2.1']
 */
export function* ipv4Addresses(bounds: IPv4Bounds): Generator<string> {
  for (let i = 0; i < bounds.size; i++) yield formatIPv4((bounds.start + i) >>> 0);
}

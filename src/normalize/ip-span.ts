import {
  ipv4NetworkEnd,
  ipv4NetworkStart,
  ipv6NetworkEnd,
  ipv6NetworkStart,
  parseIpOrCidr,
} from './cidr.js';
import { ipv6ToBigInt } from './ipv6.js';
import { isRejection } from './rejection.js';

/** The first and last address an IP or CIDR covers, in one family. */
export interface IpSpan {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * The addresses a canonical IP or CIDR covers, or null for anything else.
 *
 * @example
 * ipSpan('198.51.100.0/28'); // { family: 4, start: 3325256704n, end: 3325256719n }
 */
export function ipSpan(value: string): IpSpan | null {
  const parsed = parseIpOrCidr(value);
  if (isRejection(parsed)) return null;

  if (parsed.family === 4) {
    const start = ipv4NetworkStart(parsed.address, parsed.prefix);
    return {
      family: 4,
      start: BigInt(start),
      end: BigInt(ipv4NetworkEnd(parsed.address, parsed.prefix)),
    };
  }
  const address = ipv6ToBigInt(parsed.groups);
  return {
    family: 6,
    start: ipv6NetworkStart(address, parsed.prefix),
    end: ipv6NetworkEnd(address, parsed.prefix),
  };
}

/**
 * Whether every address of `inner` is in `outer`.
 *
 * @example
 * spanCovers(ipSpan('198.51.100.0/28')!, ipSpan('198.51.100.5')!); // true
 */
export function spanCovers(outer: IpSpan, inner: IpSpan): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

import type { IpSpan } from '../normalize/ip-span.js';

// IPv6 forms of an IPv4 address, as in protected-ranges.ts: IPv4-mapped (RFC 4291 §2.5.5.2),
// IPv4-compatible (§2.5.5.1) and the NAT64 well-known prefix (RFC 6052). Blocking
// 64:ff9b::192.0.2.10 cuts IPv6-only clients off an allowlisted 192.0.2.10 just the same.
export const IPV4_EMBEDDING_BASES: readonly bigint[] = [
  0n,
  0xffffn << 32n,
  0xffffn << 48n, // IPv4-translated ::ffff:0:0/96 (SIIT, RFC 2765)
  0x64ff9bn << 96n,
];

/**
 * The IPv4 span an IPv6 span stands for when it lies inside one embedding prefix; null
 * otherwise. An allowlist entry written as ::ffff:192.0.2.10 means 192.0.2.10 too.
 *
 * @example
 * embeddedIpv4Span(ipSpan('::ffff:192.0.2.10')!); // { family: 4, start: 3221225994n, end: 3221225994n }
 */
export function embeddedIpv4Span(span: IpSpan): IpSpan | null {
  if (span.family !== 6) return null;
  for (const base of IPV4_EMBEDDING_BASES) {
    const last = base + 0xffffffffn;
    if (span.start >= base && span.end <= last) {
      return { family: 4, start: span.start - base, end: span.end - base };
    }
  }
  return null;
}

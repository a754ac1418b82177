import type { IpSpan } from '../normalize/ip-span.js';
import { entrySpan, type AllowlistEntry } from './allowlist-entry.js';
import { IPV4_EMBEDDING_BASES } from './ipv4-embedding.js';

/** Widest IPv4 network a runtime entry may name: a /8 (16,777,216 addresses). */
export const MAX_RUNTIME_IPV4_ADDRESSES = 1n << 24n;
/** Widest IPv6 network a runtime entry may name: a /32, a whole provider allocation. */
export const MAX_RUNTIME_IPV6_ADDRESSES = 1n << 96n;

/**
 * Why a runtime allowlist entry is too wide to be added without review, or null when it is
 * narrow enough. IPv4 space written in IPv6 (::ffff:0:0/96, 64:ff9b::/96…) is held to the
 * IPv4 limit: an IPv6 /32 such as 64:ff9b::/32 holds all IPv4 through NAT64.
 *
 * DECISION: allowlist removals bypass the shrink guard, so two runtime /1 entries would empty
 * every IP list at the next sync. Wider exceptions belong in the reviewed configuration file.
 *
 * @example
 * runtimeEntryTooWide({ path: 'value', kind: 'ip', value: '128.0.0.0/1' });
 * // { family: 4, addresses: '2147483648', limit: '/8' }
 */
export function runtimeEntryTooWide(
  entry: AllowlistEntry,
): { readonly family: 4 | 6; readonly addresses: string; readonly limit: string } | null {
  const span = entrySpan(entry);
  if (span === null) return null;

  if (span.family === 4) {
    const size = spanSize(span);
    return size > MAX_RUNTIME_IPV4_ADDRESSES ? tooWide(4, size) : null;
  }
  for (const base of IPV4_EMBEDDING_BASES) {
    const start = span.start > base ? span.start : base;
    const last = base + 0xffffffffn;
    const end = span.end < last ? span.end : last;
    if (start <= end && end - start + 1n > MAX_RUNTIME_IPV4_ADDRESSES) {
      return tooWide(4, end - start + 1n);
    }
  }
  const size = spanSize(span);
  return size > MAX_RUNTIME_IPV6_ADDRESSES ? tooWide(6, size) : null;
}

function spanSize(span: IpSpan): bigint {
  return span.end - span.start + 1n;
}

function tooWide(family: 4 | 6, addresses: bigint) {
  return { family, addresses: addresses.toString(), limit: family === 4 ? '/8' : '/32' } as const;
}

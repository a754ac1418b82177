import type { IndicatorKind } from '../normalize/indicator.js';

// Object paths per kind (STIX 2.1 section 6, cyber-observable objects). A hash name with a
// hyphen is single-quoted in a path, as the patterning examples write `file:hashes.'SHA-256'`.
const OBJECT_PATHS: Readonly<Record<Exclude<IndicatorKind, 'ip'>, string>> = {
  domain: 'domain-name:value',
  url: 'url:value',
  md5: 'file:hashes.MD5',
  sha1: "file:hashes.'SHA-1'",
  sha256: "file:hashes.'SHA-256'",
};

/**
 * The STIX pattern matching one canonical value: a single comparison expression. IPv4 and
 * IPv6 values, CIDRs included, are `ipv4-addr:value` / `ipv6-addr:value` (both address objects
 * hold a CIDR block in `value`, STIX 2.1 section 6).
 *
 * @example
 * stixPattern('ip', '198.51.100.0/24'); // "[ipv4-addr:value = '198.51.100.0/24']"
 * stixPattern('sha256', 'ab…'); // "[file:hashes.'SHA-256' = 'ab…']"
 */
export function stixPattern(kind: IndicatorKind, value: string): string {
  const path =
    kind === 'ip'
      ? value.includes(':')
        ? 'ipv6-addr:value'
        : 'ipv4-addr:value'
      : OBJECT_PATHS[kind];
  return `[${path} = '${escapeStixString(value)}']`;
}

/**
 * A string literal body for a STIX pattern: backslash and single quote are the only
 * characters the grammar escapes inside '…' (STIX 2.1 section 9, patterning: string constants).
 *
 * @example
 * escapeStixString("http://a.example/it's\\x"); // "http://a.example/it\\'s\\\\x"
 */
export function escapeStixString(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
}

import type { ConfigProblem } from '../config/config-error.js';
import { ipSpan } from '../normalize/ip-span.js';
import type { IpSpan } from '../normalize/ip-span.js';
import { normalizeValue } from '../normalize/normalize-value.js';
import { urlHost } from '../normalize/url.js';
import { isPublicSuffix } from './public-suffix.js';

/**
 * One allowlist entry in canonical form, and where the configuration holds it.
 *
 * @example
 * { path: 'tenants.acme.allow.1', kind: 'ip', value: '198.51.100.0/28' }
 */
export interface AllowlistEntry {
  /** Dotted configuration path: the list's origin and the entry's index (`allow.3`). */
  readonly path: string;
  /** `ip` (address or CIDR), `domain` (itself and every subdomain) or `url` (a URL prefix). */
  readonly kind: 'ip' | 'domain' | 'url';
  /** Canonical form, as `normalizeValue` writes it. */
  readonly value: string;
}

/**
 * Reads one configured allowlist entry with iocrelay's own normalizers (refanging included),
 * or says why it is not one, as a configuration problem at `path`.
 *
 * DECISION: a wildcard (`*.intranet.example`) is refused, since a domain entry already covers
 * every subdomain and accepting both spellings would suggest they differ. A public suffix
 * (`pages.dev`, `co.uk`) is refused: allowing it would let every site under it through, the
 * mirror of the rule that no wildcard covers a public suffix. A value without a scheme but with
 * a path (`portal.example/login`) is read as an http URL, like a MISP `url` attribute; URL
 * matching ignores the scheme anyway.
 *
 * @example
 * parseAllowlistEntry('198.51.100.5/28', 'allow.1');
 * // { path: 'allow.1', kind: 'ip', value: '198.51.100.0/28' }
 * parseAllowlistEntry('198.51.100.0/33', 'allow.2');
 * // { path: 'allow.2', message: '"198.51.100.0/33": the prefix must be 0-32' }
 */
export function parseAllowlistEntry(text: string, path: string): AllowlistEntry | ConfigProblem {
  const quoted = JSON.stringify(text);
  const result = normalizeValue(text);
  if (!result.ok) return { path, message: `${quoted}: ${result.detail}` };

  const indicator = result.indicators[0];
  if (indicator === undefined) return { path, message: `${quoted}: not a value` };
  const { kind, value } = indicator;

  if (kind !== 'ip' && kind !== 'domain' && kind !== 'url') {
    return {
      path,
      message: `${quoted}: an allowlist entry is an IP, a CIDR, a domain or a URL, not an ${kind} hash`,
    };
  }
  if (kind === 'domain' && value.startsWith('*.')) {
    return {
      path,
      message: `${quoted}: write ${value.slice(2)}; a domain entry covers the domain and all its subdomains`,
    };
  }
  if (kind === 'domain' && isPublicSuffix(value)) {
    return {
      path,
      message: `${quoted}: ${value} is a public suffix; allowing it would let every site under it through`,
    };
  }
  return { path, kind, value };
}

/**
 * Tells a parsed entry from a problem.
 *
 * @example
 * if (isAllowlistEntry(parsed)) entries.push(parsed);
 */
export function isAllowlistEntry(parsed: AllowlistEntry | ConfigProblem): parsed is AllowlistEntry {
  return 'kind' in parsed;
}

/**
 * The addresses blocking which would break the entry: an IP entry's own span, or the host of a
 * URL entry written with an IP address. None for a domain entry, whose addresses are unknown
 * until resolved.
 *
 * @example
 * entrySpan({ path: 'allow.0', kind: 'ip', value: '192.0.2.10' });
 * // { family: 4, start: 3221225994n, end: 3221225994n }
 */
export function entrySpan(entry: AllowlistEntry): IpSpan | null {
  if (entry.kind === 'ip') return ipSpan(entry.value);
  if (entry.kind === 'domain') return null;
  const host = urlHost(entry.value);
  return host === null ? null : ipSpan(host);
}

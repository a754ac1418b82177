import { checkValue, MAX_VALUE_LENGTH } from './check-value.js';
import { MAX_DOMAIN_LENGTH, normalizeDomain } from './domain.js';
import { hashKindOfLength, normalizeHash } from './hash.js';
import type { Indicator, NormalizeResult } from './indicator.js';
import { normalizeIp } from './normalize-ip.js';
import { refang } from './refang.js';
import { isRejection, reject } from './rejection.js';
import type { Rejection } from './rejection.js';
import { MAX_URL_LENGTH, normalizeUrl } from './url.js';

/**
 * Normalizes free text typed by an analyst (for `explain` and search), whose kind is unknown.
 * Trims, checks as `normalizeAttribute` does, refangs, then guesses, first match wins:
 * an IPv4/IPv6 address or CIDR (only digits and dots, or hex digits and colons); a URL (a
 * `scheme://`, or a `/` after a host); a hash (32, 40 or 64 hex digits); else a domain.
 * Always one indicator when it succeeds.
 *
 * @example
 * normalizeValue('hxxp://evil[.]test/a');
 * // { ok: true, indicators: [{ kind: 'url', value: 'http://evil.test/a', sortKey: … }] }
 * normalizeValue('2001:DB8::/32');
 * // { ok: true, indicators: [{ kind: 'ip', value: '2001:db8::/32', sortKey: … }] }
 */
export function normalizeValue(text: string): NormalizeResult {
  const checked = checkValue(text, MAX_URL_LENGTH);
  if (isRejection(checked)) return checked;
  const value = refang(checked);

  const indicator = guessIndicator(value);
  return isRejection(indicator) ? indicator : { ok: true, indicators: [indicator] };
}

function guessIndicator(value: string): Indicator | Rejection {
  if (value.includes('://')) return urlIndicator(value);
  if (looksLikeIp(value)) return lengthCapped(value, MAX_VALUE_LENGTH) ?? normalizeIp(value, true);
  if (value.indexOf('/') > 0) return urlIndicator(value);

  const hashKind = isHex(value) ? hashKindOfLength(value.length) : null;
  if (hashKind !== null) {
    const hash = normalizeHash(hashKind, value);
    return isRejection(hash) ? hash : { kind: hashKind, value: hash, sortKey: hash };
  }

  const name = lengthCapped(value, MAX_DOMAIN_LENGTH) ?? normalizeDomain(value);
  return isRejection(name) ? name : { kind: 'domain', value: name, sortKey: name };
}

function urlIndicator(value: string): Indicator | Rejection {
  const url = normalizeUrl(value);
  return isRejection(url) ? url : { kind: 'url', value: url, sortKey: url };
}

function lengthCapped(value: string, maxLength: number): Rejection | null {
  return value.length > maxLength
    ? reject('too_long', `longer than ${maxLength} characters`)
    : null;
}

// IPv4 or IPv4 CIDR: digits, dots and a slash, at least one dot. IPv6: a colon and only hex
// digits, colons and dots up to a `/` or a `%` (so that a zone id gets the IPv6 rejection).
function looksLikeIp(value: string): boolean {
  const hasColon = value.includes(':');
  let hasDot = false;

  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x2e) hasDot = true;
    else if (hasColon && (code === 0x2f || code === 0x25)) return true;
    else if (code === 0x2f) continue;
    else if (hasColon ? !isHexCode(code) && code !== 0x3a : code < 0x30 || code > 0x39) {
      return false;
    }
  }
  return hasColon || hasDot;
}

function isHex(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (!isHexCode(value.charCodeAt(i))) return false;
  return true;
}

function isHexCode(code: number): boolean {
  const lower = code | 0x20;
  return (code >= 0x30 && code <= 0x39) || (lower >= 0x61 && lower <= 0x66);
}

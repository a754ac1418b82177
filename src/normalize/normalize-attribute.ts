import { checkValue, MAX_VALUE_LENGTH } from './check-value.js';
import { MAX_DOMAIN_LENGTH, normalizeDomain } from './domain.js';
import { normalizeHash } from './hash.js';
import type { HashKind } from './hash.js';
import type { Indicator, NormalizeResult } from './indicator.js';
import { normalizeIp } from './normalize-ip.js';
import { refang } from './refang.js';
import { isRejection, reject } from './rejection.js';
import type { Rejection } from './rejection.js';
import { MAX_URL_LENGTH, normalizeUrl } from './url.js';

type Shape = 'ip' | 'ip|port' | 'domain' | 'domain|ip' | 'hostname|port' | 'url';

type Rule =
  { readonly shape: Shape } | { readonly shape: 'hash' | 'filename|hash'; readonly hash: HashKind };

// A Map, not an object literal, so that a type such as `__proto__` or `toString` is unknown.
const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['ip-src', { shape: 'ip' }],
  ['ip-dst', { shape: 'ip' }],
  ['ip-src|port', { shape: 'ip|port' }],
  ['ip-dst|port', { shape: 'ip|port' }],
  ['domain', { shape: 'domain' }],
  ['hostname', { shape: 'domain' }],
  ['domain|ip', { shape: 'domain|ip' }],
  ['hostname|port', { shape: 'hostname|port' }],
  ['url', { shape: 'url' }],
  ['md5', { shape: 'hash', hash: 'md5' }],
  ['sha1', { shape: 'hash', hash: 'sha1' }],
  ['sha256', { shape: 'hash', hash: 'sha256' }],
  ['filename|md5', { shape: 'filename|hash', hash: 'md5' }],
  ['filename|sha1', { shape: 'filename|hash', hash: 'sha1' }],
  ['filename|sha256', { shape: 'filename|hash', hash: 'sha256' }],
]);

/**
 * MISP attribute types that give indicators; every other type is `unsupported_type`.
 *
 * @example
 * SUPPORTED_ATTRIBUTE_TYPES.includes('ip-dst|port'); // true
 */
export const SUPPORTED_ATTRIBUTE_TYPES: readonly string[] = Object.freeze([...RULES.keys()]);

/**
 * Turns one MISP attribute value into its indicators in canonical form, or says why not.
 *
 * Per value: `checkValue` (empty, control character, inner whitespace, length: 2048 for `url`,
 * 253 for domain parts, 64 otherwise), then refang for IP, domain and URL parts, then the kind's
 * parser. Composite types split on the last `|`, so IPv6 addresses stay whole; a missing `|`
 * or nothing on one side of it is `missing_part`. The port of `…|port` types is checked
 * (0–65535) and not kept, since a list entry is an address or a name; a CIDR is refused there
 * and in `domain|ip`, as MISP itself does. `domain|ip` gives two indicators, the domain first.
 * `filename|…` keeps the hash only and checks nothing but it: file names legitimately hold
 * spaces and are not kept.
 *
 * @example
 * normalizeAttribute('ip-dst|port', '2001:DB8::1|443');
 * // { ok: true, indicators: [{ kind: 'ip', value: '2001:db8::1', sortKey: '62001…1128' }] }
 * normalizeAttribute('email-src', 'a@example.test');
 * // { ok: false, reason: 'unsupported_type', … }
 */
export function normalizeAttribute(type: string, value: string): NormalizeResult {
  const rule = RULES.get(type);
  if (rule === undefined) {
    return reject('unsupported_type', `MISP type ${JSON.stringify(type)} gives no indicator`);
  }

  switch (rule.shape) {
    case 'ip':
      return single(ipIndicator(value, true));
    case 'domain':
      return single(domainIndicator(value));
    case 'url':
      return single(urlIndicator(value));
    case 'hash':
      return single(hashIndicator(rule.hash, value));
    case 'ip|port':
      return portPair(type, value, (host) => ipIndicator(host, false));
    case 'hostname|port':
      return portPair(type, value, domainIndicator);
    case 'domain|ip':
      return domainAndIp(value);
    case 'filename|hash':
      return filenameHash(type, rule.hash, value);
  }
}

function ipIndicator(value: unknown, allowCidr: boolean): Indicator | Rejection {
  const text = checkValue(value, MAX_VALUE_LENGTH);
  if (isRejection(text)) return text;
  return normalizeIp(refang(text), allowCidr);
}

function domainIndicator(value: unknown): Indicator | Rejection {
  const text = checkValue(value, MAX_DOMAIN_LENGTH);
  if (isRejection(text)) return text;
  const name = normalizeDomain(refang(text));
  return isRejection(name) ? name : { kind: 'domain', value: name, sortKey: name };
}

function urlIndicator(value: unknown): Indicator | Rejection {
  const text = checkValue(value, MAX_URL_LENGTH);
  if (isRejection(text)) return text;
  const url = normalizeUrl(refang(text));
  return isRejection(url) ? url : { kind: 'url', value: url, sortKey: url };
}

function hashIndicator(kind: HashKind, value: unknown): Indicator | Rejection {
  const text = checkValue(value, MAX_VALUE_LENGTH);
  if (isRejection(text)) return text;
  const hash = normalizeHash(kind, text);
  return isRejection(hash) ? hash : { kind, value: hash, sortKey: hash };
}

function portPair(
  type: string,
  value: string,
  normalizeHost: (host: string) => Indicator | Rejection,
): NormalizeResult {
  const text = checkValue(value, MAX_DOMAIN_LENGTH + 1 + MAX_VALUE_LENGTH);
  if (isRejection(text)) return text;

  const bar = findBar(type, text, 'host', 'port');
  if (typeof bar !== 'number') return bar;

  const host = normalizeHost(text.slice(0, bar));
  if (isRejection(host)) return host;

  const port = checkPort(text, bar + 1);
  return port === null ? single(host) : port;
}

function domainAndIp(value: string): NormalizeResult {
  const text = checkValue(value, MAX_DOMAIN_LENGTH + 1 + MAX_VALUE_LENGTH);
  if (isRejection(text)) return text;

  const bar = findBar('domain|ip', text, 'domain', 'IP');
  if (typeof bar !== 'number') return bar;

  const domain = domainIndicator(text.slice(0, bar));
  if (isRejection(domain)) return domain;

  const ip = ipIndicator(text.slice(bar + 1), false);
  if (isRejection(ip)) return ip;
  return { ok: true, indicators: [domain, ip] };
}

function filenameHash(type: string, kind: HashKind, value: string): NormalizeResult {
  if (typeof value !== 'string') return reject('empty', 'the value is not a string');
  const text = value.trim();
  if (text === '') return reject('empty', 'the value is empty');

  const bar = findBar(type, text, 'file name', 'hash');
  if (typeof bar !== 'number') return bar;
  return single(hashIndicator(kind, text.slice(bar + 1)));
}

// Index of the last `|`, which must have text on both sides.
function findBar(type: string, text: string, left: string, right: string): number | Rejection {
  const bar = text.lastIndexOf('|');
  if (bar < 0) return reject('missing_part', `no | in the ${type} value`);
  if (bar === 0) return reject('missing_part', `no ${left} before the last | of ${type}`);
  if (bar === text.length - 1) {
    return reject('missing_part', `no ${right} after the last | of ${type}`);
  }
  return bar;
}

// Returns null for a valid port, else the rejection.
function checkPort(text: string, start: number): Rejection | null {
  if (text.length - start > 5) return reject('invalid_port', 'a port is 0-65535');

  let port = 0;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return reject('invalid_port', 'a port is decimal digits');
    port = port * 10 + (code - 0x30);
  }
  return port > 65535 ? reject('invalid_port', 'a port is 0-65535') : null;
}

function single(result: Indicator | Rejection): NormalizeResult {
  return 'ok' in result ? result : { ok: true, indicators: [result] };
}

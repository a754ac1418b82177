import { ipv6Rejection, LEADING_ZERO_DETAIL } from './cidr.js';
import { normalizeDomain } from './domain.js';
import { IPV4_LEADING_ZERO, scanIPv4 } from './ipv4.js';
import { formatIPv6, parseIPv6Into } from './ipv6.js';
import { isRejection, reject } from './rejection.js';
import type { Rejection } from './rejection.js';

/**
 * Longest URL kept. Longer values are almost always pasted payloads, and several firewall URL
 * lists cap entries near this size.
 *
 * @example
 * if (url.length > MAX_URL_LENGTH) return reject('too_long', '…');
 */
export const MAX_URL_LENGTH = 2048;

// Ports dropped when they are the scheme's default: the WHATWG URL standard's special schemes.
const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ['http', 80],
  ['https', 443],
  ['ws', 80],
  ['wss', 443],
  ['ftp', 21],
]);

/**
 * Canonical form of a URL, or why it is not one. The caller trims and refangs first.
 *
 * Only the scheme and the host are rewritten: scheme lowercased, host lowercased and checked
 * by the domain or IP rules (IDN to punycode, IPv6 in brackets per RFC 5952), port written in
 * decimal and dropped when it is the scheme default, userinfo dropped. Path, query and fragment
 * are kept byte for byte, with no percent re-encoding and no dot-segment removal: a blocklist entry must
 * match what the attacker serves. That is also why WHATWG `new URL()` is not used here.
 *
 * DECISION: a value without `scheme://` gets `http://`. MISP `url` attributes often lack the
 * scheme (`evil.test/login.php`) and a canonical form needs one; http is what a browser assumes.
 * Any scheme of RFC 3986 syntax is accepted; a list decides which ones its device can use.
 *
 * @example
 * normalizeUrl('HTTPS://Evil.TEST:443/A/../b?q=%41'); // 'https://evil.test/A/../b?q=%41'
 * normalizeUrl('evil.test/x'); // 'http://evil.test/x'
 */
export function normalizeUrl(text: string): string | Rejection {
  if (text.length > MAX_URL_LENGTH) return tooLong();

  const schemeEnd = findSchemeEnd(text);
  const scheme = schemeEnd < 0 ? 'http' : text.slice(0, schemeEnd).toLowerCase();
  const authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
  const authorityEnd = findAuthorityEnd(text, authorityStart);

  const at = text.lastIndexOf('@', authorityEnd - 1);
  const hostStart = at >= authorityStart ? at + 1 : authorityStart;
  const hostPort = splitHostPort(text.slice(hostStart, authorityEnd));
  if (isRejection(hostPort)) return hostPort;

  const host = normalizeHost(hostPort.host);
  if (isRejection(host)) return host;

  const port = normalizePort(hostPort.port, scheme);
  if (isRejection(port)) return port;

  // DECISION: userinfo is dropped. Devices match a URL by host and path, never by the user part,
  // and a user:password there is a credential that must not be copied to every firewall. A `\`
  // in the authority is refused: browsers read it as `/`, other parsers do not, so the host
  // would be ambiguous.
  if (text.slice(authorityStart, authorityEnd).includes('\\')) {
    return reject(
      'invalid_url',
      'a backslash in the host part is read differently by browsers and firewalls',
    );
  }
  const url = `${scheme}://${host}${port}${text.slice(authorityEnd)}`;
  return url.length > MAX_URL_LENGTH ? tooLong() : url;
}

/**
 * The host of a URL with a scheme (any userinfo skipped), without brackets around an IPv6
 * literal; null when the text has no `scheme://`.
 *
 * @example
 * urlHost('http://[2001:db8::1]:8080/x'); // '2001:db8::1'
 */
export function urlHost(url: string): string | null {
  const schemeEnd = findSchemeEnd(url);
  if (schemeEnd < 0) return null;
  const authorityEnd = findAuthorityEnd(url, schemeEnd + 3);
  const hostStart = Math.max(schemeEnd + 3, url.lastIndexOf('@', authorityEnd - 1) + 1);
  const hostPort = splitHostPort(url.slice(hostStart, authorityEnd));
  if (isRejection(hostPort)) return null;
  return hostPort.host.startsWith('[') ? hostPort.host.slice(1, -1) : hostPort.host;
}

// Index of the `:` of a leading `scheme://`, or -1. RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT /
// "+" / "-" / "." ). Without the `//` it is no scheme: `evil.test:8080/x` is a host and port.
function findSchemeEnd(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const lower = code | 0x20;
    if (lower >= 0x61 && lower <= 0x7a) continue;
    const isSchemeCode = code === 0x2b || code === 0x2d || code === 0x2e || isDigit(code);
    if (i > 0 && isSchemeCode) continue;
    if (i > 0 && code === 0x3a && text.startsWith('//', i + 1)) return i;
    return -1;
  }
  return -1;
}

function findAuthorityEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2f || code === 0x3f || code === 0x23) return i;
  }
  return text.length;
}

interface HostPort {
  readonly host: string;
  /** Text after the host's `:`, or null when there is no `:`. */
  readonly port: string | null;
}

function splitHostPort(text: string): HostPort | Rejection {
  if (text.charCodeAt(0) === 0x5b) {
    const close = text.indexOf(']');
    if (close < 0) return reject('invalid_url', 'an IPv6 host has no closing ]');
    const after = text.slice(close + 1);
    if (after !== '' && after.charCodeAt(0) !== 0x3a) {
      return reject('invalid_url', 'unexpected text after the IPv6 host');
    }
    return { host: text.slice(0, close + 1), port: after === '' ? null : after.slice(1) };
  }

  const colon = text.indexOf(':');
  if (colon < 0) return { host: text, port: null };
  if (text.indexOf(':', colon + 1) >= 0) {
    return reject('invalid_url', 'more than one : in the host (an IPv6 host needs [brackets])');
  }
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

function normalizeHost(host: string): string | Rejection {
  if (host === '') return reject('invalid_url', 'no host');

  if (host.charCodeAt(0) === 0x5b) {
    const groups = new Uint16Array(8);
    if (!parseIPv6Into(host, groups, 1, host.length - 1)) {
      return ipv6Rejection(host, host.length - 1);
    }
    return `[${formatIPv6(groups)}]`;
  }

  if (host.charCodeAt(0) === 0x2a) return reject('invalid_url', 'a URL host cannot be a wildcard');

  const end = host.charCodeAt(host.length - 1) === 0x2e ? host.length - 1 : host.length;
  if (hasNumericLastLabel(host, end)) {
    const address = scanIPv4(host, 0, end);
    if (address === IPV4_LEADING_ZERO) return reject('ipv4_leading_zero', LEADING_ZERO_DETAIL);
    if (address < 0) return reject('invalid_ipv4', 'the host is not a dotted quad of octets 0-255');
    return host.slice(0, end);
  }

  return normalizeDomain(host);
}

// A host whose last label is all digits can only be an IPv4 address (WHATWG reads it so too).
// `end` leaves out one trailing root dot.
function hasNumericLastLabel(host: string, end: number): boolean {
  let i = end - 1;
  while (i >= 0 && isDigit(host.charCodeAt(i))) i--;
  return i < end - 1 && (i < 0 || host.charCodeAt(i) === 0x2e);
}

function normalizePort(text: string | null, scheme: string): string | Rejection {
  // An empty port (`evil.test:/`) means the default port, as WHATWG reads it.
  if (text === null || text === '') return '';

  if (text.length > 5) return reject('invalid_port', 'a port is 0-65535');
  let port = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return reject('invalid_port', 'a port is decimal digits');
    port = port * 10 + (code - 0x30);
  }

  if (port > 65535) return reject('invalid_port', 'a port is 0-65535');
  return DEFAULT_PORTS.get(scheme) === port ? '' : `:${port}`;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function tooLong(): Rejection {
  return reject('too_long', `a URL is at most ${MAX_URL_LENGTH} characters`);
}

import {
  ipv4NetworkEnd,
  ipv6NetworkEnd,
  ipv6NetworkStart,
  parseIpOrCidr,
} from '../../normalize/cidr.js';
import type { IndicatorKind } from '../../normalize/indicator.js';
import { scanIPv4 } from '../../normalize/ipv4.js';
import { ipv6ToBigInt } from '../../normalize/ipv6.js';
import { isRejection } from '../../normalize/rejection.js';
import { urlHost } from '../../normalize/url.js';
import { embeddedIpv4Span } from '../ipv4-embedding.js';

const NO_IPV4 = -1;

/**
 * One indicator taken apart once for every warninglist a matcher tries: the keys for exact
 * lookups, the host name and its parents, the address range, the text for substring and regex.
 *
 * @example
 * probeIndicator('url', 'http://www.example.test/a');
 * // keys: ['http://www.example.test/a', 'www.example.test'],
 * // names: ['test', 'example.test', 'www.example.test'], text: 'http://www.example.test/a'
 */
export interface Probe {
  /** Exact keys for `string` lists (and `hostname` lists when `names` is null), in order. */
  readonly keys: readonly string[];
  /** For a host name: the name and its parents, top-level label first; otherwise null. */
  readonly names: readonly string[] | null;
  /** The IPv4 range covered, uint32; `ipv4Start` is -1 when there is none. */
  readonly ipv4Start: number;
  readonly ipv4End: number;
  /** The IPv6 range covered, or null. */
  readonly ipv6: { readonly start: bigint; readonly end: bigint } | null;
  /** What `substring` and `regex` lists see: the canonical value, as MISP sees the value. */
  readonly text: string;
}

/**
 * Takes a canonical indicator apart for the matcher. A URL is checked by its host against
 * `cidr`, `hostname` and `string` lists (as MISP's hostname check reads the host out of a URL)
 * and by the whole URL against `string`, `substring` and `regex` lists. A wildcard domain
 * (`*.example.test`) is checked by the name under the wildcard too.
 *
 * @example
 * probeIndicator('ip', '192.0.2.0/24').ipv4End; // 0xc00002ff
 */
export function probeIndicator(kind: IndicatorKind, value: string): Probe {
  if (kind === 'ip') return addressProbe([value], value, value);
  if (kind === 'url') return urlProbe(value);
  if (kind !== 'domain') return probe([value], null, value);

  if (!value.startsWith('*.')) return probe([value], parentNames(value), value);
  const name = value.slice(2);
  return probe([value, name], parentNames(name), value);
}

// Every probe is built here, fields always in the same order, so that the finders that read
// it see one object shape.
function probe(
  keys: readonly string[],
  names: readonly string[] | null,
  text: string,
  ipv4Start = NO_IPV4,
  ipv4End = NO_IPV4,
  ipv6: Probe['ipv6'] = null,
): Probe {
  return { keys, names, ipv4Start, ipv4End, ipv6, text };
}

function urlProbe(url: string): Probe {
  const host = urlHost(url);
  if (host === null || host === '') return probe([url], null, url);

  const isAddress = scanIPv4(host) >= 0 || host.includes(':');
  if (isAddress) return addressProbe([url, host], host, url);
  return probe([url, host], parentNames(host), url);
}

// An IPv6 form of an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64) reaches that IPv4
// address, so it is checked against IPv4 ranges too; MISP compares it with IPv6 ranges only.
function addressProbe(keys: readonly string[], address: string, text: string): Probe {
  const ipv4 = scanIPv4(address);
  if (ipv4 >= 0) return probe(keys, null, text, ipv4, ipv4);

  const parsed = parseIpOrCidr(address);
  if (isRejection(parsed)) return probe(keys, null, text);
  if (parsed.family === 4) {
    return probe(keys, null, text, parsed.address, ipv4NetworkEnd(parsed.address, parsed.prefix));
  }

  const bits = ipv6ToBigInt(parsed.groups);
  const ipv6 = {
    start: ipv6NetworkStart(bits, parsed.prefix),
    end: ipv6NetworkEnd(bits, parsed.prefix),
  };
  const embedded = embeddedIpv4Span({ family: 6, ...ipv6 });
  if (embedded === null) return probe(keys, null, text, NO_IPV4, NO_IPV4, ipv6);
  return probe(keys, null, text, Number(embedded.start), Number(embedded.end), ipv6);
}

// `www.example.test` gives ['test', 'example.test', 'www.example.test'].
function parentNames(name: string): string[] {
  const names: string[] = [];
  let dot = name.lastIndexOf('.');
  while (dot > 0) {
    names.push(name.slice(dot + 1));
    dot = name.lastIndexOf('.', dot - 1);
  }
  names.push(name);
  return names;
}

import { getPublicSuffix } from 'tldts';

import type { IndicatorKind } from '../normalize/indicator.js';
import { scanIPv4 } from '../normalize/ipv4.js';
import { urlHost } from '../normalize/url.js';
import { pathOf, splitCanonicalUrl } from './split-canonical-url.js';

// Private suffixes count: blocking `pages.dev` or `github.io` blocks every customer site on
// those platforms as surely as blocking `co.uk` blocks every British company. The values are
// canonical host names already, so tldts neither extracts nor validates them (it would refuse
// the underscores that normalizeDomain keeps).
const PSL_OPTIONS = {
  allowPrivateDomains: true,
  extractHostname: false,
  validateHostname: false,
  detectIp: false,
  mixedInputs: false,
} as const;

/** A listed value refused because it would block a whole public suffix. */
export interface PublicSuffixRefusal {
  readonly rule: 'public_suffix';
  readonly detail: string;
}

/**
 * The public suffix a canonical domain ends with, per the Public Suffix List (ICANN and private
 * sections, as bundled in tldts). A leading `*.` is ignored. A name under no listed suffix gets
 * its last label (the list's default `*` rule), so `intranet.example` gives `example`.
 *
 * @example
 * publicSuffixOf('evil.pages.dev'); // 'pages.dev'
 * publicSuffixOf('shop.example.co.uk'); // 'co.uk'
 */
export function publicSuffixOf(domain: string): string | null {
  return getPublicSuffix(withoutWildcard(domain), PSL_OPTIONS);
}

/**
 * Whether the domain is itself a public suffix: anyone can register names under it.
 *
 * @example
 * isPublicSuffix('github.io'); // true
 * isPublicSuffix('evil.github.io'); // false
 */
export function isPublicSuffix(domain: string): boolean {
  const name = withoutWildcard(domain);
  return getPublicSuffix(name, PSL_OPTIONS) === name;
}

/**
 * Whether a wildcard entry `*.domain` is safe to publish: never when `domain` is a public
 * suffix, since `*.pages.dev` would block every site on the platform. Renderers that write
 * wildcards ask this before they do.
 *
 * @example
 * isSafeWildcardBase('evil.pages.dev'); // true
 * isSafeWildcardBase('pages.dev'); // false
 */
export function isSafeWildcardBase(domain: string): boolean {
  return !isPublicSuffix(domain);
}

/**
 * Refuses a listed domain that is a public suffix or a wildcard over one, and a URL that is the
 * bare root (`/`, any query aside) of a host that is a public suffix.
 *
 * DECISION: a URL on a public-suffix host with a real path is kept. Path-style object storage
 * (`https://s3.amazonaws.com/bucket/payload.exe`) is a common and precise indicator, and a URL
 * entry blocks only that host's matching paths, never its subdomains. Its bare root is refused:
 * URL lists match by prefix on most firewalls (PAN-OS, FortiGate), so `s3.amazonaws.com/` would
 * block every bucket reached that way.
 *
 * @example
 * checkPublicSuffix({ kind: 'domain', value: 'co.uk' });
 * // { rule: 'public_suffix', detail: 'co.uk is a public suffix; blocking it would block every site under it' }
 * checkPublicSuffix({ kind: 'url', value: 'https://s3.amazonaws.com/bucket/x' }); // null
 */
export function checkPublicSuffix(indicator: {
  readonly kind: IndicatorKind;
  readonly value: string;
}): PublicSuffixRefusal | null {
  const { kind, value } = indicator;

  if (kind === 'domain' && isPublicSuffix(value)) {
    const suffix = withoutWildcard(value);
    return {
      rule: 'public_suffix',
      detail:
        suffix === value
          ? `${value} is a public suffix; blocking it would block every site under it`
          : `${value} covers every site under the public suffix ${suffix}`,
    };
  }

  if (kind === 'url') {
    const host = urlHost(value);
    const isIpHost = host !== null && (host.includes(':') || scanIPv4(host) >= 0);
    if (host !== null && !isIpHost && isRootUrl(value) && isPublicSuffix(host)) {
      return {
        rule: 'public_suffix',
        detail: `the root URL of the public suffix ${host}; URL lists match by prefix, so it would block every URL of that host`,
      };
    }
  }
  return null;
}

function withoutWildcard(domain: string): string {
  return domain.startsWith('*.') ? domain.slice(2) : domain;
}

function isRootUrl(url: string): boolean {
  const path = pathOf(splitCanonicalUrl(url).rest);
  return path === '' || path === '/';
}

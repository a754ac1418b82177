/** A canonical URL cut after its authority. */
export interface UrlParts {
  /** Host and port as written in the URL (`[2001:db8::1]:8080`), no scheme, no userinfo. */
  readonly authority: string;
  /** Everything after the authority: path, query and fragment, possibly empty. */
  readonly rest: string;
}

/**
 * Cuts a canonical URL (as `normalizeUrl` writes it: `scheme://host[:port]…`, userinfo
 * already dropped) into its authority and the rest.
 *
 * @example
 * splitCanonicalUrl('https://portal.example:8443/login?x=1');
 * // { authority: 'portal.example:8443', rest: '/login?x=1' }
 */
export function splitCanonicalUrl(url: string): UrlParts {
  const schemeEnd = url.indexOf('://');
  const start = schemeEnd < 0 ? 0 : schemeEnd + 3;

  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code === 0x2f || code === 0x3f || code === 0x23) {
      end = i;
      break;
    }
  }
  return { authority: url.slice(start, end), rest: url.slice(end) };
}

/**
 * The path of the rest of a URL: up to its query or fragment.
 *
 * @example
 * pathOf('/login?x=1'); // '/login'
 */
export function pathOf(rest: string): string {
  for (let i = 0; i < rest.length; i++) {
    const code = rest.charCodeAt(i);
    if (code === 0x3f || code === 0x23) return rest.slice(0, i);
  }
  return rest;
}

/**
 * The parts an allowlist compares URLs by. Entries match without the scheme (firewall URL
 * lists carry none), so the default ports of both schemes are the same as none, and without
 * case in the path, as PAN-OS and FortiGate compare URLs: an allowlist entry must cover every
 * spelling a device would match.
 *
 * @example
 * urlMatchKey('http://portal.example:443/Login'); // { authority: 'portal.example', rest: '/login' }
 */
export function urlMatchKey(url: string): UrlParts {
  const { authority, rest } = splitCanonicalUrl(url);
  return { authority: authority.replace(/:(80|443)$/, ''), rest: rest.toLowerCase() };
}

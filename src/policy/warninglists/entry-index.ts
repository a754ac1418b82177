import { parse as parseHost } from 'tldts';

import { parseIpOrCidr } from '../../normalize/cidr.js';
import { normalizeDomain } from '../../normalize/domain.js';
import { formatIp } from '../../normalize/normalize-ip.js';
import { isRejection } from '../../normalize/rejection.js';
import { normalizeUrl } from '../../normalize/url.js';

/**
 * The form in which a `hostname` or `string` warninglist entry is compared with an indicator's
 * canonical value, or null for an empty entry (MISP skips those when it imports a list).
 *
 * MISP lowercases `hostname` entries and trims dots at both ends (Warninglist::getFilteredEntries)
 * and compares `string` entries byte for byte. Here both get the same treatment, to the same
 * canonical form as indicators: IPs as iocrelay writes them, URLs through the URL normalizer,
 * names lowercased, without dots at either end and in punycode. Indicators are canonical, so a
 * byte-for-byte comparison would miss `AAA` in the IANA TLD list or `.google.ad` in the Google
 * list, which MISP never matches either; matching them is the safe side for values not to block.
 * A leading dot does not make a `string` entry cover subdomains: the Microsoft list writes
 * `.azurewebsites.net`, whose subdomains are anyone's web apps.
 *
 * @example
 * entryKey('.Google.AD'); // 'google.ad'
 * entryKey('FE80::1'); // 'fe80::1'
 */
export function entryKey(entry: string): string | null {
  const text = entry.trim();
  if (text === '') return null;

  if (text.includes('://')) {
    const url = normalizeUrl(text);
    return isRejection(url) ? text : url;
  }

  const ip = parseIpOrCidr(text);
  if (!isRejection(ip)) return formatIp(ip);

  const name = trimDots(text.toLowerCase());
  if (name === '') return null;
  const domain = normalizeDomain(name);
  return isRejection(domain) ? name : domain;
}

/**
 * The entries of one `hostname` or `string` warninglist by `entryKey`, each mapped to the entry
 * as written. A key found twice keeps its first entry.
 *
 * @example
 * const index = new EntryIndex(['Example.COM'], true);
 * index.get('example.com'); // 'Example.COM'
 * index.findCovering(['com', 'example.com', 'www.example.com']); // 'Example.COM'
 */
export class EntryIndex {
  /** Whether entries cover the names below them (`hostname` list) or only themselves. */
  readonly isHostname: boolean;
  readonly #entries = new Map<string, string>();
  readonly #isSuffix = new Map<string, boolean>();

  constructor(entries: readonly string[], isHostname: boolean) {
    this.isHostname = isHostname;
    for (const entry of entries) {
      let key = entryKey(entry);
      if (key === null) continue;
      // A `*.` label adds nothing to a hostname entry, which covers its subdomains anyway.
      if (isHostname && key.startsWith('*.')) key = key.slice(2);
      if (!this.#entries.has(key)) this.#entries.set(key, entry.trim());
    }
  }

  /** Every key, as `entryKey` made it. */
  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /** The entry whose key is exactly `key`, or null. */
  get(key: string): string | null {
    return this.#entries.get(key) ?? null;
  }

  /**
   * The entry that covers a host name, given the name and its parents top-level label first
   * (`com`, `example.com`, `www.example.com`), as MISP's Warninglist::__evalHostname walks them:
   * an entry covers itself and every name under it, and the highest one listed wins.
   *
   * DECISION: an entry that is a public suffix (Public Suffix List, ICANN and private sections)
   * covers only itself. Top-site lists hold `github.io`, `duckdns.org` or `azurewebsites.net`,
   * whose subdomains belong to anyone, attackers included; with MISP's walk, enabling such a list
   * would silently drop every phishing site hosted there from every blocklist.
   */
  findCovering(names: readonly string[]): string | null {
    const last = names.length - 1;
    for (let i = 0; i <= last; i++) {
      const name = names[i] as string;
      const entry = this.#entries.get(name);
      if (entry === undefined) continue;
      if (i === last || !this.#isPublicSuffix(name)) return entry;
    }
    return null;
  }

  #isPublicSuffix(name: string): boolean {
    let isSuffix = this.#isSuffix.get(name);
    if (isSuffix === undefined) {
      const host = parseHost(name, { allowPrivateDomains: true, extractHostname: false });
      // Names under no rule at all (`corp`, `test`) are not suffixes: tldts falls back to the
      // last label there, and an internal top-level name is meant to cover its subdomains.
      isSuffix = host.publicSuffix === name && (host.isIcann === true || host.isPrivate === true);
      this.#isSuffix.set(name, isSuffix);
    }
    return isSuffix;
  }
}

function trimDots(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x2e) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x2e) end--;
  return text.slice(start, end);
}

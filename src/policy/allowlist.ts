import type { ConfigProblem } from '../config/config-error.js';
import {
  ipv4NetworkEnd,
  ipv4NetworkStart,
  ipv6NetworkEnd,
  ipv6NetworkStart,
  parseIpOrCidr,
} from '../normalize/cidr.js';
import type { IndicatorKind } from '../normalize/indicator.js';
import type { IpSpan } from '../normalize/ip-span.js';
import { scanIPv4 } from '../normalize/ipv4.js';
import { ipv6ToBigInt } from '../normalize/ipv6.js';
import { isRejection } from '../normalize/rejection.js';
import { urlHost } from '../normalize/url.js';
import { entrySpan, isAllowlistEntry, parseAllowlistEntry } from './allowlist-entry.js';
import type { AllowlistEntry } from './allowlist-entry.js';
import { IpSpanIndex, spansCover } from './ip-span-index.js';
import type { IpSpanHit } from './ip-span-index.js';
import { embeddedIpv4Span, IPV4_EMBEDDING_BASES } from './ipv4-embedding.js';
import { urlMatchKey } from './split-canonical-url.js';

export type { AllowlistEntry } from './allowlist-entry.js';

/** Entries from one place of the configuration. */
export interface AllowlistSource {
  readonly entries: readonly string[];
  /** Dotted path of the list in the configuration: `allow`, `tenants.0.allow`. */
  readonly origin: string;
}

/** Why the allowlist keeps an indicator, or part of one, off a list. */
export interface AllowMatch {
  readonly rule: 'allowlist';
  readonly detail: string;
  /** The entries involved, in address order for an IP. */
  readonly entries: readonly AllowlistEntry[];
  /**
   * For an IP: the allowlisted spans it overlaps, in its own family and address order, so the
   * caller can split a network around them. Empty for other kinds.
   */
  readonly spans: readonly IpSpan[];
  /** True when only some addresses of an IP network are allowlisted: keep the others. */
  readonly isPartial: boolean;
}

/** What compiling gives: the allowlist of every good entry, and one problem per bad one. */
export interface CompiledAllowlist {
  readonly allowlist: Allowlist;
  readonly problems: readonly ConfigProblem[];
}

/**
 * Compiles configured allowlist entries (`allow: [192.0.2.10, 198.51.100.0/28,
 * intranet.example, https://portal.example/login]`). A bad entry becomes a problem at
 * `origin.index`, in the shape configuration validation collects; the good ones still compile.
 *
 * @example
 * const { allowlist, problems } = compileAllowlist(['198.51.100.0/28', 'bad..'], 'allow');
 * // problems: [{ path: 'allow.1', message: '"bad..": empty label' }]
 */
export function compileAllowlist(entries: readonly string[], origin: string): CompiledAllowlist {
  return compileAllowlists([{ entries, origin }]);
}

/**
 * Compiles several sources into one allowlist, such as the global `allow` and a tenant's own,
 * so that each indicator is looked up once.
 *
 * @example
 * compileAllowlists([
 *   { entries: config.allow, origin: 'allow' },
 *   { entries: tenant.allow, origin: 'tenants.0.allow' },
 * ]);
 */
export function compileAllowlists(sources: readonly AllowlistSource[]): CompiledAllowlist {
  const entries: AllowlistEntry[] = [];
  const problems: ConfigProblem[] = [];
  for (const { entries: texts, origin } of sources) {
    texts.forEach((text, index) => {
      const parsed = parseAllowlistEntry(text, `${origin}.${index}`);
      if (isAllowlistEntry(parsed)) entries.push(parsed);
      else problems.push(parsed);
    });
  }
  return { allowlist: new Allowlist(entries), problems };
}

/**
 * Compiled allowlist entries, answering for one canonical indicator whether the allowlist keeps
 * it off a list.
 *
 * DECISION: an indicator is also dropped when blocking it would block something allowlisted,
 * not only when an entry covers it. A DNS firewall (RPZ with wildcards) that blocks
 * `example.test` blocks the allowlisted `intranet.example.test`; a firewall blocking
 * `198.51.100.0/24` drops traffic to the allowlisted `198.51.100.10`; a URL list blocking
 * `https://portal.example/` blocks the allowlisted `https://portal.example/login` by prefix. The
 * detail says which of the two it was. An IP network that only partly overlaps is reported with
 * `isPartial`, for the caller to split it around the entries.
 *
 * Known limit: a domain entry protects no IP address, since its addresses are unknown until
 * resolved and change; allowlist the addresses too when they must never be blocked.
 *
 * @example
 * new Allowlist([{ path: 'allow.0', kind: 'ip', value: '192.0.2.10' }]).match(indicator);
 */
export class Allowlist {
  readonly entries: readonly AllowlistEntry[];
  readonly #ips: IpSpanIndex<AllowlistEntry>;
  /** Domain entries by name: each covers the name and its subdomains. */
  readonly #domains = new Map<string, AllowlistEntry>();
  /** Every proper parent of an allowlisted name, with one entry under it. */
  readonly #parents = new Map<string, AllowlistEntry>();
  /** URL entries by the domain name of their host. */
  readonly #urlHosts = new Map<string, AllowlistEntry>();
  /** URL entries by authority (host and port), with the part after it. */
  readonly #urlPrefixes = new Map<
    string,
    { readonly rest: string; readonly entry: AllowlistEntry }[]
  >();

  constructor(entries: readonly AllowlistEntry[]) {
    this.entries = entries;

    // IP entries first, so that of an IP entry and a URL entry on the same address, the IP
    // entry is the one kept and a listed URL on that address counts as allowlisted.
    const ordered = [
      ...entries.filter((e) => e.kind === 'ip'),
      ...entries.filter((e) => e.kind === 'url'),
    ];
    const spans = ordered.flatMap((entry) => {
      const span = entrySpan(entry);
      if (span === null) return [];
      const ipv4 = embeddedIpv4Span(span);
      return ipv4 === null
        ? [{ span, item: entry }]
        : [
            { span, item: entry },
            { span: ipv4, item: entry },
          ];
    });
    this.#ips = new IpSpanIndex(spans, { ipv4EmbeddingBases: IPV4_EMBEDDING_BASES });

    for (const entry of entries) {
      if (entry.kind === 'domain') this.#addName(entry.value, entry, this.#domains);
      if (entry.kind !== 'url') continue;

      const { authority, rest } = urlMatchKey(entry.value);
      const prefixes = this.#urlPrefixes.get(authority) ?? [];
      prefixes.push({ rest, entry });
      this.#urlPrefixes.set(authority, prefixes);
      const host = urlHost(entry.value);
      if (host !== null && !isIpHost(host)) this.#addName(host, entry, this.#urlHosts);
    }
  }

  /**
   * Whether the allowlist keeps a canonical indicator off a list, and why; null when it does
   * not. Hashes are never allowlisted.
   *
   * @example
   * allowlist.match({ kind: 'domain', value: 'a.intranet.example' });
   * // { rule: 'allowlist', detail: 'allowlisted by allow.2 (intranet.example)', … }
   */
  match(indicator: { readonly kind: IndicatorKind; readonly value: string }): AllowMatch | null {
    if (indicator.kind === 'ip') return this.#matchIp(indicator.value);
    if (indicator.kind === 'domain') return this.#matchDomain(indicator.value);
    if (indicator.kind === 'url') return this.#matchUrl(indicator.value);
    return null;
  }

  #addName(name: string, entry: AllowlistEntry, byName: Map<string, AllowlistEntry>): void {
    if (!byName.has(name)) byName.set(name, entry);
    for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      const parent = name.slice(dot + 1);
      if (!this.#parents.has(parent)) this.#parents.set(parent, entry);
    }
  }

  #matchIp(value: string): AllowMatch | null {
    const address = scanIPv4(value);
    const found = address >= 0 ? this.#hitsOfIPv4(address, address) : this.#hitsOfNetwork(value);
    if (found === null || found.hits.length === 0) return null;

    const { hits, start, end } = found;
    const isPartial = !spansCover(hits, start, end);
    const entries = hits.map((hit) => hit.item);
    const isCovered = !isPartial && entries.every((entry) => entry.kind === 'ip');
    return {
      rule: 'allowlist',
      detail: `${isCovered ? 'allowlisted by' : 'overlaps allowlisted'} ${describe(entries)}`,
      entries,
      spans: hits.map((hit) => hit.span),
      isPartial,
    };
  }

  #hitsOfIPv4(start: number, end: number): IpHits | null {
    const hits = this.#ips.overlappingIPv4(start, end);
    return hits.length === 0 ? null : { hits, start: BigInt(start), end: BigInt(end) };
  }

  #hitsOfNetwork(value: string): IpHits | null {
    const parsed = parseIpOrCidr(value);
    if (isRejection(parsed)) return null;
    if (parsed.family === 4) {
      const start = ipv4NetworkStart(parsed.address, parsed.prefix);
      return this.#hitsOfIPv4(start, ipv4NetworkEnd(parsed.address, parsed.prefix));
    }

    // Without IPv6 spans nothing can overlap: spare every IPv6 value its bigint arithmetic.
    if (!this.#ips.hasIPv6) return null;
    const address = ipv6ToBigInt(parsed.groups);
    const start = ipv6NetworkStart(address, parsed.prefix);
    const end = ipv6NetworkEnd(address, parsed.prefix);
    return { hits: this.#ips.overlappingIPv6(start, end), start, end };
  }

  // A wildcard `*.d` blocks the names under d but not d itself.
  #matchDomain(value: string): AllowMatch | null {
    const isWildcard = value.startsWith('*.');
    const name = isWildcard ? value.slice(2) : value;

    const covering = this.#domainCovering(name);
    if (covering !== null) return nameMatch('allowlisted by', covering);

    const below = this.#parents.get(name) ?? (isWildcard ? undefined : this.#urlHosts.get(name));
    return below === undefined
      ? null
      : nameMatch('blocking it would also block allowlisted', below);
  }

  #domainCovering(name: string): AllowlistEntry | null {
    for (let start = 0; start >= 0;) {
      const entry = this.#domains.get(start === 0 ? name : name.slice(start));
      if (entry !== undefined) return entry;
      const dot = name.indexOf('.', start);
      start = dot < 0 ? -1 : dot + 1;
    }
    return null;
  }

  // DECISION: URL prefixes compare host, port and the text after them, never the scheme:
  // PAN-OS and FortiGate URL lists carry no scheme, so an http entry blocks the https URL too.
  #matchUrl(value: string): AllowMatch | null {
    const { authority, rest } = urlMatchKey(value);
    const prefixes = this.#urlPrefixes.get(authority) ?? [];
    const covering = prefixes.find((prefix) => rest.startsWith(prefix.rest));
    if (covering !== undefined) return nameMatch('allowlisted by', covering.entry);

    const host = urlHost(value);
    if (host === null) return null;
    const hostEntry = isIpHost(host) ? this.#ipEntryCovering(host) : this.#domainCovering(host);
    if (hostEntry !== null) return nameMatch('allowlisted by', hostEntry);

    const below = prefixes.find((prefix) => prefix.rest.startsWith(rest));
    return below === undefined
      ? null
      : nameMatch('blocking it would also block allowlisted', below.entry);
  }

  // Only an IP entry allowlists every URL of an address; a URL entry on it allowlists its own.
  #ipEntryCovering(host: string): AllowlistEntry | null {
    const match = this.#matchIp(host);
    const entry = match?.entries[0];
    return entry !== undefined && entry.kind === 'ip' ? entry : null;
  }
}

interface IpHits {
  readonly hits: readonly IpSpanHit<AllowlistEntry>[];
  readonly start: bigint;
  readonly end: bigint;
}

const MAX_NAMED_ENTRIES = 3;

function nameMatch(verb: string, entry: AllowlistEntry): AllowMatch {
  return {
    rule: 'allowlist',
    detail: `${verb} ${describe([entry])}`,
    entries: [entry],
    spans: [],
    isPartial: false,
  };
}

function describe(entries: readonly AllowlistEntry[]): string {
  const named = entries
    .slice(0, MAX_NAMED_ENTRIES)
    .map((entry) => `${entry.path} (${entry.value})`);
  const more = entries.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

function isIpHost(host: string): boolean {
  return host.includes(':') || scanIPv4(host) >= 0;
}

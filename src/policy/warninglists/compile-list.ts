import { CidrRanges } from './cidr-ranges.js';
import { EntryIndex } from './entry-index.js';
import { pcreToRegExp } from './pcre-regex.js';
import type { Probe } from './probe.js';
import type { Warninglist } from './warninglist.js';

/**
 * One warninglist ready for lookups. `ranges` and `index` are exposed so that a matcher can
 * build one union of all its lists and skip them all when the union has nothing.
 */
export interface CompiledList {
  readonly name: string;
  /** MISP attribute types the list applies to; null for every type. */
  readonly types: ReadonlySet<string> | null;
  /** The entry that covers a probed indicator, or null. */
  readonly find: (probe: Probe) => string | null;
  /** A `cidr` list's ranges, else null. */
  readonly ranges: CidrRanges | null;
  /** A `hostname` or `string` list's entries, else null. */
  readonly index: EntryIndex | null;
}

/**
 * Indexes one warninglist once, by its type: `cidr` as sorted interval arrays, `hostname` and
 * `string` as hash maps over canonical keys, `substring` as a scan, `regex` compiled once. An
 * entry that cannot be used is skipped and passed to `onRefused`.
 *
 * @example
 * const list = compileList(warninglist, (index, reason) => problems.push(reason));
 * list.find(probeIndicator('domain', 'www.example.test')); // 'example.test'
 */
export function compileList(
  list: Warninglist,
  onRefused: (index: number, reason: string) => void,
): CompiledList {
  const base = {
    name: list.name,
    types: list.matchingAttributes.length === 0 ? null : new Set(list.matchingAttributes),
    ranges: null,
    index: null,
  };

  switch (list.type) {
    case 'cidr': {
      const ranges = CidrRanges.fromEntries(list.entries, onRefused);
      return { ...base, ranges, find: (probe) => findRange(ranges, probe) };
    }
    case 'hostname': {
      const index = new EntryIndex(list.entries, true);
      return { ...base, index, find: (probe) => findHostname(index, probe) };
    }
    case 'string': {
      const index = new EntryIndex(list.entries, false);
      return { ...base, index, find: (probe) => findKey(index, probe.keys) };
    }
    case 'substring':
      return { ...base, find: substringFinder(list.entries) };
    case 'regex':
      return { ...base, find: regexFinder(list.entries, onRefused) };
  }
}

function findRange(ranges: CidrRanges, probe: Probe): string | null {
  if (probe.ipv4Start >= 0) {
    const entry = ranges.findIPv4(probe.ipv4Start, probe.ipv4End);
    if (entry !== null) return entry;
  }
  return probe.ipv6 === null ? null : ranges.findIPv6(probe.ipv6.start, probe.ipv6.end);
}

// An address or a hash has no parents: it is looked up as it is, where MISP would walk its
// dot-separated parts as if they were labels (192.0.2.1 would match an entry `2.1`).
function findHostname(index: EntryIndex, probe: Probe): string | null {
  return probe.names === null ? findKey(index, probe.keys) : index.findCovering(probe.names);
}

function findKey(index: EntryIndex, keys: readonly string[]): string | null {
  for (const key of keys) {
    const entry = index.get(key);
    if (entry !== null) return entry;
  }
  return null;
}

// MISP's str_contains is case-sensitive; canonical values are lowercase except URL paths, and
// matching regardless of case is the safe side for values not to block.
function substringFinder(entries: readonly string[]): (probe: Probe) => string | null {
  const needles = entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
  const lowered = needles.map((needle) => needle.toLowerCase());
  return (probe) => {
    const text = probe.text.toLowerCase();
    const at = lowered.findIndex((needle) => text.includes(needle));
    return at < 0 ? null : (needles[at] as string);
  };
}

function regexFinder(
  entries: readonly string[],
  onRefused: (index: number, reason: string) => void,
): (probe: Probe) => string | null {
  const patterns: { readonly regex: RegExp; readonly entry: string }[] = [];
  entries.forEach((entry, index) => {
    if (entry.trim() === '') return;
    const regex = pcreToRegExp(entry);
    if (typeof regex === 'string') onRefused(index, regex);
    else patterns.push({ regex, entry: entry.trim() });
  });
  return (probe) => patterns.find((pattern) => pattern.regex.test(probe.text))?.entry ?? null;
}

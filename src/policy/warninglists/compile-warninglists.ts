import { basename, dirname } from 'node:path';

import { IocrelayError } from '../../errors/iocrelay-error.js';
import { compileList } from './compile-list.js';
import type { CompiledList } from './compile-list.js';
import { describeRefusedEntry } from './entry-problems.js';
import { Prefilter } from './prefilter.js';
import { probeIndicator } from './probe.js';
import type { Warninglist, WarninglistCandidate, WarninglistHit } from './warninglist.js';
import { WarninglistError } from './warninglist-error.js';
import type { WarninglistProblem } from './warninglist-error.js';

/** Which loaded warninglists a matcher uses. */
export interface CompileOptions {
  /**
   * Lists to use, by their `name` (the `name` field of list.json, not its folder), tried in
   * this order; every loaded list, in load order, when absent; none when empty. A name that
   * matches no loaded list is WARNINGLIST_UNKNOWN, naming all unknown names at once.
   *
   * @example
   * ['List of known IPv4 public DNS resolvers', 'List of RFC 1918 CIDR blocks']
   */
  readonly names?: readonly string[];
}

/**
 * Warninglists compiled for lookups: one per tenant (or one global) is built once per run and
 * asked for every indicator.
 *
 * @example
 * matcher.match({ kind: 'ip', value: '192.0.2.7', types: ['ip-dst'] });
 * // { list: 'Documentation ranges', entry: '192.0.2.0/24' }
 */
export interface WarninglistMatcher {
  /** Names of the lists in use, in the order they are tried. */
  readonly lists: readonly string[];
  /**
   * The first list, in order, that applies to one of the candidate's attribute types and has
   * an entry covering it; null when none does. A candidate with no types is checked against
   * the lists that apply to every type only.
   */
  match(candidate: WarninglistCandidate): WarninglistHit | null;
}

// The lists that apply to one combination of attribute types; `scanned` are the `substring`
// and `regex` ones, which the prefilter cannot rule out.
interface Applicable {
  readonly all: readonly CompiledList[];
  readonly scanned: readonly CompiledList[];
}

/**
 * Compiles warninglists into a matcher (see compileList for how each type is indexed). A list
 * applies to an indicator when one of the MISP attribute types that gave it is in the list's
 * `matchingAttributes`, or the list has none (MISP stores that as `ALL`,
 * Warninglist::__updateList, and checks it in Warninglist::checkForWarning).
 *
 * Throws WARNINGLIST_UNKNOWN for names that match no list, and WARNINGLIST_INVALID (a
 * WarninglistError) for a list with entries that `loadWarninglists` would have refused.
 *
 * @example
 * const matcher = compileWarninglists(await loadWarninglists(dir), {
 *   names: ['List of RFC 1918 CIDR blocks'],
 * });
 */
export function compileWarninglists(
  lists: readonly Warninglist[],
  options: CompileOptions = {},
): WarninglistMatcher {
  const selected = options.names === undefined ? lists : selectLists(lists, options.names);

  const problems: WarninglistProblem[] = [];
  const compiled = selected.map((list) => compiledOnce(list, problems));
  if (problems.length > 0) throw new WarninglistError(null, problems);

  const prefilter = new Prefilter(compiled);

  // Which lists apply depends only on the candidate's types, and indicators come from a handful
  // of type combinations: the selection is worked out once per combination.
  const byTypes = new Map<string, Applicable>();
  const applicableTo = (types: readonly string[]): Applicable => {
    const key = types.length === 1 ? (types[0] as string) : types.join('\n');
    let applicable = byTypes.get(key);
    if (applicable === undefined) {
      const all = compiled.filter((list) => appliesTo(list, types));
      applicable = {
        all,
        scanned: all.filter((list) => list.ranges === null && list.index === null),
      };
      byTypes.set(key, applicable);
    }
    return applicable;
  };

  return {
    lists: Object.freeze(compiled.map((list) => list.name)),
    match(candidate) {
      const applicable = applicableTo(candidate.types);
      if (applicable.all.length === 0) return null;

      const probe = probeIndicator(candidate.kind, candidate.value);
      const tried = prefilter.mayMatch(probe) ? applicable.all : applicable.scanned;
      for (const list of tried) {
        const entry = list.find(probe);
        if (entry !== null) return { list: list.name, entry };
      }
      return null;
    },
  };
}

// Matchers share compiled lists, so that tenants picking the same list share its index. A list
// is cached only when none of its entries was refused, since such a list must keep failing.
const compiledLists = new WeakMap<Warninglist, CompiledList>();

function compiledOnce(list: Warninglist, problems: WarninglistProblem[]): CompiledList {
  const cached = compiledLists.get(list);
  if (cached !== undefined) return cached;

  let isClean = true;
  const compiled = compileList(list, (index, reason) => {
    isClean = false;
    const entry = describeRefusedEntry(index, list.entries[index] ?? '', reason);
    problems.push({ file: list.file, message: `${list.name}: ${entry}` });
  });
  if (isClean) compiledLists.set(list, compiled);
  return compiled;
}

// MISP checks each attribute on its own; an indicator given by several attributes is checked
// against a list when any of them would be, the safe side for values not to block.
function appliesTo(list: CompiledList, types: readonly string[]): boolean {
  return list.types === null || types.some((type) => list.types?.has(type));
}

function selectLists(lists: readonly Warninglist[], names: readonly string[]): Warninglist[] {
  const byName = new Map(lists.map((list) => [list.name, list]));
  const wanted = [...new Set(names)];
  const unknown = wanted.filter((name) => !byName.has(name));
  if (unknown.length > 0) throw unknownNames(lists, unknown);

  return wanted.map((name) => byName.get(name) as Warninglist);
}

// People type the folder name (`rfc1918`) or change the case; the hint names the list meant.
function unknownNames(lists: readonly Warninglist[], unknown: readonly string[]): IocrelayError {
  const hints = unknown.flatMap((name) => {
    const wanted = name.toLowerCase();
    const meant = lists.find(
      (list) =>
        list.name.toLowerCase() === wanted || basename(dirname(list.file)).toLowerCase() === wanted,
    );
    return meant === undefined ? [] : [`${JSON.stringify(name)} → ${JSON.stringify(meant.name)}`];
  });

  return new IocrelayError('WARNINGLIST_UNKNOWN', {
    unknown: unknown.map((name) => JSON.stringify(name)).join(', '),
    ...(hints.length > 0 ? { hint: hints.join(', ') } : {}),
    loaded: lists.length,
  });
}

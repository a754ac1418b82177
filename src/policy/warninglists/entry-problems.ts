import { parseCidrEntry } from './cidr-ranges.js';
import { pcreToRegExp } from './pcre-regex.js';
import type { WarninglistType } from './warninglist.js';

/**
 * What is wrong with the entries of a list, one line each with its dotted path in the file:
 * a `cidr` entry that is not an address or a CIDR, a `regex` entry that does not compile.
 * Other types take any text. Empty entries are skipped, as MISP skips them.
 *
 * MISP refuses the same entries only when a list is edited in its UI (Warninglist::beforeValidate)
 * and silently ignores them in lists it imports; here they stop the load, so that a list never
 * covers less than its file says without anyone knowing.
 *
 * @example
 * warninglistEntryProblems('cidr', ['192.0.2.0/24', 'nope']);
 * // ['list.1: "nope" is refused: not an IP address or CIDR (not a dotted quad of octets 0-255)']
 */
export function warninglistEntryProblems(
  type: WarninglistType,
  entries: readonly string[],
): string[] {
  if (type !== 'cidr' && type !== 'regex') return [];

  const problems: string[] = [];
  entries.forEach((entry, index) => {
    if (entry.trim() === '') return;
    const result = type === 'cidr' ? parseCidrEntry(entry) : pcreToRegExp(entry);
    if (typeof result === 'string') problems.push(describeRefusedEntry(index, entry, result));
  });
  return problems;
}

/**
 * The problem line for an entry that cannot be used, with its dotted path in the file.
 *
 * @example
 * describeRefusedEntry(1, 'nope', 'not an IP address or CIDR'); // 'list.1: "nope" is refused: …'
 */
export function describeRefusedEntry(index: number, entry: string, reason: string): string {
  return `list.${index}: ${JSON.stringify(entry)} is refused: ${reason}`;
}

const PHP_FORM = 'write it as for PHP preg_match, such as /^www\\.example$/i';

// Bracket-style delimiters close with their pair (PCRE: `{…}i`); any other delimiter closes
// with itself.
const CLOSING_DELIMITERS: ReadonlyMap<string, string> = new Map([
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
  ['<', '>'],
]);

// PHP pattern modifiers and their JavaScript flag. `D` (dollar at the very end only) is how a
// JavaScript `$` already behaves, and `S` (study) changes speed only. Others (`x`, `U`, `A`,
// `X`, `J`, `n`) change the meaning and have no JavaScript flag.
const MODIFIER_FLAGS: ReadonlyMap<string, string> = new Map([
  ['i', 'i'],
  ['m', 'm'],
  ['s', 's'],
  ['u', 'u'],
  ['D', ''],
  ['S', ''],
]);

// PCRE escapes that a JavaScript regular expression without the `u` flag silently reads as the
// plain letter (`\A` would match "A"), so a pattern using them would compile and mean something
// else. `\p`/`\P` are only properties with `u`.
const PCRE_ONLY_ESCAPES = new Set(['A', 'Z', 'z', 'G', 'h', 'H', 'R', 'K', 'Q', 'E', 'X', 'C']);
const PCRE_ONLY_ESCAPES_WITHOUT_U = new Set([...PCRE_ONLY_ESCAPES, 'N', 'e', 'a', 'g', 'o']);

/**
 * A `regex` warninglist entry, written for PHP's preg_match with delimiters and modifiers
 * (`/^www\.example\.test$/i`), as a JavaScript RegExp; or what is wrong with it, as text.
 * MISP runs preg_match on the value (Warninglist::__evalRegex), so a match anywhere counts
 * unless the pattern anchors itself.
 *
 * The pattern is compiled by JavaScript, whose syntax is close to PCRE but not equal: atomic
 * groups, possessive quantifiers and inline `(?i)` fail to compile, and PCRE-only escapes that
 * JavaScript would read as plain letters are refused, so no entry compiles to a different
 * meaning. A pattern that backtracks badly is not detected; values are at most 2,048 characters.
 *
 * @example
 * pcreToRegExp('#^evil\\.example$#i'); // /^evil\.example$/i
 * pcreToRegExp('evil'); // 'no delimiter (write it as for PHP preg_match, such as …)'
 */
export function pcreToRegExp(entry: string): RegExp | string {
  const text = entry.trim();
  const open = text.charAt(0);
  if (open === '' || /[A-Za-z0-9\\\s]/.test(open)) {
    return `no delimiter (${PHP_FORM})`;
  }

  const close = CLOSING_DELIMITERS.get(open) ?? open;
  const end = text.lastIndexOf(close);
  if (end < 1) return `no closing delimiter ${close} (${PHP_FORM})`;

  let flags = '';
  for (const modifier of text.slice(end + 1)) {
    const flag = MODIFIER_FLAGS.get(modifier);
    if (flag === undefined) return `modifier ${modifier} has no JavaScript equivalent`;
    if (!flags.includes(flag)) flags += flag;
  }

  const source = text.slice(1, end);
  const escape = pcreOnlyEscape(source, flags.includes('u'));
  if (escape !== null) return `\\${escape} is PCRE only and has no JavaScript equivalent`;

  try {
    return new RegExp(source, flags);
  } catch (error) {
    return `not a valid JavaScript regular expression (${(error as Error).message})`;
  }
}

function pcreOnlyEscape(source: string, isUnicode: boolean): string | null {
  const refused = isUnicode ? PCRE_ONLY_ESCAPES : PCRE_ONLY_ESCAPES_WITHOUT_U;
  for (let i = 0; i < source.length - 1; i++) {
    if (source.charCodeAt(i) !== 0x5c) continue;
    const next = source.charAt(i + 1);
    if (refused.has(next)) return next;
    if (!isUnicode && (next === 'p' || next === 'P')) return next;
    if (next === 'x' && source.charAt(i + 2) === '{') return 'x{…}';
    i++;
  }
  return null;
}

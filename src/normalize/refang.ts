// Undoes the defanging analysts apply so that an indicator cannot be clicked or resolved by
// accident (`hxxp://evil[.]example`). Only the spellings below are undone; anything else is left
// for the parser to refuse. Limit: a URL path that really contains `(.)` or `[at]` is rewritten
// too; defanged values are far more common in MISP than such paths.

// One alternation so the string is walked once. Words are matched without regard to case.
const BRACKETED = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\[:\/\/\]|\[:\]|\[@\]|\[at\]/gi;

// The scheme words are only rewritten at the very start and before a colon: `fxp` and `hxxp`
// also occur inside real names (fxpro.example), which must stay as written.
const SCHEME = /^(?:hxxps?|fxp)(?=:)/i;

const BRACKETED_TO_PLAIN: Readonly<Record<string, string>> = {
  '[.]': '.',
  '(.)': '.',
  '{.}': '.',
  '[dot]': '.',
  '(dot)': '.',
  '[://]': '://',
  '[:]': ':',
  '[@]': '@',
  '[at]': '@',
};

/**
 * Returns `value` with defanged separators and schemes restored. Values without any bracket and
 * without a scheme-like start (almost all of them) are returned as they are, without a regex.
 *
 * @example
 * refang('hXXps[://]evil[.]example/a(dot)php'); // 'https://evil.example/a.php'
 */
export function refang(value: string): string {
  if (!mayBeDefanged(value)) return value;

  const plain = value.replace(
    BRACKETED,
    (match) => BRACKETED_TO_PLAIN[match.toLowerCase()] ?? match,
  );

  return plain.replace(SCHEME, plainScheme);
}

function plainScheme(word: string): string {
  const lower = word.toLowerCase();
  if (lower === 'fxp') return 'ftp';
  return lower === 'hxxps' ? 'https' : 'http';
}

// Cheap pre-check on the hot path: a bracket anywhere, or a value starting with h/f then x.
function mayBeDefanged(value: string): boolean {
  const first = value.charCodeAt(0) | 0x20;
  if ((first === 0x68 || first === 0x66) && (value.charCodeAt(1) | 0x20) === 0x78) return true;

  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x5b || code === 0x28 || code === 0x7b) return true;
  }
  return false;
}

import { randomBytes } from 'node:crypto';

// A `${…}` reference as interpolateEnv reads it; `$${` (a literal) is left alone.
const REFERENCE = /(?<!\$)\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}\n]*)?\}/g;

/** The file text with its `${VAR}` references shielded, and the way back. */
export interface ShieldedText {
  readonly text: string;
  /** Puts the references back in every string (and key) of the parsed tree. */
  restore(tree: unknown): unknown;
}

/**
 * Lets `${VAR}` stand unquoted anywhere YAML takes a plain value, flow collections included:
 * `tokens: [${ACME_FEED_TOKEN}]` is otherwise a YAML error, `{` opening a mapping. Each
 * reference is swapped for a plain placeholder before parsing and put back after, so the
 * references are still interpolated on parsed values (never on text) and a variable's value
 * can never inject YAML.
 *
 * @example
 * const shielded = shieldReferences('tokens: [${TOKEN}]\n');
 * shielded.restore(parse(shielded.text)); // { tokens: ['${TOKEN}'] }
 */
export function shieldReferences(text: string): ShieldedText {
  const nonce = randomBytes(6).toString('hex');
  const references: string[] = [];
  const shielded = text.replace(REFERENCE, (reference) => {
    references.push(reference);
    return `iocrelayref${nonce}n${references.length - 1}x`;
  });
  if (references.length === 0) return { text, restore: (tree) => tree };

  const placeholder = new RegExp(`iocrelayref${nonce}n(\\d+)x`, 'g');
  const put = (value: string): string =>
    value.replace(placeholder, (_match, index: string) => references[Number(index)] ?? '');
  const restore = (node: unknown): unknown => {
    if (typeof node === 'string') return put(node);
    if (Array.isArray(node)) return node.map(restore);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([key, value]) => [put(key), restore(value)]),
      );
    }
    return node;
  };
  return { text: shielded, restore };
}

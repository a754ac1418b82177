import { reject } from './rejection.js';
import type { Rejection } from './rejection.js';

/**
 * Longest value kept for kinds other than URLs and domains (addresses, CIDRs, hashes, ports):
 * the longest of them, an IPv6 CIDR, is 49 characters.
 *
 * @example
 * checkValue(value, MAX_VALUE_LENGTH);
 */
export const MAX_VALUE_LENGTH = 64;

/**
 * The checks every value passes before its kind's parser, in this order: a string that is not
 * empty once surrounding whitespace is trimmed (`empty`), no control character anywhere, a
 * newline included (`control_character`: C0, DEL, C1, U+2028, U+2029), no whitespace inside
 * (`inner_space`), at most `maxLength` characters (`too_long`). Returns the trimmed text.
 * Surrounding whitespace, newlines included, is trimmed as `String.prototype.trim` does: MISP
 * trims on save too, so only values that never went through MISP carry it.
 *
 * @example
 * checkValue(' 192.0.2.1 ', 64); // '192.0.2.1'
 * checkValue('a\nb', 64); // { ok: false, reason: 'control_character', … }
 */
export function checkValue(value: unknown, maxLength: number): string | Rejection {
  if (typeof value !== 'string') return reject('empty', 'the value is not a string');
  const text = value.trim();
  if (text === '') return reject('empty', 'the value is empty');

  let spaceAt = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isControl(code)) {
      return reject('control_character', `control character ${codePoint(code)} at index ${i}`);
    }
    if (spaceAt < 0 && isSpace(code)) spaceAt = i;
  }

  if (spaceAt >= 0) {
    return reject(
      'inner_space',
      `whitespace ${codePoint(text.charCodeAt(spaceAt))} at index ${spaceAt}`,
    );
  }
  if (text.length > maxLength) return reject('too_long', `longer than ${maxLength} characters`);
  return text;
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

// What String.prototype.trim treats as whitespace, less the controls checked before.
function isSpace(code: number): boolean {
  if (code === 0x20 || code === 0xa0) return true;
  if (code < 0x1680) return false;
  return (
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

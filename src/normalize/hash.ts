import { reject } from './rejection.js';
import type { Rejection } from './rejection.js';

/** The hash kinds a list can carry. */
export type HashKind = 'md5' | 'sha1' | 'sha256';

/**
 * Hex digits in each hash kind's digest.
 *
 * @example
 * HASH_HEX_LENGTHS.sha256; // 64
 */
export const HASH_HEX_LENGTHS: Readonly<Record<HashKind, number>> = {
  md5: 32,
  sha1: 40,
  sha256: 64,
};

/**
 * Canonical form of a file hash: lowercase hex of exactly the kind's length. Uppercase input is
 * lowercased (MISP stores both); anything else is `invalid_hash`.
 *
 * @example
 * normalizeHash('md5', 'D41D8CD98F00B204E9800998ECF8427E'); // 'd41d8cd98f00b204e9800998ecf8427e'
 */
export function normalizeHash(kind: HashKind, text: string): string | Rejection {
  const length = HASH_HEX_LENGTHS[kind];
  if (text.length !== length) {
    return reject('invalid_hash', `${kind} is ${length} hex digits, got ${text.length} characters`);
  }

  let hasUpper = false;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) continue;
    if (code >= 0x61 && code <= 0x66) continue;
    if (code >= 0x41 && code <= 0x46) {
      hasUpper = true;
      continue;
    }
    return reject('invalid_hash', `${kind} is hex digits only`);
  }

  return hasUpper ? text.toLowerCase() : text;
}

/**
 * The hash kind whose digest has this many hex digits, or null.
 *
 * @example
 * hashKindOfLength(40); // 'sha1'
 */
export function hashKindOfLength(length: number): HashKind | null {
  if (length === 32) return 'md5';
  if (length === 40) return 'sha1';
  return length === 64 ? 'sha256' : null;
}

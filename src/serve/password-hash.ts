import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt cost for new hashes: N=2^14, r=8, p=1 are the interactive-login parameters of the
 * scrypt paper and RFC 7914 §2; about 16 MiB and a few tens of milliseconds per check.
 */
export const DEFAULT_SCRYPT_COST = { N: 16384, r: 8, p: 1 } as const;

const SALT_BYTES = 16;
const KEY_BYTES = 32;

// A hash comes from the config, but a typo in N must not let one login eat the host's memory.
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The parts of a `scrypt$N$r$p$saltB64$hashB64` string. */
export interface PasswordHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/**
 * Hashes a feed password for the config (`password_hash`), as
 * `scrypt$<N>$<r>$<p>$<salt, base64>$<32-byte key, base64>`. A fresh random salt each call.
 *
 * @example
 * const stored = await hashPassword('correct horse'); // 'scrypt$16384$8$1$…$…'
 */
export async function hashPassword(plain: string): Promise<string> {
  const { N, r, p } = DEFAULT_SCRYPT_COST;
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(plain, salt, KEY_BYTES, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Whether `plain` matches a hash made by hashPassword. The keys are compared with
 * timingSafeEqual; a hash string that does not parse never matches.
 *
 * @example
 * await verifyPassword('correct horse', stored); // true
 */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (parsed === null) return false;

  return verifyParsedPassword(plain, parsed);
}

/**
 * Like verifyPassword with a hash parsed beforehand (the feed server parses each hash once at
 * build time).
 *
 * @example
 * await verifyParsedPassword('correct horse', parsePasswordHash(stored)!); // true
 */
export async function verifyParsedPassword(plain: string, parsed: PasswordHash): Promise<boolean> {
  const { N, r, p, salt, hash } = parsed;
  const key = await deriveKey(plain, salt, hash.length, { N, r, p });
  return timingSafeEqual(key, hash);
}

/**
 * Reads a `scrypt$N$r$p$saltB64$hashB64` string, or null when it is not one iocrelay accepts:
 * N a power of two ≥ 2, r and p ≥ 1, at most 256 MiB of memory, salt ≥ 8 bytes, key 16–64 bytes.
 *
 * @example
 * parsePasswordHash('scrypt$16384$8$1$c2FsdHNhbHRzYWx0$…')?.N; // 16384
 */
export function parsePasswordHash(text: string): PasswordHash | null {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;

  const [N, r, p] = parts.slice(1, 4).map(parseCost);
  const salt = decodeBase64(parts[4] ?? '');
  const hash = decodeBase64(parts[5] ?? '');
  if (N === undefined || r === undefined || p === undefined) return null;
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1) return null;
  if (128 * N * r > MAX_SCRYPT_MEMORY || p > 16) return null;
  if (salt === null || salt.length < 8 || hash === null) return null;
  if (hash.length < 16 || hash.length > 64) return null;

  return { N, r, p, salt, hash };
}

function parseCost(text: string): number | undefined {
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : undefined;
}

function decodeBase64(text: string): Buffer | null {
  if (!BASE64.test(text)) return null;

  // Buffer.from skips bad characters silently; the round trip catches a mangled value.
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

function deriveKey(
  plain: string,
  salt: Buffer,
  length: number,
  cost: { N: number; r: number; p: number },
): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 2 * 128 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(plain.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

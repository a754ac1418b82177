import { describe, expect, it } from 'vitest';
import { hashPassword, parsePasswordHash, verifyPassword } from './password-hash.js';

// RFC 7914 §12, last vector: scrypt("pleaseletmein", "SodiumChloride", N=16384, r=8, p=1, 64).
const RFC_7914_HASH =
  'scrypt$16384$8$1$U29kaXVtQ2hsb3JpZGU=$' +
  'cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw==';

describe('hashPassword', () => {
  it('writes scrypt$16384$8$1$<16-byte salt>$<32-byte key> with a fresh salt each time', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');

    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(second).not.toBe(first);
    expect(parsePasswordHash(first)?.salt.length).toBe(16);
    expect(parsePasswordHash(first)?.hash.length).toBe(32);
  });

  it('makes hashes that verifyPassword accepts for that password only', async () => {
    const stored = await hashPassword('correct horse');

    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('hashes a non-ASCII password in NFC, so both Unicode spellings verify', async () => {
    const stored = await hashPassword('caf\u00e9');

    expect(await verifyPassword('cafe\u0301', stored)).toBe(true);
  });
});

describe('verifyPassword', () => {
  it('accepts the RFC 7914 test vector, so hashes from other scrypt tools work', async () => {
    expect(await verifyPassword('pleaseletmein', RFC_7914_HASH)).toBe(true);
    expect(await verifyPassword('pleaseletmeout', RFC_7914_HASH)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['another scheme', 'bcrypt$16384$8$1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9c0hGHAbNgf046w=='],
    ['too few parts', 'scrypt$16384$8$1$U29kaXVtQ2hsb3JpZGU='],
    ['N not a power of two', 'scrypt$16383$8$1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9c0hGHAbNgf046w=='],
    ['N of one', 'scrypt$1$8$1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9c0hGHAbNgf046w=='],
    ['r of zero', 'scrypt$16384$0$1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9c0hGHAbNgf046w=='],
    ['more than 256 MiB', 'scrypt$4194304$8$1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9c0hGHAbNgf046w=='],
    ['salt too short', 'scrypt$16384$8$1$TmFDbA==$cCO9yzr9c0hGHAbNgf046w=='],
    ['key too short', 'scrypt$16384$8$1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9'],
    ['key not base64', 'scrypt$16384$8$1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9c0hGHAbNgf046w!!'],
    ['hex cost', 'scrypt$0x4000$8$1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9c0hGHAbNgf046w=='],
  ])('never matches a malformed hash (%s)', async (_case, stored) => {
    expect(parsePasswordHash(stored)).toBeNull();
    expect(await verifyPassword('pleaseletmein', stored)).toBe(false);
  });
});

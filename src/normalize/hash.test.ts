import { describe, expect, it } from 'vitest';

import { hashKindOfLength, normalizeHash } from './hash.js';
import type { HashKind } from './hash.js';

const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('normalizeHash', () => {
  it.each<[HashKind, string, string]>([
    ['md5', md5, md5],
    ['md5', md5.toUpperCase(), md5],
    ['md5', 'D41d8Cd98f00B204e9800998eCF8427E', md5],
    ['sha1', sha1, sha1],
    ['sha1', sha1.toUpperCase(), sha1],
    ['sha256', sha256, sha256],
    ['sha256', sha256.toUpperCase(), sha256],
  ])('reads %s %j as %j', (kind, text, expected) => {
    expect(normalizeHash(kind, text)).toBe(expected);
  });

  it.each<[HashKind, string, string]>([
    ['md5', md5.slice(1), 'md5 is 32 hex digits, got 31 characters'],
    ['md5', `${md5}0`, 'md5 is 32 hex digits, got 33 characters'],
    ['md5', '', 'md5 is 32 hex digits, got 0 characters'],
    ['md5', sha1, 'md5 is 32 hex digits, got 40 characters'],
    ['sha1', md5, 'sha1 is 40 hex digits, got 32 characters'],
    ['sha256', sha1, 'sha256 is 64 hex digits, got 40 characters'],
    ['md5', `g${md5.slice(1)}`, 'md5 is hex digits only'],
    ['md5', `0x${md5.slice(2)}`, 'md5 is hex digits only'],
    ['sha1', `${sha1.slice(1)} `, 'sha1 is hex digits only'],
    ['sha256', `${sha256.slice(1)}-`, 'sha256 is hex digits only'],
  ])('refuses %s %j', (kind, text, detail) => {
    expect(normalizeHash(kind, text)).toEqual({ ok: false, reason: 'invalid_hash', detail });
  });
});

describe('hashKindOfLength', () => {
  it.each([
    [32, 'md5'],
    [40, 'sha1'],
    [64, 'sha256'],
    [0, null],
    [128, null],
  ])('%d hex digits are %j', (length, expected) => {
    expect(hashKindOfLength(length)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';

import { checkValue } from './check-value.js';

describe('checkValue', () => {
  it.each([
    [' 192.0.2.1 ', '192.0.2.1'],
    ['\t192.0.2.1\r\n', '192.0.2.1'],
    ['\u00a0x\u3000', 'x'],
    ['\ufeffx\u2028', 'x'],
    ['a\u200bb', 'a\u200bb'],
    ['x'.repeat(64), 'x'.repeat(64)],
    [` ${'x'.repeat(64)} `, 'x'.repeat(64)],
  ])('passes %j as %j', (value, expected) => {
    expect(checkValue(value, 64)).toBe(expected);
  });

  it.each([
    [42, 'empty', 'the value is not a string'],
    [null, 'empty', 'the value is not a string'],
    [undefined, 'empty', 'the value is not a string'],
    ['', 'empty', 'the value is empty'],
    ['   ', 'empty', 'the value is empty'],
    ['\n\t', 'empty', 'the value is empty'],
    ['a\nb', 'control_character', 'control character U+000A at index 1'],
    ['a\u0000b', 'control_character', 'control character U+0000 at index 1'],
    ['a\tb', 'control_character', 'control character U+0009 at index 1'],
    ['a\u007fb', 'control_character', 'control character U+007F at index 1'],
    ['a\u0085b', 'control_character', 'control character U+0085 at index 1'],
    ['a\u009fb', 'control_character', 'control character U+009F at index 1'],
    ['a\u2028b', 'control_character', 'control character U+2028 at index 1'],
    ['a\u2029b', 'control_character', 'control character U+2029 at index 1'],
    ['a b\nc', 'control_character', 'control character U+000A at index 3'],
    ['a b', 'inner_space', 'whitespace U+0020 at index 1'],
    ['a\u00a0b', 'inner_space', 'whitespace U+00A0 at index 1'],
    ['a\u1680b', 'inner_space', 'whitespace U+1680 at index 1'],
    ['a\u2000b', 'inner_space', 'whitespace U+2000 at index 1'],
    ['a\u200ab', 'inner_space', 'whitespace U+200A at index 1'],
    ['a\u202fb', 'inner_space', 'whitespace U+202F at index 1'],
    ['a\u205fb', 'inner_space', 'whitespace U+205F at index 1'],
    ['a\u3000b', 'inner_space', 'whitespace U+3000 at index 1'],
    ['a\ufeffb', 'inner_space', 'whitespace U+FEFF at index 1'],
    ['ab c d', 'inner_space', 'whitespace U+0020 at index 2'],
    ['x'.repeat(65), 'too_long', 'longer than 64 characters'],
    [`${'x'.repeat(64)} y`, 'inner_space', 'whitespace U+0020 at index 64'],
  ])('refuses %j as %s', (value, reason, detail) => {
    expect(checkValue(value, 64)).toEqual({ ok: false, reason, detail });
  });
});

import { describe, expect, it } from 'vitest';
import {
  MispShapeError,
  readBoolean,
  readSeen,
  readTagNames,
  readThreatLevel,
  readTimestamp,
} from './misp-wire-values.js';

describe('readBoolean', () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    ['1', true],
    ['0', false],
    [undefined, false],
    [null, false],
    ['', false],
  ])('reads %j as %s', (value, expected) => {
    expect(readBoolean(value, 'to_ids', false)).toBe(expected);
  });

  it.each([['yes'], [2], [{}]])('refuses %j', (value) => {
    expect(() => readBoolean(value, 'Attribute[3].to_ids', false)).toThrow(
      new MispShapeError('Attribute[3].to_ids', 'a boolean, 0/1 or "0"/"1"'),
    );
  });
});

describe('readTimestamp', () => {
  it.each([
    ['1617875568', 1_617_875_568],
    [1_617_875_568, 1_617_875_568],
    ['0', 0],
    ['', null],
    [undefined, null],
    [null, null],
  ])('reads %j as %j', (value, expected) => {
    expect(readTimestamp(value, 'timestamp')).toBe(expected);
  });

  it.each([
    ['2024-05-01'],
    [-1],
    [1.5],
    [true],
    ['99999999999999999999'],
    ['1714521600000'],
    [1_714_521_600_000],
  ])('refuses %j', (value) => {
    expect(() => readTimestamp(value, 'timestamp')).toThrow(MispShapeError);
  });
});

describe('readSeen', () => {
  it.each([
    [null, null],
    ['', null],
    [undefined, null],
    ['1581984000000000', '2020-02-18T00:00:00.000000Z'],
    ['1581984000123456', '2020-02-18T00:00:00.123456Z'],
    [1_581_984_000_000_001, '2020-02-18T00:00:00.000001Z'],
    ['2023-02-08T00:00:00+00:00', '2023-02-08T00:00:00+00:00'],
    ['2024-05-01T12:30:00.000000+02:00', '2024-05-01T12:30:00.000000+02:00'],
    ['last tuesday', null],
  ])('reads %j as %j', (value, expected) => {
    expect(readSeen(value, 'first_seen')).toBe(expected);
  });

  it('refuses a non-string, non-number', () => {
    expect(() => readSeen(true, 'first_seen')).toThrow(MispShapeError);
  });
});

describe('readThreatLevel', () => {
  it.each([
    ['1', 1],
    [4, 4],
    ['0', null],
    ['5', null],
    [undefined, null],
    ['high', null],
  ])('reads %j as %j', (value, expected) => {
    expect(readThreatLevel(value)).toBe(expected);
  });
});

describe('readTagNames', () => {
  it.each([
    [undefined, true, []],
    [null, true, []],
    [[], true, []],
    [
      [{ name: 'tlp:clear' }, { name: 'type:OSINT', colour: '#004646' }],
      true,
      ['tlp:clear', 'type:OSINT'],
    ],
    [[{ name: 'own' }, { name: 'from-event', inherited: 1 }], true, ['own']],
    [[{ name: 'own' }, { name: 'from-event', inherited: true }], false, ['own', 'from-event']],
    [[{ colour: '#fff' }, { name: '' }, 'x', { name: 'kept' }], true, ['kept']],
    [[{ name: ' tlp:red ' }, { name: '   ' }], true, ['tlp:red']],
    [[{ Tag: { name: 'tlp:red' } }, { Tag: { name: 'x', inherited: 1 } }], true, ['tlp:red']],
  ])('reads %j (skip inherited: %s) as %j', (value, skipInherited, expected) => {
    expect(readTagNames(value, 'Tag', skipInherited)).toEqual(expected);
  });

  it('refuses a Tag that is not an array', () => {
    expect(() => readTagNames({ name: 'x' }, 'Attribute[0].Tag', true)).toThrow(
      new MispShapeError('Attribute[0].Tag', 'an array of tags'),
    );
  });
});

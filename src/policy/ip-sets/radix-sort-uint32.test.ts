import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { radixSortUint32 } from './radix-sort-uint32.js';

describe('radixSortUint32', () => {
  it.each([
    ['empty', [], []],
    ['one', [7], [7]],
    ['short, native sort', [3, 0xffffffff, 0, 2 ** 31, 1], [0, 1, 3, 2 ** 31, 0xffffffff]],
  ])('%s', (_name, input, expected) => {
    expect([...radixSortUint32(Uint32Array.from(input))]).toEqual(expected);
  });

  it('sorts long arrays with every byte position in play, duplicates and both ends', () => {
    const input = Uint32Array.from(
      { length: 5000 },
      (_, i) => (Math.imul(i, 2654435761) >>> 0) % (i % 3 === 0 ? 256 : 2 ** 32),
    );
    input[10] = 0xffffffff;
    input[20] = 0;
    const expected = [...input].sort((a, b) => a - b);
    expect([...radixSortUint32(input)]).toEqual(expected);
  });

  it('equals a comparator sort for any input, short or long', () => {
    const uint32 = fc.integer({ min: 0, max: 0xffffffff });
    const lengths = fc.oneof(
      fc.array(uint32, { maxLength: 600 }),
      fc.array(uint32, { minLength: 512, maxLength: 3000 }),
    );
    fc.assert(
      fc.property(lengths, (values) => {
        const expected = [...values].sort((a, b) => a - b);
        expect([...radixSortUint32(Uint32Array.from(values))]).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('sorts a subarray view in place, leaving the rest of its buffer alone', () => {
    const backing = Uint32Array.from({ length: 1200 }, (_, i) => 1200 - i);
    const view = backing.subarray(0, 1000);

    expect(radixSortUint32(view)).toBe(view);
    expect([...backing]).toEqual([
      ...Array.from({ length: 1000 }, (_, i) => 201 + i),
      ...Array.from({ length: 200 }, (_, i) => 200 - i),
    ]);
  });
});

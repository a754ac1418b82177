import fc from 'fast-check';
import { formatIPv4 } from '../../src/normalize/ipv4.js';
import { formatIPv6, ipv6FromBigInt } from '../../src/normalize/ipv6.js';

/**
 * A slow, obviously right model of IP sets for property tests of src/policy/ip-sets: a small
 * aligned window of the address space (a universe) held as one byte per address. It shares
 * no logic with the code under test; only the address formatters of src/normalize are reused.
 */

/** An aligned window of `2^bits` addresses starting at `base`. */
export interface Universe {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly bits: number;
}

/** A block of `2^hostBits` addresses at `offset` (a multiple of its size) in a universe. */
export interface Block {
  readonly offset: number;
  readonly hostBits: number;
}

/**
 * A universe of `2^bits` addresses anywhere in the family, the first, the last and the two
 * either side of the middle (0.0.0.0/1 and ::/1 edges) chosen often.
 *
 * @example
 * fc.sample(universeArbitrary(4, 12), 1); // [{ family: 4, base: 3325255680n, bits: 12 }]
 */
export function universeArbitrary(family: 4 | 6, bits: number): fc.Arbitrary<Universe> {
  const last = (1n << BigInt((family === 4 ? 32 : 128) - bits)) - 1n;
  const middle = (last + 1n) / 2n;
  const index = fc.oneof(
    fc.constantFrom(0n, last, middle - 1n, middle),
    fc.bigInt({ min: 0n, max: last }),
  );
  return index.map((i) => ({ family, base: i << BigInt(bits), bits }));
}

/**
 * An aligned block inside a universe of `2^bits` addresses, small blocks more often.
 *
 * @example
 * fc.sample(blockArbitrary(12), 1); // [{ offset: 2048, hostBits: 3 }]
 */
export function blockArbitrary(bits: number): fc.Arbitrary<Block> {
  const hostBits = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: Math.min(3, bits) }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: bits }) },
  );
  return fc
    .record({ hostBits, offset: fc.integer({ min: 0, max: 2 ** bits - 1 }) })
    .map(({ hostBits: h, offset }) => ({ hostBits: h, offset: offset - (offset % 2 ** h) }));
}

/**
 * Canonical text of a block: dotted quad or RFC 5952, no `/32` or `/128`.
 *
 * @example
 * blockText({ family: 4, base: 3325256704n, bits: 8 }, { offset: 16, hostBits: 4 });
 * // '198.51.100.16/28'
 */
export function blockText(universe: Universe, block: Block): string {
  const start = universe.base + BigInt(block.offset);
  const width = universe.family === 4 ? 32 : 128;
  const text =
    universe.family === 4 ? formatIPv4(Number(start)) : formatIPv6(ipv6FromBigInt(start));
  return block.hostBits === 0 ? text : `${text}/${width - block.hostBits}`;
}

/**
 * Sets to `mark` (1 = member) the bytes of the addresses `first` … `last` (offsets in the
 * universe, both included), clipped to the universe.
 *
 * @example
 * markRange(members, 16, 31, 1); // 198.51.100.16/28 when the universe is 198.51.100.0/24
 */
export function markRange(members: Uint8Array, first: number, last: number, mark: 0 | 1): void {
  for (let i = Math.max(first, 0); i <= Math.min(last, members.length - 1); i++) members[i] = mark;
}

/**
 * The minimal CIDR cover of the members, by definition rather than by merging: every aligned
 * block whose addresses are all members while its parent block's are not, in address order.
 *
 * @example
 * minimalCover(universe, members); // ['198.51.100.16/28', '198.51.100.32']
 */
export function minimalCover(universe: Universe, members: Uint8Array): string[] {
  // levels[h][i]: whether block i of size 2^h is all members.
  const levels: Uint8Array[] = [members];
  for (let h = 1; h <= universe.bits; h++) {
    const below = levels[h - 1]!;
    levels.push(
      Uint8Array.from({ length: below.length / 2 }, (_, i) => below[2 * i]! & below[2 * i + 1]!),
    );
  }

  const blocks: Block[] = [];
  for (let h = 0; h <= universe.bits; h++) {
    const level = levels[h]!;
    for (let i = 0; i < level.length; i++) {
      const isParentFull = h < universe.bits && levels[h + 1]![i >> 1] === 1;
      if (level[i] === 1 && !isParentFull) blocks.push({ offset: i * 2 ** h, hostBits: h });
    }
  }
  return blocks.sort((a, b) => a.offset - b.offset).map((block) => blockText(universe, block));
}

// Writing a million addresses one octet at a time is the slowest step of an aggregation
// (about 300 ms). Each address is the text of its upper 16 bits ("192.0.") joined to the text
// of its lower 16 bits ("2.1"); both halves are cached as first met, so a large list costs one
// concatenation an address. At most 2 × 65,536 short strings are kept (a few MB), filled only
// for the halves a list actually holds.
const HALF = 0x10000;
const upperTexts: string[] = new Array<string>(HALF).fill('');
const lowerTexts: string[] = new Array<string>(HALF).fill('');

/**
 * Writes a uint32 address as a dotted quad, like `formatIPv4`, from cached halves.
 *
 * @example
 * formatIPv4Cached(3221225985); // '192.0.2.1'
 */
export function formatIPv4Cached(address: number): string {
  const upper = address >>> 16;
  const lower = address & 0xffff;

  let head = upperTexts[upper] ?? '';
  if (head === '') {
    head = `${upper >>> 8}.${upper & 255}.`;
    upperTexts[upper] = head;
  }

  let tail = lowerTexts[lower] ?? '';
  if (tail === '') {
    tail = `${lower >>> 8}.${lower & 255}`;
    lowerTexts[lower] = tail;
  }
  return head + tail;
}

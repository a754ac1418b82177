/**
 * `scanIPv4` result for text that is not a dotted quad.
 *
 * @example
 * scanIPv4('192.0.2') === IPV4_INVALID; // true
 */
export const IPV4_INVALID = -1;

/**
 * `scanIPv4` result for a dotted quad with an octet such as `010`. Some stacks read that as
 * octal (8), others as decimal (10), so the value is refused rather than guessed.
 *
 * @example
 * scanIPv4('192.0.2.010') === IPV4_LEADING_ZERO; // true
 */
export const IPV4_LEADING_ZERO = -2;

/**
 * Reads a strict dotted quad from `text[start, end)`: four decimal octets 0–255, no sign, no
 * leading zero, nothing else. Returns the address as a uint32 (0 … 2³²−1), or
 * `IPV4_INVALID` / `IPV4_LEADING_ZERO`. Hand-written without a regex or allocation, since a
 * sync runs it on every IP attribute; the range arguments let callers read a part of a string
 * without slicing it.
 *
 * @example
 * scanIPv4('192.0.2.1'); // 3221225985
 * scanIPv4('[192.0.2.1]', 1, 10); // 3221225985
 */
export function scanIPv4(text: string, start = 0, end = text.length): number {
  let address = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let hasLeadingZero = false;

  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) {
      if (digits === 3) return IPV4_INVALID;
      if (digits === 1 && octet === 0) hasLeadingZero = true;
      octet = octet * 10 + (code - 0x30);
      digits++;
    } else if (code === 0x2e && digits > 0 && octet <= 255 && dots < 3) {
      address = address * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return IPV4_INVALID;
    }
  }

  if (dots !== 3 || digits === 0 || octet > 255) return IPV4_INVALID;
  // Reported only for an otherwise well-formed quad, so the reason names the one real problem.
  if (hasLeadingZero) return IPV4_LEADING_ZERO;
  return address * 256 + octet;
}

/**
 * Reads a strict dotted quad; `null` for anything else, leading zeros included.
 *
 * @example
 * parseIPv4('198.51.100.7'); // 3325256711
 * parseIPv4('198.51.100.07'); // null
 */
export function parseIPv4(text: string): number | null {
  const address = scanIPv4(text);
  return address < 0 ? null : address;
}

/**
 * Writes a uint32 address as a dotted quad.
 *
 * @example
 * formatIPv4(3221225985); // '192.0.2.1'
 */
export function formatIPv4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

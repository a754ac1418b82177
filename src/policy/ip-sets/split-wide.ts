import { ipSpan } from '../../normalize/ip-span.js';
import { rangeToCidrs } from './range-to-cidrs.js';

/**
 * A network cut into networks of at most `maxPrefix` bits of its family (the breadth limit),
 * in address order; the value itself when it is narrow enough or not a network. Aggregation
 * may merge allowed networks into one wider than the limit: this keeps the list within it.
 *
 * @example
 * splitWide('203.0.112.0/23', { ipv4: 24, ipv6: 32 }); // ['203.0.112.0/24', '203.0.113.0/24']
 */
export function splitWide(value: string, maxPrefix: { ipv4: number; ipv6: number }): string[] {
  const slash = value.indexOf('/');
  if (slash < 0) return [value];
  const span = ipSpan(value);
  if (span === null) return [value];

  const bits = span.family === 4 ? 32 : 128;
  const limit = span.family === 4 ? maxPrefix.ipv4 : maxPrefix.ipv6;
  if (Number(value.slice(slash + 1)) >= limit) return [value];

  const size = 1n << BigInt(bits - limit);
  const out: string[] = [];
  for (let start = span.start; start <= span.end; start += size) {
    out.push(...rangeToCidrs({ family: span.family, start, end: start + size - 1n }));
  }
  return out;
}
